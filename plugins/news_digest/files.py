"""Writing generated files: atomically, and only when their bytes change.

Leaving unchanged files alone keeps their mtimes, so tools that watch the content
folder (Pelican's autoreload, editors, git) see only what really changed.
"""

from __future__ import annotations

import os
from pathlib import Path


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
