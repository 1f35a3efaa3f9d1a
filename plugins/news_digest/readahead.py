"""Posts Pelican has not read before, converted from Markdown on every core first.

Pelican reads posts one after another in one process, and converting Markdown is
about 40% of a cold build. Its reader cache (``CONTENT_CACHING_LAYER = "reader"``)
keeps each post's converted content and metadata by file; so before Pelican reads,
the posts missing from that cache are converted by Pelican's own reader in worker
processes and put into the cache with the cache's own ``cache_data``. Pelican then
reads them from the cache, and the result is the same as reading them itself.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from pelican.readers import _filter_discardable_metadata

from .gcpause import freeze_survivors
from .ingest import workers_for
from .progress import counted
from .settings import digest_settings

logger = logging.getLogger(__name__)

_READER: dict[str, Any] = {}


def read_ahead(generator: Any) -> int:
    """Fill the reader cache of an articles generator for every post missing from it;
    return how many were converted."""
    settings = generator.settings
    if not settings.get("CACHE_CONTENT") or settings.get("CONTENT_CACHING_LAYER") != "reader":
        return 0
    readers = generator.readers
    digest = digest_settings(settings)
    workers = workers_for(digest["DIGEST_WORKERS"])
    files = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    missing = []
    for rel in sorted(files):
        path = os.path.abspath(os.path.join(generator.path, rel))
        fmt = os.path.splitext(path)[1][1:]
        if fmt in readers.readers and readers.get_cached_data(path, (None, None))[0] is None:
            missing.append((path, fmt))
    if workers < 2 or len(missing) < digest["DIGEST_PARALLEL_MIN"]:
        return 0  # Pelican reads them itself
    _READER["readers"] = readers.readers
    freeze_survivors()  # so the workers' collectors do not copy the whole heap
    context = multiprocessing.get_context("fork")  # workers inherit Pelican's readers
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_quiet) as pool:
        chunk = max(1, min(32, len(missing) // (workers * 8)))
        results = pool.map(_read, missing, chunksize=chunk)
        for (path, _), result in counted(
            zip(missing, results, strict=True), len(missing), "posts converted"
        ):
            if result is not None:
                readers.cache_data(path, result)
    return len(missing)


def _quiet() -> None:
    # A forked worker must not write to the terminal (see ingest._start).
    logging.disable(logging.CRITICAL)


def _read(job: tuple[str, str]) -> tuple[str, dict] | None:
    """Convert one post as Pelican's reader does; None on any error (Pelican will then
    read it itself and report the error as it always does)."""
    path, fmt = job
    try:
        content, metadata = _READER["readers"][fmt].read(path)
    except Exception:  # noqa: BLE001 - reported by Pelican's own read
        return None
    return content, _filter_discardable_metadata(metadata)
