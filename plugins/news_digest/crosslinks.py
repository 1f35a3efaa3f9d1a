"""Corpus-wide links between stories: the entity registry, related stories and
clusters of stories that report the same event.

Everything here is linear in the corpus: inverted indexes from entity to stories,
and each story looks only at a bounded neighbourhood of each of its entities'
stories (the nearest in time), never at all pairs.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .entities.rules import STOPWORDS

# Related stories: how many of a story's entities are followed, and how many stories
# nearest in time each entity contributes. Bounds the work per story.
RELATED_ENTITIES = 8
RELATED_NEIGHBOURS = 64
# Clusters: stories within this many days, sharing at least CLUSTER_MIN_SHARED of
# their CLUSTER_TOP_ENTITIES most salient entities, are compared; they report the
# same event when their texts are near-duplicates (word-trigram Jaccard ≥
# CLUSTER_DUPLICATE) or their headlines say the same (content-word Jaccard ≥
# CLUSTER_HEADLINE) about the same entities.
CLUSTER_DAYS = 2
CLUSTER_TOP_ENTITIES = 5
CLUSTER_MIN_SHARED = 2
CLUSTER_DUPLICATE = 0.5
CLUSTER_HEADLINE = 0.5
CLUSTER_NEIGHBOURS = 32
APPEARS_WITH_MAX = 10

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class StoryRef:
    """What the cross-linking needs to know of one story."""

    key: str  # the story's slug
    date: datetime
    title: str
    text: str  # the body as plain text
    entities: tuple[tuple[str, float], ...]  # (entity path, salience), most salient first
    source: str | None = None


@dataclass
class EntityStats:
    """One entity across the corpus."""

    path: str
    stories: list[str] = field(default_factory=list)  # story keys, newest first
    months: dict[str, int] = field(default_factory=dict)  # "2018-07" -> stories that month
    appears_with: list[tuple[str, int]] = field(default_factory=list)  # (path, stories together)


def newest_first(stories: Iterable[StoryRef]) -> list[StoryRef]:
    """Newest first; stories of the same moment by key, so the order is stable."""
    ordered = sorted(stories, key=lambda s: s.key)
    ordered.sort(key=lambda s: s.date, reverse=True)
    return ordered


def registry(stories: Sequence[StoryRef], pair_entities: int = 10) -> dict[str, EntityStats]:
    """Every entity: its stories newest first, stories per month, what it appears with.

    Co-occurrence counts pairs among each story's ``pair_entities`` most salient
    entities, so the cost per story stays bounded.
    """
    stats: dict[str, EntityStats] = {}
    together: dict[str, Counter] = defaultdict(Counter)
    for story in newest_first(stories):
        month = story.date.strftime("%Y-%m")
        paths = [p for p, _ in story.entities]
        for path in paths:
            entry = stats.get(path)
            if entry is None:
                entry = stats[path] = EntityStats(path)
            entry.stories.append(story.key)
            entry.months[month] = entry.months.get(month, 0) + 1
        top = paths[:pair_entities]
        for path in top:
            counter = together[path]
            for other in top:
                if other != path:
                    counter[other] += 1
    for path, entry in stats.items():
        pairs = sorted(together[path].items(), key=lambda kv: (-kv[1], kv[0]))
        entry.appears_with = pairs[:APPEARS_WITH_MAX]
    return stats


def _postings(stories: Sequence[StoryRef]) -> dict[str, list[int]]:
    """Entity path -> indexes of its stories, in the order of ``stories`` (by date)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, story in enumerate(stories):
        for path, _ in story.entities:
            index[path].append(i)
    return index


def _nearest(postings: list[int], i: int, count: int) -> list[int]:
    """The ``count`` postings nearest to story ``i`` in the date order (``i`` excluded)."""
    at = bisect_left(postings, i)
    half = count // 2
    return [j for j in postings[max(0, at - half) : at + half + 1] if j != i]


def related(
    stories: Sequence[StoryRef], limit: int, exclude: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """The ``limit`` stories most related to each story.

    Score: for every shared entity, the product of its salience in both stories and
    its rarity in the corpus (idf). Ties go to the newer story, then by key.
    ``exclude`` maps story keys to a group (their cluster): stories of the same group
    are not each other's related stories.
    """
    ordered = sorted(stories, key=lambda s: (s.date, s.key))
    postings = _postings(ordered)
    weights = [dict(s.entities) for s in ordered]
    total = len(ordered)
    idf = {path: math.log(1 + total / len(p)) for path, p in postings.items()}
    exclude = exclude or {}
    out: dict[str, list[str]] = {}
    for i, story in enumerate(ordered):
        group = exclude.get(story.key)
        scores: dict[int, float] = defaultdict(float)
        for path, salience in story.entities[:RELATED_ENTITIES]:
            for j in _nearest(postings[path], i, RELATED_NEIGHBOURS):
                if group is not None and exclude.get(ordered[j].key) == group:
                    continue
                scores[j] += salience * weights[j][path] * idf[path]
        # Ties: the newer story first, then by key.
        best = sorted(
            scores.items(),
            key=lambda kv: (-kv[1], -ordered[kv[0]].date.timestamp(), ordered[kv[0]].key),
        )
        out[story.key] = [ordered[j].key for j, score in best[:limit] if score > 0]
    return out


def _content_words(text: str) -> set[str]:
    return {w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in STOPWORDS}


def _trigrams(text: str) -> set[int]:
    words = [m.group().lower() for m in _WORD.finditer(text)]
    return {hash((words[i], words[i + 1], words[i + 2])) for i in range(len(words) - 2)}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def clusters(stories: Sequence[StoryRef]) -> dict[str, list[str]]:
    """Stories that report the same event, as {lead key: [all keys, lead first]}.

    Only clusters of two or more are returned. The lead is the earliest report
    (then by key): it stands for the cluster on the home page and in the feeds.
    """
    ordered = sorted(stories, key=lambda s: (s.date, s.key))
    postings: dict[str, list[int]] = defaultdict(list)
    for i, story in enumerate(ordered):
        for path, _ in story.entities[:CLUSTER_TOP_ENTITIES]:
            postings[path].append(i)
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    trigrams: dict[int, set[int]] = {}
    headlines: dict[int, set[str]] = {}
    window = CLUSTER_DAYS * 86400
    for i, story in enumerate(ordered):
        shared: Counter = Counter()
        for path, _ in story.entities[:CLUSTER_TOP_ENTITIES]:
            for j in _nearest(postings[path], i, CLUSTER_NEIGHBOURS):
                if j > i:  # each pair once
                    shared[j] += 1
        for j, count in sorted(shared.items()):
            other = ordered[j]
            if count < CLUSTER_MIN_SHARED or find(i) == find(j):
                continue
            if abs((other.date - story.date).total_seconds()) > window:
                continue
            for k in (i, j):
                if k not in trigrams:
                    trigrams[k] = _trigrams(ordered[k].title + " " + ordered[k].text)
                    headlines[k] = _content_words(ordered[k].title)
            if (
                _jaccard(trigrams[i], trigrams[j]) >= CLUSTER_DUPLICATE
                or _jaccard(headlines[i], headlines[j]) >= CLUSTER_HEADLINE
            ):
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ordered)):
        groups[find(i)].append(i)
    out = {}
    for members in groups.values():
        if len(members) > 1:
            members.sort()  # date order: the earliest report leads
            keys = [ordered[m].key for m in members]
            out[keys[0]] = keys
    return out
