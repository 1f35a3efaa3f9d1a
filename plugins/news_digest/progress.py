"""How far a build has got (on a terminal) and how long each stage took (for `invoke bench`).

Progress lines go to Pelican's console only when it is an interactive terminal and
not a CI run, so logs stay quiet. Stage times are kept in memory and written by the
pipeline to ``<CACHE_PATH>/digest/timings.json``, never into the site (builds must
be byte-identical).
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from pelican.log import console

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")

# Lists shorter than this are not worth a progress line.
MIN_ITEMS = 500
STEPS = 4  # lines per long stage: 25%, 50%, 75%, done


def interactive() -> bool:
    """True on an editor's terminal; False in CI, pipes and tests."""
    return console.is_terminal and not os.environ.get("CI")


def counted(items: Iterable[T], total: int, what: str) -> Iterator[T]:
    """``items`` unchanged, with a line on the terminal each quarter of the way."""
    if total < MIN_ITEMS or not interactive():
        yield from items
        return
    marks = {total * k // STEPS for k in range(1, STEPS + 1)}
    for done, item in enumerate(items, 1):
        yield item
        if done in marks:
            say(f"news_digest: {what} {done:,}/{total:,}")


def say(line: str) -> None:
    """One line of progress on an editor's terminal; nothing in CI or a pipe."""
    if interactive():
        console.print(line, markup=False, highlight=False)


class Stages:
    """Wall-clock seconds per named stage; a stage timed twice adds up."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.seconds: dict[str, float] = {}
        self._mark = time.perf_counter()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)
            self._mark = time.perf_counter()

    def timed(self, name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
        """Decorator: time every call of the function as stage ``name``."""

        def decorate(function: Callable[P, R]) -> Callable[P, R]:
            @functools.wraps(function)
            def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
                with self.stage(name):
                    return function(*args, **kwargs)

            return wrapper

        return decorate

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def since_last(self, name: str) -> None:
        """Charge the time since the last stage ended to ``name`` (Pelican's own work
        between two of our signals)."""
        now = time.perf_counter()
        self.add(name, now - self._mark)
        self._mark = now

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        rounded = {k: round(v, 3) for k, v in self.seconds.items()}
        path.write_text(json.dumps(rounded, indent=1) + "\n", encoding="utf-8")


STAGES = Stages()  # one build per process: Pelican runs the plugin once per build
