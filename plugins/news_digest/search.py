"""The search index: Pagefind run over the written site.

Pagefind (PyPI ``pagefind[extended]``, which ships its binary) indexes the pages
that mark a ``data-pagefind-body``: the stories, with their headlines, bodies and
entity names. It writes a static bundle that the search page loads; nothing runs
on a server. The bundle is rebuilt from scratch each time, because Pagefind
leaves files of an older index in place.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)


def pagefind_command(site: Path, bundle_dir: str) -> list[str]:
    """The command that indexes ``site`` into ``site/bundle_dir``."""
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-subdir",
        bundle_dir,
        "--silent",
    ]


def build_search_index(site: Path, bundle_dir: str) -> str | None:
    """Index the site; return None, or why the index could not be built."""
    target = site / bundle_dir
    if target.exists():
        shutil.rmtree(target)
    try:
        result = subprocess.run(
            pagefind_command(site, bundle_dir), capture_output=True, text=True, timeout=600
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"Pagefind did not run: {error}"
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        if any("No module named pagefind" in line for line in detail):
            return "Pagefind is not installed (pip install 'pagefind[extended]')"
        return "Pagefind failed: " + (detail[-1] if detail else f"exit code {result.returncode}")
    if not (target / "pagefind-ui.js").exists():
        return f"Pagefind wrote no search bundle into {target}"
    return None
