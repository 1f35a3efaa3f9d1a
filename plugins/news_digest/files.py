"""Writing generated files: atomically, and only when their bytes change; saving
and loading a build's state (caches, the manifest) so that damage is never fatal.

Leaving unchanged files alone keeps their mtimes, so tools that watch the content
folder (Pelican's autoreload, editors, git) see only what really changed.
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file; return whether anything changed."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def save_state(path: Path, state: dict[str, Any], what: str) -> None:
    """Pickle a build's saved state (a cache, the manifest) atomically; failing to save
    it costs the next build time, never this one its success, so it is a warning."""
    try:
        write_if_changed(path, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:
        logger.warning("news_digest: %s %s not saved: %s", what, path, exc)


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
