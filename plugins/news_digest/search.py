"""The search index: Pagefind run over the story pages, while the build goes on.

Pagefind (PyPI ``pagefind[extended]``, which ships its binary) indexes the pages
that mark a ``data-pagefind-body``: the stories, with their headlines, bodies and
entity names. It writes a static bundle that the search page loads; nothing runs
on a server.

Only story pages are indexed, so Pagefind is given a folder of hard links to them
(the same paths as in the site, so result URLs are right): it then neither parses
the thousands of entity and list pages that it would skip anyway (which cost it
time and most of its memory) nor ever sees a page a build no longer produces.
It runs as soon as the story pages are written, on the other core, while the
build renders the remaining pages. The bundle is rebuilt from scratch each time,
because Pagefind leaves files of an older index in place.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

TIMEOUT = 1800  # seconds


def pagefind_command(site: Path, bundle: Path) -> list[str]:
    """The command that indexes ``site`` into the folder ``bundle``."""
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-path",
        str(bundle),
        "--silent",
    ]


@dataclass
class Indexing:
    """A Pagefind run under way."""

    process: subprocess.Popen | None
    pages: Path  # the folder of links to the story pages
    bundle: Path
    problem: str | None = None


def start_search_index(output: Path, bundle_dir: str, pages: Iterable[str]) -> Indexing:
    """Start indexing the story ``pages`` (paths relative to ``output``) into
    ``output/bundle_dir``; :func:`finish_search_index` waits for it."""
    bundle = output / bundle_dir
    if bundle.exists():
        shutil.rmtree(bundle)
    # Next to the output, so hard links work; outside it, so it is never published.
    links = Path(tempfile.mkdtemp(prefix=f".{output.name}-search-", dir=output.parent))
    try:
        for rel in pages:
            target = links / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(output / rel, target)
            except OSError:
                shutil.copyfile(output / rel, target)
        process = subprocess.Popen(
            pagefind_command(links, bundle),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as error:
        shutil.rmtree(links, ignore_errors=True)
        return Indexing(None, links, bundle, f"Pagefind did not run: {error}")
    return Indexing(process, links, bundle)


def finish_search_index(run: Indexing) -> str | None:
    """Wait for the index; return None, or why it could not be built."""
    try:
        if run.process is None:
            return run.problem
        try:
            stdout, stderr = run.process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            run.process.kill()
            run.process.communicate()
            return f"Pagefind did not finish in {TIMEOUT} s"
        if run.process.returncode != 0:
            detail = (stderr or stdout).strip().splitlines()
            if any("No module named pagefind" in line for line in detail):
                return "Pagefind is not installed (pip install 'pagefind[extended]')"
            code = run.process.returncode
            return "Pagefind failed: " + (detail[-1] if detail else f"exit code {code}")
        if not (run.bundle / "pagefind-ui.js").exists():
            return f"Pagefind wrote no search bundle into {run.bundle}"
        return None
    finally:
        shutil.rmtree(run.pages, ignore_errors=True)


def build_search_index(output: Path, bundle_dir: str, pages: Iterable[str]) -> str | None:
    """Index the story ``pages`` and wait: None, or why the index could not be built."""
    return finish_search_index(start_search_index(output, bundle_dir, pages))
