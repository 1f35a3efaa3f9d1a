"""Evaluate the entity tagger on the hand-annotated development set, and time it.

    invoke eval-entities            # or: python benchmarks/eval_entities.py

Prints document-level precision, recall and F1 per type and overall: a gold entity
is found when a predicted entity of the same type has it as its name or as one of
its mentions; a predicted entity is correct when it so matches a gold entity.
Then the tagging speed, in stories of about 600 words per second, on one core.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from news_digest.entities import load_lexicon, tag_corpus  # noqa: E402

TYPES = ("person", "place", "organization")


def load(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def score(docs: list[dict], predicted: list[list]) -> dict[str, dict[str, int]]:
    counts = {t: {"tp_gold": 0, "gold": 0, "tp_pred": 0, "pred": 0} for t in TYPES}
    for doc, entities in zip(docs, predicted, strict=True):
        for kind in TYPES:
            gold = {g.casefold() for g in doc["gold"].get(kind, [])}
            preds = [
                {e.name.casefold(), e.label.casefold(), *(m.casefold() for m in e.mentions)}
                for e in entities
                if e.type == kind
            ]
            counts[kind]["gold"] += len(gold)
            counts[kind]["tp_gold"] += sum(any(g in p for p in preds) for g in gold)
            counts[kind]["pred"] += len(preds)
            counts[kind]["tp_pred"] += sum(bool(p & gold) for p in preds)
    return counts


def prf(c: dict[str, int]) -> tuple[float, float, float]:
    p = c["tp_pred"] / c["pred"] if c["pred"] else 0.0
    r = c["tp_gold"] / c["gold"] if c["gold"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def errors(docs: list[dict], predicted: list[list]) -> None:
    for doc, entities in zip(docs, predicted, strict=True):
        for kind in TYPES:
            gold = {g.casefold(): g for g in doc["gold"].get(kind, [])}
            preds = [e for e in entities if e.type == kind]
            forms = [{e.name.casefold(), *(m.casefold() for m in e.mentions)} for e in preds]
            missed = [g for k, g in gold.items() if not any(k in f for f in forms)]
            wrong = [e.name for e, f in zip(preds, forms, strict=True) if not f & set(gold)]
            if missed or wrong:
                print(f"{doc['id']} {kind:12} missed={missed} wrong={wrong}")


def stories_of(docs: list[dict], words: int) -> list[tuple[str, list[str]]]:
    """Stories of about ``words`` words, made of the set's own paragraphs in turn."""
    paragraphs = [p for d in docs for p in d["paragraphs"]]
    out, i = [], 0
    for doc in docs:
        body, count = [], 0
        while count < words:
            body.append(paragraphs[i % len(paragraphs)])
            count += len(body[-1].split())
            i += 1
        out.append((doc["title"], body))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(ROOT / "tests/fixtures/entities/dev.jsonl"))
    parser.add_argument("--errors", action="store_true", help="list misses and wrong tags")
    parser.add_argument("--speed-stories", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (the machine is noisy)")
    args = parser.parse_args()

    docs = load(Path(args.set))
    lexicon = load_lexicon()
    predicted = tag_corpus([(d["title"], d["paragraphs"]) for d in docs], lexicon)
    counts = score(docs, predicted)
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp_gold", "gold", "tp_pred", "pred")}
    print(f"{len(docs)} documents, {total['gold']} gold entities, {total['pred']} predicted\n")
    print(f"{'type':14}{'precision':>10}{'recall':>10}{'F1':>10}{'gold':>7}{'pred':>7}")
    for kind in (*TYPES, "overall"):
        c = total if kind == "overall" else counts[kind]
        p, r, f = prf(c)
        print(f"{kind:14}{p:10.3f}{r:10.3f}{f:10.3f}{c['gold']:7}{c['pred']:7}")
    if args.errors:
        print()
        errors(docs, predicted)

    stories = stories_of(docs * (args.speed_stories // len(docs) + 1), 600)[: args.speed_stories]
    words = sum(len(p.split()) for _, body in stories for p in body) / len(stories)
    times = []
    for _ in range(args.repeat):
        fresh = load_lexicon.__wrapped__()  # a cold lexicon: no plans remembered
        start = time.process_time()
        tag_corpus(stories, fresh)
        times.append(time.process_time() - start)
    best, median = min(times), statistics.median(times)
    print(
        f"\nspeed: {len(stories)} stories of {words:.0f} words (each made of several dev "
        f"articles' paragraphs), CPU time on one core, {args.repeat} runs: best "
        f"{len(stories) / best:,.0f} stories/s, median {len(stories) / median:,.0f} stories/s"
    )


if __name__ == "__main__":
    main()
