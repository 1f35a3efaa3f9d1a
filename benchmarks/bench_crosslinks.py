"""Time the cross-linking stage (entity registry, related stories, clusters) on a
generated corpus, to show it grows linearly.

    python benchmarks/bench_crosslinks.py            # 1,000 and 10,000 stories
    python benchmarks/bench_crosslinks.py --n 1000 --n 50000 --work 50000

The corpus grows the way a digest's archive does, at about ten stories a day: 1,000
stories span 100 days, 10,000 span 1,000 days (near three years). Stories mention 8
to 25 entities drawn from a Zipf-like distribution (a few very common, most rare), with bodies of about 600 words; one story in twenty is a
near-copy of another (a second source reporting the same event), so the cluster
pass has work to do. The cast grows with the archive too: 2 entities per story in
the universe (20,000 for 10,000 stories), so an entity's share of stories is the
same at every size. Each story's work is bounded by design (see crosslinks.py), so
the time per story stays flat once its entities recur.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from news_digest.crosslinks import StoryRef, clusters, index, registry, related  # noqa: E402

ENTITIES_PER_STORY = 2
STORIES_PER_DAY = 10
VOCABULARY = [f"w{i}" for i in range(5_000)]


def corpus(n: int, seed: int = 1) -> list[StoryRef]:
    rng = random.Random(seed)
    universe = ENTITIES_PER_STORY * n
    weights = [1 / (rank + 1) for rank in range(universe)]
    kinds = ("people", "places", "organizations")
    start = datetime(2020, 1, 1, tzinfo=UTC)
    stories: list[StoryRef] = []
    for i in range(n):
        if stories and rng.random() < 0.05:
            original = rng.choice(stories)
            words = original.text.split()
            words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
            stories.append(
                StoryRef(
                    f"story-{i}",
                    original.date + timedelta(hours=2),
                    original.title,
                    " ".join(words),
                    original.entities,
                    "Second Source",
                )
            )
            continue
        count = rng.randint(8, 25)
        picked = list(dict.fromkeys(rng.choices(range(universe), weights=weights, k=count)))
        entities = tuple(
            (f"{kinds[e % 3]}/entity-{e}", round(1 - k / len(picked), 3))
            for k, e in enumerate(picked)
        )
        date = start + timedelta(minutes=rng.randrange(max(1, n // STORIES_PER_DAY) * 24 * 60))
        title = " ".join(rng.choices(VOCABULARY, k=9))
        text = " ".join(rng.choices(VOCABULARY, k=600))
        stories.append(StoryRef(f"story-{i}", date, title, text, entities, "First Source"))
    return stories


def timed(stories: list[StoryRef], repeats: int = 3) -> dict[str, float]:
    """CPU time of each stage, the fastest of ``repeats`` runs (as timeit does: the
    slower runs measure this shared machine's other work, not the code)."""
    times: dict[str, float] = {}

    def stage(name, work, *args):
        best = float("inf")
        for _ in range(repeats):
            start = time.process_time()
            result = work(*args)
            best = min(best, time.process_time() - start)
        times[name] = best
        return result

    corpus = stage("index", index, stories)
    groups = stage("clusters", clusters, corpus)
    lead_of = {k: lead for lead, keys in groups.items() for k in keys}
    stage("related", related, corpus, 5, lead_of)
    stage("registry", registry, corpus)
    times["total"] = sum(times.values())
    times["clusters found"] = len(groups)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="corpus sizes (default 1000, 10000)")
    parser.add_argument(
        "--work",
        type=int,
        default=20_000,
        help="stories processed per size: a small size runs on that many different corpora, "
        "so every figure is measured over runs of similar length on this noisy machine",
    )
    args = parser.parse_args()
    sizes = args.n or [1_000, 10_000]
    # Runs of the sizes are interleaved, so that a slow spell of this shared machine
    # falls on all of them alike.
    plan = {n: max(1, args.work // n) for n in sizes}
    totals: dict[int, dict[str, float]] = {n: {} for n in sizes}
    rounds = max(plan.values())
    for r in range(rounds):
        for n in sizes:
            runs = plan[n]
            # Spread a size's runs evenly over the rounds.
            if (r * runs) // rounds == ((r + 1) * runs) // rounds:
                continue
            for stage, seconds in timed(corpus(n, r + 1)).items():
                totals[n][stage] = totals[n].get(stage, 0.0) + seconds
    per_story = {}
    for n in sizes:
        runs = plan[n]
        mean = {stage: value / runs for stage, value in totals[n].items()}
        per_story[n] = mean["total"] / n
        print(
            f"{n:>7,} stories: index {mean['index']:.2f} s, clusters {mean['clusters']:.2f} s, related {mean['related']:.2f} s, "
            f"registry {mean['registry']:.2f} s, total {mean['total']:.2f} s "
            f"({mean['clusters found']:,.0f} clusters); CPU time, best of 3 runs, mean of {runs} corpora"
        )
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        ratio = per_story[large] * large / (per_story[small] * small)
        print(
            f"{large:,} / {small:,} stories: time ratio {ratio:.1f} for a size ratio of "
            f"{large / small:.0f} (linear growth: about {large / small:.0f}; the target is ≤ 11)"
        )


if __name__ == "__main__":
    main()
