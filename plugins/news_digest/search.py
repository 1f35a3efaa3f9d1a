"""The search index: Pagefind run over the story pages, while the build goes on.

Pagefind (PyPI ``pagefind[extended]``, which ships its binary) indexes the pages
that mark a ``data-pagefind-body``: the stories, with their headlines, bodies and
entity names. It writes a static bundle that the search page loads; nothing runs
on a server.

Only story pages are read (a ``--glob`` made from ``ARTICLE_SAVE_AS``): Pagefind
then does not parse the thousands of entity and list pages it would skip anyway,
which cost it time and most of its memory. It runs as soon as the story pages are
written (the caller first removes story pages the build no longer produces), on
the other core, while the build renders the remaining pages. The bundle is rebuilt
from scratch each time, because Pagefind leaves files of an older index in place.
"""

from __future__ import annotations

import atexit
import logging
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

TIMEOUT = 1800  # seconds


def story_glob(article_save_as: str) -> str:
    """The files Pagefind reads: ``ARTICLE_SAVE_AS`` with each field a wildcard."""
    return re.sub(r"\{[^}]*\}", "*", article_save_as) or "**/*.html"


def pagefind_command(site: Path, bundle: Path, glob: str) -> list[str]:
    """The command that indexes the ``glob`` pages of ``site`` into ``bundle``."""
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--glob",
        glob,
        "--output-path",
        str(bundle),
        "--silent",
    ]


@dataclass
class Indexing:
    """A Pagefind run under way."""

    process: subprocess.Popen | None
    bundle: Path
    problem: str | None = None


def start_search_index(output: Path, bundle_dir: str, glob: str) -> Indexing:
    """Start indexing the ``glob`` pages of ``output`` into ``output/bundle_dir``;
    :func:`finish_search_index` waits for it."""
    bundle = output / bundle_dir
    if bundle.exists():
        shutil.rmtree(bundle)
    try:
        process = subprocess.Popen(
            pagefind_command(output, bundle, glob),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as error:
        return Indexing(None, bundle, f"Pagefind did not run: {error}")
    # A build that fails before waiting for the index must not leave Pagefind writing
    # into a staging folder that is being removed.
    atexit.register(_stop, process)
    return Indexing(process, bundle)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def finish_search_index(run: Indexing) -> str | None:
    """Wait for the index; return None, or why it could not be built."""
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
