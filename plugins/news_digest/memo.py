"""Values that cost time and depend only on their inputs, kept between builds: a story's
near-copy signature (by its text), its word count, description and JSON-LD (by all
they are computed from), an entity's mentions chart (by its stories per month and
label), a story's line in the story index (by its fingerprint).

Each value is stored under a digest of exactly what it is computed from, so a
changed story simply misses and is computed again; values no story used in this
build are dropped when it is saved. The memos are kept only while the plugin's code
is the same (a new version may compute any of them differently). A damaged file is
a warning and a fresh start (files.load_state). At 10,000 stories this spares about
4 s of every rebuild.
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .files import load_state, save_state
from .tagcache import code_version as code_digest

FORMAT = 1
T = TypeVar("T")


def value_bytes(value: object) -> bytes:
    """Plain data (strings, numbers, dates, tuples, lists, dicts) as bytes to digest,
    fast: a pickle without its memo, so that equal values give equal bytes however
    their strings are shared (a repr costs several times as long)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def value_key(value: object) -> bytes:
    """The digest a value computed from plain data ``value`` is stored under."""
    return hashlib.blake2b(value_bytes(value), digest_size=16).digest()


def text_key(text: str) -> bytes:
    """The digest a value computed from ``text`` is stored under."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Memo:
    """Values by the digest of their input: the last build's, and this build's."""

    def __init__(self, previous: dict[bytes, object] | None = None) -> None:
        self.previous = previous or {}
        self.current: dict[bytes, object] = {}

    def get(self, text: str, compute: Callable[[str], T]) -> T:
        """``compute(text)``, or the value stored for ``text``."""
        return self.lookup(text_key(text), lambda: compute(text))

    def lookup(self, key: bytes, compute: Callable[[], T]) -> T:
        """``compute()``, or the value stored under ``key``: a digest of everything
        ``compute`` reads."""
        found = self.stored(key)
        if found is None:
            found = compute()
        self.current[key] = found
        return found  # type: ignore[return-value]

    def stored(self, key: bytes | None) -> object | None:
        """The value this build or the last one stored under ``key``, if any."""
        if key is None:
            return None
        found = self.current.get(key)
        return self.previous.get(key) if found is None else found

    def lookup_all(
        self, keys: Sequence[bytes | None], compute: Callable[[list[int]], list[T]]
    ) -> list[T]:
        """:meth:`lookup` for many values at once, so that those missing can be
        computed together (on every core): ``compute(positions)`` returns the values
        at those positions of ``keys``. A None key is computed and not kept."""
        found: list[Any] = [self.stored(key) for key in keys]
        missing = [i for i, value in enumerate(found) if value is None]
        for i, value in zip(missing, compute(missing), strict=True):
            found[i] = value
        for key, value in zip(keys, found, strict=True):
            if key is not None:
                self.current[key] = value
        return found  # type: ignore[return-value]


@functools.cache
def code_version() -> str:
    """A digest of the plugin's code, which computes every memoised value."""
    package = Path(__file__).resolve().parent
    return code_digest(*package.rglob("*.py"))


def load_memos(path: Path) -> dict[str, Memo]:
    """The saved memos, by name; empty ones when there are none or the code changed."""
    stored = load_state(path, FORMAT, ("memos",), "story memo", "computing every value again")
    if stored is None or stored.get("code") != code_version():
        return {}
    memos = stored["memos"]
    return {name: Memo(values) for name, values in memos.items() if isinstance(values, dict)}


def save_memos(memos: dict[str, Memo], path: Path) -> None:
    """Save what this build used of each memo."""
    state = {"format": FORMAT, "code": code_version()}
    save_state(path, state | {"memos": {n: m.current for n, m in memos.items()}}, "story memo")
