"""Time the editor's build on a generated corpus against plain Pelican on the same posts.

    python benchmarks/bench.py --n 1000      # about two minutes
    python benchmarks/bench.py --n 10000     # the headline run
    invoke bench --n 10000

In one run, in a throw-away copy of the project (real plugin, theme and settings):

1. writes N generated seeds (see corpus.py: text and HTML, Zipf-distributed
   entities, about ten stories a day);
2. ``invoke build`` from nothing: the cold build;
3. plain Pelican (no plugin, its default theme and settings) on the very posts
   the cold build wrote: the baseline;
4. ``invoke build`` again with nothing changed (its up-to-date check finds so),
   Pelican run directly with nothing changed (the plugin's own incremental work:
   every page skipped), then ``invoke build`` after adding one seed and after
   editing one seed;
5. with ``--check``, a cold build of the final seeds in a fresh copy, compared file
   by file with the incrementally rebuilt site.

Each measurement is taken ``--repeat`` times (2 by default; the cold builds each in a
fresh copy, alternating with plain Pelican's; each added or edited seed a different
one) and its fastest time counts, for plain Pelican as for the digest: on a shared
machine, noise only ever adds time, and the same cold build of 10,000 seeds was
measured here at anywhere from 101 to 141 s in one day. Every time taken is printed beside it;
peak memory is the highest of the runs.

Each build runs as its own process; the figures are wall-clock seconds and peak
memory: the proportional set size (PSS) of the build's whole process tree, sampled
every 100 ms, so worker processes count and pages they share count once; "Python"
is the same without the search indexer (Pagefind's own process). The
stages come from the build itself (``cache/digest/timings.json``).

Before each build the file system is synced, so no build pays for writing back the
files of the one before it; on ext4 without a journal, a file system flushed this
way also stops treating inodes freed over a minute ago as recently deleted, which
otherwise makes creating files up to ten times slower for six minutes after a large
delete (such as the last benchmark's clean-up). A build's own deletions (a rebuild
removes the site it replaced) still count against the builds after it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import corpus  # noqa: E402
from sitebuild import make_site  # noqa: E402

PLAIN_SETTINGS = 'SITENAME = "Plain Pelican"\nPATH = "content"\nTIMEZONE = "UTC"\n'


@dataclass
class Run:
    seconds: float
    peak_mib: float  # the whole process tree at its peak
    stages: dict[str, float]
    python_mib: float = 0.0  # the build's Python processes at their peak (no search indexer)
    times: tuple[float, ...] = ()  # every repetition's seconds, in the order taken


def best(runs: list[Run]) -> Run:
    """Repetitions of one measurement as one: the fastest time and its stages, the
    highest peak memory, and every time taken."""
    fastest = min(runs, key=lambda run: run.seconds)
    return Run(
        fastest.seconds,
        max(run.peak_mib for run in runs),
        fastest.stages,
        max(run.python_mib for run in runs),
        tuple(run.seconds for run in runs),
    )


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc/PID/task/TID/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.scandir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task.name}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return out


def _is_python(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().startswith("python")
    except OSError:
        return False


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(args: list[str], cwd: Path) -> Run:
    """Run a build; its wall time and the peak PSS of its process tree."""
    peak = python_peak = 0
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "CI": "1"},
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, python_peak
        while not done.wait(0.1):
            sizes = [(_pss_kib(p), _is_python(p)) for p in _tree(proc.pid)]
            peak = max(peak, sum(size for size, _ in sizes))
            python_peak = max(python_peak, sum(size for size, py in sizes if py))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"build failed ({proc.returncode}):\n{output.decode(errors='replace')[-3000:]}")
    timings = cwd / "cache" / "digest" / "timings.json"
    stages = json.loads(timings.read_text()) if timings.is_file() else {}
    if timings.is_file():
        timings.unlink()
    return Run(seconds, peak / 1024, stages, python_peak / 1024)


def ours(project: Path) -> Run:
    return measure([sys.executable, "-m", "invoke", "build"], project)


def ours_pelican(project: Path) -> Run:
    """Pelican run directly (no `invoke build` up-to-date check, no staging folder)."""
    args = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output"]
    return measure(args, project)


def plain(posts: Path, work: Path) -> Run:
    """Plain Pelican, default theme and settings, on a copy of ``posts``."""
    shutil.copytree(posts, work / "content" / "digest")
    (work / "plainconf.py").write_text(PLAIN_SETTINGS)
    args = [sys.executable, "-m", "pelican", "content", "-s", "plainconf.py", "-o", "output"]
    return measure(args, work)


def tree(output: Path) -> dict[str, str]:
    return {
        p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }


def report(n: int, runs: dict[str, Run], base: Run, check: str | None) -> None:
    cold = runs["cold build"]
    print(f"\n{n:,} seeds; plain Pelican = the same posts, no plugin, default theme\n")
    print(
        f"{'build':<28}{'seconds':>9}{'x plain':>9}{'x cold':>8}{'peak MiB':>10}{'Python':>8}"
        "  every run (s)"
    )
    print(
        f"{'plain Pelican, cold':<28}{base.seconds:>9.1f}{1:>9.2f}{'':>8}"
        f"{base.peak_mib:>10.0f}{base.python_mib:>8.0f}  {_times(base)}"
    )
    for name, run in runs.items():
        print(
            f"{name:<28}{run.seconds:>9.1f}{run.seconds / base.seconds:>9.2f}"
            f"{run.seconds / cold.seconds:>8.2f}{run.peak_mib:>10.0f}{run.python_mib:>8.0f}"
            f"  {_times(run)}"
        )
    print(
        f"\npeak memory, cold build / plain Pelican: {cold.peak_mib / base.peak_mib:.2f} "
        f"(Python processes only, without the search indexer: "
        f"{cold.python_mib / base.python_mib:.2f})"
    )
    names = list(dict.fromkeys(k for run in runs.values() for k in run.stages))
    short = {
        "cold build": "cold",
        "no-change rebuild": "no-change",
        "no-change, Pelican run": "pelican",
    }
    short |= {"rebuild, one seed added": "added", "rebuild, one seed edited": "edited"}
    print(f"\n{'stage (seconds)':<36}" + "".join(f"{short.get(k, k)[:9]:>10}" for k in runs))
    for stage in names:
        cells = "".join(f"{runs[k].stages.get(stage, 0.0):>10.2f}" for k in runs)
        print(f"{stage:<36}{cells}")
    other = "".join(f"{runs[k].seconds - sum(runs[k].stages.values()):>10.2f}" for k in runs)
    print(f"{'start-up, staging, other':<36}{other}")
    print("(the stages of each build's fastest run)")
    if check is not None:
        print(f"\nincrementally rebuilt site identical to a cold build: {check}")


def _times(run: Run) -> str:
    return " ".join(f"{t:.1f}" for t in run.times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="seeds in the corpus")
    parser.add_argument("--seed", type=int, default=1, help="corpus random seed")
    parser.add_argument("--check", action="store_true", help="compare with a cold build")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement")
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temp dir)")
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    work = args.keep or Path(tempfile.mkdtemp(prefix="digest-bench-"))
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    try:
        stories = corpus.generate(args.n + repeat, seed=args.seed)
        # The cold builds, each of a fresh copy, alternating with plain Pelican's on the
        # posts the first one wrote; the rebuilds then go on in the first copy.
        colds, plains, sites = [], [], []
        for r in range(repeat):
            (work / f"site{r}").mkdir()
            site = make_site(work / f"site{r}", with_sample_seeds=False)
            corpus.write(stories[: args.n], site.seeds)
            colds.append(ours(site.root))
            sites.append(site)
            (work / f"plain{r}").mkdir()
            plains.append(plain(sites[0].posts, work / f"plain{r}"))
        site = sites[0]
        runs = {"cold build": best(colds)}
        runs["no-change rebuild"] = best([ours(site.root) for _ in range(repeat)])
        runs["no-change, Pelican run"] = best([ours_pelican(site.root) for _ in range(repeat)])
        added = []
        for story in stories[args.n :]:
            corpus.write([story], site.seeds)
            added.append(ours(site.root))
        runs["rebuild, one seed added"] = best(added)
        rng = random.Random(args.seed)
        edited = []
        for _ in range(repeat):  # each time one more sentence: a different edit
            name = stories[args.n // 2].name
            now = corpus.Story(name, (site.seeds / name).read_bytes(), stories[args.n // 2].sidecar)
            corpus.write([corpus.edited(now, rng)], site.seeds)
            edited.append(ours(site.root))
        runs["rebuild, one seed edited"] = best(edited)
        base = best(plains)
        check = None
        if args.check:
            (work / "fresh").mkdir()
            fresh = make_site(work / "fresh", with_sample_seeds=False)
            shutil.rmtree(fresh.seeds)
            shutil.copytree(site.seeds, fresh.seeds)
            ours(fresh.root)  # every generated seed has a date: no first-seen ledger needed
            same = tree(site.output) == tree(fresh.output)
            check = "yes" if same else "NO"
        report(args.n, runs, base, check)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
