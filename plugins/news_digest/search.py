"""The search index: Pagefind run over the story pages, while the build goes on.

Pagefind (PyPI ``pagefind[extended]``, which ships its binary) indexes the pages
that mark a ``data-pagefind-body``: the stories, with their headlines, bodies and
entity names. It writes static bundles that the search page loads and merges;
nothing runs on a server.

The index is split into bundles by date (:func:`search_bundles`): a year of stories
(``pagefind/2024/``...), or, when a year holds more than ``DIGEST_SEARCH_BUNDLE_MAX``
stories, runs of its months (``pagefind/2024-01/``, ``pagefind/2024-07/``...). An
edited or added story re-indexes its bundle, not the whole archive, and Pagefind,
which holds a bundle's whole index in memory (about 180 KB a story), holds one
bounded bundle at a time: a busy digest's year would otherwise need gigabytes.
Pagefind has no incremental mode and no list-of-files option, so each bundle's story
pages are hard-linked into a folder of their own in the cache (kept between builds
and brought up to date), and Pagefind indexes that folder: the pages' URLs stay
those of the site. Only story pages are read: Pagefind then does not parse the
thousands of entity and list pages it would skip anyway. It runs once the story
pages are written and the feeds job (sidejob.py) is done, on the other core, while
the build renders the remaining pages. A bundle is rebuilt from scratch, because
Pagefind leaves files of an older index in place.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from .sidejob import NICENESS

logger = logging.getLogger(__name__)

T = TypeVar("T")

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


# Runs the bundles' Pagefind commands one after another, so only one holds its index
# in memory; stops at the first failure, with its exit code. At a lower priority, as
# the side jobs (see sidejob.py): the build waits for the index only at its end. Any
# further arguments are file descriptors: it first waits for the end of each.
_ONE_AFTER_ANOTHER = (
    "import json, os, subprocess, sys\n"
    f"os.nice({NICENESS})\n"
    "for fd in sys.argv[2:]:\n"
    "    while os.read(int(fd), 4096):\n"
    "        pass\n"
    "for command in json.loads(sys.argv[1]):\n"
    "    code = subprocess.run(command).returncode\n"
    "    if code:\n"
    "        sys.exit(code)\n"
)


@dataclass
class Indexing:
    """Pagefind runs under way, one per bundle to index."""

    process: subprocess.Popen | None
    bundles: list[Path]
    problem: str | None = None


def search_bundles(
    stories: Iterable[T], limit: int, date: Callable[[T], datetime]
) -> dict[str, list[T]]:
    """The search bundles of ``stories``: {name: stories, newest first}, newest bundle
    first.

    A year's stories form one bundle, named by the year, unless there are more than
    ``limit``: then its months, from January on, are gathered into bundles of at
    most ``limit`` stories (a month with more is a bundle of its own), each named by
    its first month. Gathering from January keeps the bundles of a year's earlier
    months as they are when stories are added to its later ones. Years and months
    are read from the date's fields, not formatted with strftime, which Pelican's
    dates route through a slow wrapper."""
    months: dict[tuple[int, int], list[T]] = {}
    for story in sorted(stories, key=date, reverse=True):
        when = date(story)
        months.setdefault((when.year, when.month), []).append(story)
    runs: dict[int, list[tuple[int, list[T]]]] = {}  # year -> [(first month, stories)]
    for (year, month), found in sorted(months.items()):
        chunks = runs.setdefault(year, [])
        if chunks and len(chunks[-1][1]) + len(found) <= limit:
            chunks[-1][1].extend(found)
        else:
            chunks.append((month, list(found)))
    bundles: dict[str, list[T]] = {}
    for year in sorted(runs, reverse=True):
        chunks = runs[year]
        for month, found in reversed(chunks):
            name = str(year) if len(chunks) == 1 else f"{year}-{month:02d}"
            bundles[name] = sorted(found, key=date, reverse=True)
    return bundles


def mirror_pages(output: Path, mirror: Path, pages: Sequence[str]) -> None:
    """Make ``mirror`` hold exactly ``pages`` (paths relative to ``output``), as hard
    links to the output's files (copies across file systems). Links already pointing
    at the right file are kept, so bringing a bundle up to date costs a stat per page."""
    wanted = set(pages)
    for folder, _, files in os.walk(mirror, topdown=False):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.relpath(path, mirror).replace(os.sep, "/") not in wanted:
                os.unlink(path)
        if folder != str(mirror) and not os.listdir(folder):
            os.rmdir(folder)
    for rel in pages:
        source, target = output / rel, mirror / rel
        try:
            inode = os.stat(source).st_ino
        except FileNotFoundError:
            continue  # no page was written for it: nothing to index
        try:
            if os.stat(target).st_ino == inode:
                continue
            os.unlink(target)
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def start_search_index(
    output: Path,
    bundle_dir: str,
    glob: str,
    shards: Mapping[str, Sequence[str]],
    mirror: Path,
    after: Sequence[int] = (),
) -> Indexing:
    """Index each shard's story pages (paths relative to ``output``) into
    ``output/bundle_dir/<shard>``, one shard after another, in the background;
    :func:`finish_search_index` waits for it. Pagefind starts once the writers of each
    pipe whose read end is in ``after`` have closed it (sidejob.SideJob.done_fd)."""
    commands, bundles = [], []
    for name, pages in sorted(shards.items()):
        bundle = output / bundle_dir / name
        if bundle.exists():
            shutil.rmtree(bundle)
        mirror_pages(output, mirror / name, pages)
        commands.append(pagefind_command(mirror / name, bundle, glob))
        bundles.append(bundle)
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", _ONE_AFTER_ANOTHER, json.dumps(commands), *map(str, after)],
            pass_fds=tuple(after),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: stopped with its Pagefind
        )
    except OSError as error:
        return Indexing(None, bundles, f"Pagefind did not run: {error}")
    # A build that fails before waiting for the index must not leave Pagefind writing
    # into a staging folder that is being removed.
    atexit.register(_stop, process)
    return Indexing(process, bundles)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def finish_search_index(run: Indexing) -> str | None:
    """Wait for the index; return None, or why it could not be built."""
    if run.process is None:
        return run.problem
    try:
        stdout, stderr = run.process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _stop(run.process)
        return f"Pagefind did not finish in {TIMEOUT} s"
    if run.process.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()
        if any("No module named pagefind" in line for line in detail):
            return "Pagefind is not installed (pip install 'pagefind[extended]')"
        code = run.process.returncode
        return "Pagefind failed: " + (detail[-1] if detail else f"exit code {code}")
    for bundle in run.bundles:
        if not (bundle / "pagefind-ui.js").exists():
            return f"Pagefind wrote no search bundle into {bundle}"
    return None
