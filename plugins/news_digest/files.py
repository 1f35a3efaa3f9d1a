"""Writing generated files: atomically, and only when their bytes change; saving
and loading a build's state (caches, the manifest) so that damage is never fatal.

Leaving unchanged files alone keeps their mtimes, so tools that watch the content
folder (Pelican's autoreload, editors, git) see only what really changed.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

logger = logging.getLogger(__name__)

# A file changed within this many nanoseconds before a scan is not remembered by its
# stat: a second write in the same clock tick would not show in it (git's "racily
# clean" entries).
RACY_NS = 2_000_000_000


def stat_stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is as it was (as git's index): size, modification and change
    times, inode. The change time cannot be set back, so an edit that restores the
    modification time still shows."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def settled(st: os.stat_result, now_ns: int) -> bool:
    """Whether a file's stamp can be trusted on the next scan (see RACY_NS)."""
    return now_ns - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS


def files_under(root: Path, base: Path) -> list[str]:
    """The files under ``root``, as paths relative to ``base`` with ``/``, sorted.
    ``os.walk`` and plain strings: pathlib's ``rglob`` costs a second per few
    thousand files."""
    top = os.path.relpath(root, base).replace(os.sep, "/")
    found = []
    for folder, _, names in os.walk(root):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = f"{top}/" if rel == "." else f"{top}/{rel}/"
        found += [prefix + name for name in names]
    return sorted(found)


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file; return whether anything changed."""
    return write_parts_if_changed(path, [data.encode("utf-8") if isinstance(data, str) else data])


def write_parts_if_changed(path: Path, parts: Sequence[bytes]) -> bool:
    """:func:`write_if_changed` for data in parts, never joined: a file of tens of
    megabytes (the story index) would otherwise be held as a string, its bytes and
    the old file's bytes at once."""
    if _holds(path, parts):
        return False
    tmp, out = _create_beside(path)
    try:
        with out:
            out.writelines(parts)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def _create_beside(path: Path) -> tuple[Path, BinaryIO]:
    """A temporary file next to ``path``, open for writing, to replace it with."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        return tmp, open(tmp, "wb")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:  # the folder is new (Pelican's writer makes its own first)
        path.parent.mkdir(parents=True, exist_ok=True)
        return tmp, open(tmp, "wb")  # noqa: SIM115


def _holds(path: Path, parts: Sequence[bytes]) -> bool:
    """Whether the file at ``path`` holds exactly ``parts``, read a part at a time."""
    try:
        with open(path, "rb") as old:
            return all(old.read(len(part)) == part for part in parts) and not old.read(1)
    except FileNotFoundError:
        return False


def _same_bytes(one: Path, other: Path) -> bool:
    """Whether two files hold the same bytes (``filecmp.cmp`` would trust a cached
    answer for files of the same size and mtime)."""
    try:
        if one.stat().st_size != other.stat().st_size:
            return False
        with open(one, "rb") as a, open(other, "rb") as b:
            while chunk := a.read(1 << 20):
                if chunk != b.read(len(chunk)):
                    return False
            return True
    except FileNotFoundError:
        return False


def save_state(path: Path, state: dict[str, Any], what: str) -> None:
    """Pickle a build's saved state (a cache, the manifest) atomically; failing to save
    it costs the next build time, never this one its success, so it is a warning.

    The pickle goes to a file as it is made (a memo of 10,000 stories' index lines is
    30 MB), and replaces the saved one only if it differs: unchanged state keeps its
    file and mtime."""
    try:
        tmp, out = _create_beside(path)
    except OSError as exc:
        logger.warning("news_digest: %s %s not saved: %s", what, path, exc)
        return
    try:
        with out:
            pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
        if _same_bytes(tmp, path):
            tmp.unlink()
        else:
            os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        logger.warning("news_digest: %s %s not saved: %s", what, path, exc)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load_state(
    path: Path, fmt: int, tables: tuple[str, ...], what: str, consequence: str
) -> dict[str, Any] | None:
    """State saved by :func:`save_state` in format ``fmt``, with each of ``tables`` a
    dict; None when there is none, or (with a warning saying ``consequence``) when it
    cannot be read or is damaged in any way: a cache is never a reason to fail."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        logger.warning("news_digest: %s %s unreadable (%s); %s", what, path, exc, consequence)
        return None
    try:
        stored = pickle.loads(data)
        if not isinstance(stored, dict) or stored.get("format") != fmt:
            raise ValueError(f"not a {what} of this version")
        if not all(isinstance(stored.get(t), dict) for t in tables):
            raise ValueError("malformed tables")
    except Exception as exc:  # noqa: BLE001 - any damage means: start again
        logger.warning(
            "news_digest: %s %s is damaged (%s: %s); %s",
            what,
            path,
            type(exc).__name__,
            exc,
            consequence,
        )
        return None
    return stored
