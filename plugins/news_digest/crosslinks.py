"""Corpus-wide links between stories: the entity registry, related stories and
clusters of stories that report the same event.

Everything here is linear in the corpus: inverted indexes from entity to stories,
and each story looks only at a bounded neighbourhood of each of its entities'
stories (the nearest in time), never at all pairs.
"""

from __future__ import annotations

import heapq
import math
import re
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .entities.rules import STOPWORDS
from .gcpause import without_cyclic_gc

# Related stories: each story visits at most RELATED_BUDGET candidate stories, at most
# RELATED_PER_ENTITY (the nearest in time) through each of its entities, most telling
# entities (salience x idf) first. Bounds the work per story whatever the corpus size.
RELATED_BUDGET = 64
RELATED_PER_ENTITY = 16
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
CLUSTER_COMPARISONS = 16  # at most this many texts compared per story
SIGNATURE_CHARS = 1000  # how much of a story (headline first) its signature reads
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


@without_cyclic_gc
def registry(stories: Sequence[StoryRef], pair_entities: int = 5) -> dict[str, EntityStats]:
    """Every entity: its stories newest first, stories per month, what it appears with.

    Co-occurrence counts pairs among each story's ``pair_entities`` most salient
    entities, so the cost per story stays bounded.
    """
    # Entities as small integers and months as numbers: compact tables that stay as
    # fast to update at 10,000 stories as at 1,000.
    ids: dict[str, int] = {}
    paths: list[str] = []
    keys: list[list[str]] = []
    months: list[dict[int, int]] = []
    together: list[dict[int, int]] = []
    for story in newest_first(stories):
        month = story.date.year * 12 + story.date.month - 1
        mine = []
        for path, _ in story.entities:
            e = ids.get(path)
            if e is None:
                e = ids[path] = len(paths)
                paths.append(path)
                keys.append([])
                months.append({})
                together.append({})
            mine.append(e)
        mine = list(dict.fromkeys(mine))  # each entity once
        for e in mine:
            keys[e].append(story.key)
            counts = months[e]
            counts[month] = counts.get(month, 0) + 1
        top = mine[:pair_entities]
        for e in top:
            counter = together[e]
            for other in top:
                if other != e:
                    counter[other] = counter.get(other, 0) + 1
    stats: dict[str, EntityStats] = {}
    for e, path in enumerate(paths):
        # nsmallest, not a full sort: a common entity appears with thousands of others.
        best = heapq.nsmallest(
            APPEARS_WITH_MAX, together[e].items(), key=lambda kv: (-kv[1], paths[kv[0]])
        )
        stats[path] = EntityStats(
            path,
            stories=keys[e],
            months={f"{m // 12:04d}-{m % 12 + 1:02d}": n for m, n in sorted(months[e].items())},
            appears_with=[(paths[other], n) for other, n in best],
        )
    return stats


def _nearest(postings: list[int], i: int, count: int) -> list[int]:
    """The ``count`` postings nearest to story ``i`` in the date order (``i`` excluded)."""
    at = bisect_left(postings, i)
    half = count // 2
    return [j for j in postings[max(0, at - half) : at + half + 1] if j != i]


@without_cyclic_gc
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
    # Entities as small integers and their postings as compact arrays, the entity's
    # salience alongside: the inner loop reads short arrays, not scattered dicts.
    ids: dict[str, int] = {}
    postings: list[array] = []
    saliences: list[array] = []
    entities: list[list[tuple[int, float]]] = []
    for i, story in enumerate(ordered):
        mine = []
        for path, salience in story.entities:
            e = ids.get(path)
            if e is None:
                e = ids[path] = len(postings)
                postings.append(array("l"))
                saliences.append(array("d"))
            postings[e].append(i)
            saliences[e].append(salience)
            mine.append((e, salience))
        entities.append(mine)
    total = len(ordered)
    idf = [math.log(1 + total / len(p)) for p in postings]
    exclude = exclude or {}
    group_of = [exclude.get(s.key) for s in ordered]
    tie = [(-s.date.timestamp(), s.key) for s in ordered]
    half = RELATED_PER_ENTITY // 2
    out: dict[str, list[str]] = {}
    for i, story in enumerate(ordered):
        group = group_of[i]
        scores: dict[int, float] = defaultdict(float)
        budget = RELATED_BUDGET
        telling = sorted(entities[i], key=lambda e: (-e[1] * idf[e[0]], e[0]))
        for e, salience in telling:
            if budget <= 0:
                break
            # The stories nearest in time through this entity, on either side.
            indexes = postings[e]
            at = bisect_left(indexes, i)
            lo, hi = max(0, at - half), min(at + half + 1, len(indexes))
            weight = salience * idf[e]
            theirs = saliences[e]
            for k in range(lo, hi):
                j = indexes[k]
                if j != i and (group is None or group_of[j] != group):
                    scores[j] += weight * theirs[k]
            budget -= RELATED_PER_ENTITY
        # Ties: the newer story first, then by key.
        best = heapq.nsmallest(limit, scores.items(), key=lambda kv: (-kv[1], tie[kv[0]]))
        out[story.key] = [ordered[j].key for j, score in best if score > 0]
    return out


def _content_words(text: str) -> set[str]:
    return {w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in STOPWORDS}


def signature(text: str) -> int:
    """The word trigrams of a text's opening as a 4,096-bit set, in one Python int.

    The headline and lede say what happened, and a near-copy shares them. A bit set
    is compact (512 bytes a story) and compares in C; CRC-32 rather than hash()
    keeps it the same in every process, so clusters are deterministic.
    """
    words = [m.group().lower() for m in _WORD.finditer(text[:SIGNATURE_CHARS])]
    bits = 0
    for i in range(len(words) - 2):
        bits |= 1 << (zlib.crc32(f"{words[i]} {words[i + 1]} {words[i + 2]}".encode()) & 4095)
    return bits


def _bit_jaccard(a: int, b: int) -> float:
    union = (a | b).bit_count()
    return (a & b).bit_count() / union if union else 0.0


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@without_cyclic_gc
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

    # Signatures for every story up front: a linear pass, cheaper than checking which
    # stories will be compared.
    trigrams = [signature(s.title + " " + s.text) for s in ordered]
    headlines = [_content_words(s.title) for s in ordered]
    window = CLUSTER_DAYS * 86400
    for i, story in enumerate(ordered):
        shared: Counter = Counter()
        for path, _ in story.entities[:CLUSTER_TOP_ENTITIES]:
            for j in _nearest(postings[path], i, CLUSTER_NEIGHBOURS):
                if j > i:  # each pair once
                    shared[j] += 1
        candidates = [
            j
            for j, count in shared.items()
            if count >= CLUSTER_MIN_SHARED
            and (ordered[j].date - story.date).total_seconds() <= window
        ]
        # The most entities in common first, then the nearest in time: a bounded number.
        candidates.sort(key=lambda j: (-shared[j], j))
        for j in candidates[:CLUSTER_COMPARISONS]:
            if find(i) == find(j):
                continue
            if (
                _bit_jaccard(trigrams[i], trigrams[j]) >= CLUSTER_DUPLICATE
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
