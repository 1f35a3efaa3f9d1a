"""Keeping Pelican's content cache safe to use.

Pelican's reader cache (``CACHE_CONTENT``/``LOAD_CONTENT_CACHE``) saves re-parsing
unchanged posts, but it has two gaps this module closes before Pelican loads it:

- a truncated file (a build killed while saving it) can make Pelican crash with
  ``EOFError``: a cache file that is not a whole gzip stream (``GZIP_CACHE``) or
  pickle is removed, with a warning, and the build reads every post again;
- it does not notice when the Markdown settings, the time zone or the versions of
  Pelican or Markdown change, which change what reading a post gives: a stamp of
  those is kept next to the cache, and a different stamp empties the cache.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import zlib
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Settings that change what Pelican's readers return for the same file.
READER_SETTINGS = (
    "MARKDOWN",
    "FORMATTED_FIELDS",
    "TIMEZONE",
    "DEFAULT_DATE",
    "DEFAULT_DATE_FORMAT",
    "DEFAULT_LANG",
    "DEFAULT_METADATA",
    "FILENAME_METADATA",
    "PATH_METADATA",
    "SLUGIFY_SOURCE",
    "SLUG_REGEX_SUBSTITUTIONS",
    "READERS",
    "SUMMARY_MAX_LENGTH",
    "SUMMARY_END_SUFFIX",
    "TYPOGRIFY",
)
STAMP = "digest-reader-stamp"
# Posts in plain Markdown are converted by plainmarkdown.py: its code is in the stamp.
_PLAIN_READER = hashlib.sha256(
    (Path(__file__).parent / "plainmarkdown.py").read_bytes()
).hexdigest()


def reader_stamp(settings: Mapping[str, Any]) -> str:
    parts = [repr(settings.get(k)) for k in READER_SETTINGS]
    parts += [version("pelican"), version("markdown"), _PLAIN_READER]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def check_content_cache(settings: Mapping[str, Any]) -> list[str]:
    """Remove cache files that are damaged or stale; return the names removed."""
    if not settings.get("LOAD_CONTENT_CACHE"):
        return []
    folder = Path(settings["CACHE_PATH"])
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith("Readers"))
    files += sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith("Generator"))
    stamp_file = folder / STAMP
    stamp = reader_stamp(settings)
    try:
        same = stamp_file.read_text(encoding="utf-8").strip() == stamp
    except OSError:
        same = False
    removed = []
    for path in files:
        problem = None if same else "settings or versions changed"
        if problem is None:
            gzipped = settings.get("GZIP_CACHE", True)
            problem = _gzip_problem(path) if gzipped else _pickle_problem(path)
        if problem is None:
            continue
        if same:
            logger.warning(
                "news_digest: Pelican content cache %s is damaged (%s); reading every post again",
                path,
                problem,
            )
        path.unlink(missing_ok=True)
        removed.append(path.name)
    if not same:
        stamp_file.write_text(stamp + "\n", encoding="utf-8")
    return removed


def _pickle_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a whole pickle, or None. A pickle starts with the
    protocol opcode and ends with STOP; damage in between is an ``UnpicklingError``,
    which Pelican reports and survives."""
    try:
        with open(path, "rb") as f:
            first = f.read(1)
            f.seek(-1, 2)
            last = f.read(1)
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"
    if first != b"\x80" or last != b".":
        return "not a whole pickle (truncated?)"
    return None


def _gzip_problem(path: Path) -> str | None:
    """Why ``path`` is not a whole gzip stream, or None."""
    try:
        with gzip.open(path, "rb") as f:
            while f.read(1 << 20):
                pass
    except (OSError, EOFError, zlib.error) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
