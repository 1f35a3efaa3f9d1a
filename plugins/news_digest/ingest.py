"""Seeds in, read and tagged: from the tag cache when their bytes are known, else
read and tagged afresh, on every core when there are many.

Reading and tagging one seed depend on nothing but that seed, so they run in worker
processes; the corpus pass that follows (bare surnames across stories, salience)
needs every story and runs once, in the build process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import stat
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .entities import Lexicon
from .entities.tagger import Analysis, analyse
from .files import settled, stat_stamp
from .gcpause import paused_gc
from .progress import counted
from .seeds import Seed, SeedError, read_seed
from .tagcache import TagCache, seed_key

logger = logging.getLogger(__name__)


@dataclass
class Ingested:
    """Every seed found: read (or why not), and tagged when it is to be published."""

    seeds: list[Seed] = field(default_factory=list)  # in path order
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    analyses: dict[str, Analysis] = field(default_factory=dict)  # seed path -> analysis
    fresh: int = 0  # seeds read or tagged in this build (not from the cache)


@dataclass(frozen=True)
class _Job:
    rel: str
    key: str | None  # None: the bytes could not be read (read_seed will say why)
    seed: bytes | None  # the cached seed, when only its analysis is missing


def workers_for(setting: int | None) -> int:
    """Worker processes to use: the setting, else every core this process may use."""
    if setting:
        return max(1, int(setting))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def ingest(
    root: str,
    rels: Iterable[str],
    settings: Mapping[str, Any],
    lexicon: Lexicon,
    cache: TagCache,
    workers: int = 1,
) -> Ingested:
    """Read and tag the seeds at ``rels`` (relative to ``root``), using and filling ``cache``."""
    sidecar_suffix = settings["DIGEST_SIDECAR_SUFFIX"]
    # rel -> (pickled Seed or reason, pickled analysis or b"" when there is nothing to tag)
    done: dict[str, tuple[bytes, bytes]] = {}
    jobs: list[_Job] = []
    keys: set[str] = set()
    stats: dict[str, tuple] = {}
    now = time.time_ns()
    for rel in rels:
        key = _key(root, rel, sidecar_suffix, cache.stats, stats, now)
        cached = cache.seeds.get(key) if key else None
        if key:
            keys.add(key)
        if cached is not None and key in cache.analyses:
            done[rel] = (cached, cache.analyses[key])
        else:
            jobs.append(_Job(rel, key, cached))
    for rel, key, seed, analysis in _run(jobs, root, settings, lexicon, workers):
        done[rel] = (seed, analysis)
        if key:
            cache.seeds[key], cache.analyses[key] = seed, analysis
            cache.changed = True
    cache.keep_only(keys)
    if stats != cache.stats:
        cache.stats, cache.changed = stats, True
    out = Ingested(fresh=len(jobs))
    with paused_gc():
        for rel in sorted(done):
            seed_bytes, analysis_bytes = done[rel]
            seed = pickle.loads(seed_bytes)
            if isinstance(seed, str):
                out.problems.append((rel, seed))
                continue
            out.seeds.append(seed)
            if analysis_bytes:
                out.analyses[rel] = pickle.loads(analysis_bytes)
    return out


def _key(
    root: str, rel: str, sidecar_suffix: str, known: dict[str, tuple], stats: dict, now: int
) -> str | None:
    """A seed's cache key; found by its stat in ``known`` when it and its sidecar are
    as they were, else read and hashed. What can be trusted next time goes in ``stats``."""
    path = os.path.join(root, rel)
    sidecar = f"{path}{sidecar_suffix}"
    try:
        st = os.stat(path)
        try:
            side = os.stat(sidecar)
        except FileNotFoundError:
            side = None
        if side is not None and not stat.S_ISREG(side.st_mode):
            side = None
        stamp = (stat_stamp(st), stat_stamp(side) if side is not None else None)
        entry = known.get(rel)
        if entry is not None and entry[0] == stamp:
            key = entry[1]
        else:
            data = Path(path).read_bytes()
            extra = Path(sidecar).read_bytes() if side is not None else b""
            key = seed_key(rel, data, extra)
    except OSError:
        return None
    if settled(st, now) and (side is None or settled(side, now)):
        stats[rel] = (stamp, key)
    return key


def _run(
    jobs: list[_Job], root: str, settings: Mapping[str, Any], lexicon: Lexicon, workers: int
) -> Iterator[tuple[str, str | None, bytes, bytes]]:
    if not jobs:
        return
    digest = {k: v for k, v in settings.items() if k.startswith("DIGEST_")}
    if workers < 2 or len(jobs) < settings["DIGEST_PARALLEL_MIN"]:
        _start(root, digest, lexicon, quiet=False)
        yield from counted(map(_work, jobs), len(jobs), "seeds read and tagged")
        return
    # fork: workers inherit the lexicon and the imported plugin instead of rebuilding them.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start, initargs=(root, digest, lexicon, True)
    ) as pool:
        chunk = max(1, min(64, len(jobs) // (workers * 8)))
        results = pool.map(_work, jobs, chunksize=chunk)
        yield from counted(results, len(jobs), "seeds read and tagged")


_STATE: dict[str, Any] = {}


def _start(root: str, settings: dict[str, Any], lexicon: Lexicon, quiet: bool) -> None:
    """Set up a worker (or this process, when there are no workers)."""
    if quiet:
        # A forked worker must not write to the terminal: the build's console may be
        # mid-refresh in another thread. Problems come back as data instead.
        logging.disable(logging.CRITICAL)
    _STATE.update(root=root, settings=settings, lexicon=lexicon)


def _work(job: _Job) -> tuple[str, str | None, bytes, bytes]:
    """Read (unless cached) and tag one seed; results pickled, ready for the cache."""
    if job.seed is not None:
        seed_bytes = job.seed
        seed = pickle.loads(seed_bytes)
    else:
        try:
            seed = read_seed(_STATE["root"], job.rel, _STATE["settings"])
        except SeedError as exc:
            seed = str(exc)
        seed_bytes = pickle.dumps(seed, protocol=pickle.HIGHEST_PROTOCOL)
    analysis = b""
    if isinstance(seed, Seed) and not seed.skip:
        found = analyse(seed.title, seed.paragraphs, _STATE["lexicon"])
        analysis = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
    return job.rel, job.key, seed_bytes, analysis
