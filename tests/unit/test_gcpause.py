"""gcpause.py: the cyclic collector around the corpus-wide passes."""

from __future__ import annotations

import gc
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest
from news_digest import gcpause
from news_digest.gcpause import paused_gc, without_cyclic_gc


def test_a_pause_keeps_the_collector_off_and_then_leaves_its_survivors_alone():
    """What a pass keeps goes into the permanent generation, so that no collection
    after it walks the corpus again; the collector's state is restored."""
    assert gc.isenabled()
    before = gc.get_freeze_count()
    try:

        @without_cyclic_gc
        def corpus_pass() -> list[tuple[int, ...]]:
            assert not gc.isenabled()
            return [(i, i + 1) for i in range(10_000)]

        kept = corpus_pass()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= before + len(kept)
        collected = {id(o) for generation in range(3) for o in gc.get_objects(generation)}
        assert not any(id(t) in collected for t in kept)
    finally:
        gc.unfreeze()


def test_a_pause_inside_a_disabled_collector_changes_nothing():
    gc.disable()
    before = gc.get_freeze_count()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
        assert gc.get_freeze_count() == before
    finally:
        gc.enable()


def test_the_end_of_a_build_gives_frozen_objects_back_to_the_collector():
    """So that Pelican's autoreload, which builds again in the same process, frees
    the last build's objects."""
    from news_digest.gcpause import thaw

    with paused_gc():
        kept = [[i] for i in range(1_000)]
    assert gc.get_freeze_count() >= len(kept)
    thaw()
    assert gc.get_freeze_count() == 0


# Frees 200 MiB of story-sized strings kept apart by survivors (as released texts lie
# between objects that live on), then prints the resident size before and after.
_TRIM = """
import sys
from news_digest.gcpause import trim_heap

def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 >> 20

texts = [("x" * 5000 + str(i)) for i in range(40_000)]
kept = texts[::50]
del texts
before = resident()
print(trim_heap(), before, resident())
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="malloc_trim is glibc's",
)
def test_trimming_gives_freed_memory_between_survivors_back_to_the_system():
    plugins = Path(__file__).resolve().parents[2] / "plugins"
    done = subprocess.run(
        [sys.executable, "-c", _TRIM],
        env={**os.environ, "PYTHONPATH": str(plugins)},
        capture_output=True,
        text=True,
        check=True,
    )
    trimmed, before, after = done.stdout.split()
    assert trimmed == "True"
    assert int(before) >= 180  # the freed strings were still resident
    assert int(before) - int(after) >= 150


def test_trimming_without_malloc_trim_does_nothing(monkeypatch):
    monkeypatch.setattr(gcpause, "_libc", lambda: None)
    assert gcpause.trim_heap() is False
