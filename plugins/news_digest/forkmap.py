"""Per-story work on every core, in forked processes that inherit the build's data.

Between tagging and rendering, the build works through the corpus in one process
(Pelican's reading, cross-linking) while the other cores wait. The parts of it that
are one pure computation per story run through :func:`fork_map`: the workers are
forked, so the stories and the function reach them without being pickled, and only
the indices go out and the (small) results come back.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

R = TypeVar("R")

# Chunks per worker: enough to even out uneven stories, few enough to cost nothing.
CHUNKS_PER_WORKER = 4

_FUNCTION: list[Callable[[int], Any]] = []  # what the forked workers run (fork_map)


def fork_map(function: Callable[[int], R], count: int, workers: int) -> list[R]:
    """``[function(i) for i in range(count)]``, on ``workers`` forked processes when
    there are more than one and enough items to share; an exception in ``function``
    is raised here, as it would be in a loop."""
    if workers < 2 or count < 2 * workers:
        return [function(i) for i in range(count)]
    step = -(-count // (workers * CHUNKS_PER_WORKER))
    chunks = [(start, min(start + step, count)) for start in range(0, count, step)]
    _FUNCTION[:] = [function]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start) as pool:
            return [value for part in pool.map(_run, chunks) for value in part]
    finally:
        _FUNCTION.clear()


def _start() -> None:
    # The collector would walk, and so copy page by page, the heap shared with the
    # build; a forked worker must not write to the terminal (see ingest._start).
    gc.freeze()
    logging.disable(logging.CRITICAL)


def _run(chunk: tuple[int, int]) -> list[Any]:
    function = _FUNCTION[0]
    return [function(i) for i in range(*chunk)]
