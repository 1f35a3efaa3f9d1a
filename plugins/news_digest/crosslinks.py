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
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .entities.rules import STOPWORDS
from .gcpause import without_cyclic_gc
from .memo import Memo

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


@dataclass
class Corpus:
    """The stories as small integers, built once and shared by every pass.

    Stories are numbered in date order (then by key), entities in order of first
    appearance; each story's entities and each entity's stories are compact arrays.
    Looking a path up in a dict costs a cache miss that grows with the corpus, so
    paths are looked up here once, and the passes work on integers only.
    """

    ordered: list[StoryRef]  # by date, then key
    paths: list[str]  # entity id -> path
    entities: list[array]  # story -> its entity ids, most salient first, each once
    saliences: list[array]  # story -> the salience of each of those entities
    postings: list[array]  # entity id -> its stories, in date order
    posted: list[array]  # entity id -> its salience in each of those stories
    slots: list[array]  # story -> where it sits in each of its entities' postings


@without_cyclic_gc
def index(stories: Sequence[StoryRef] | Corpus) -> Corpus:
    """Number the stories and their entities (see Corpus); a Corpus is returned as is."""
    if isinstance(stories, Corpus):
        return stories
    ordered = sorted(stories, key=lambda s: (s.date, s.key))
    ids: dict[str, int] = {}
    paths: list[str] = []
    postings: list[array] = []
    posted: list[array] = []
    entities: list[array] = []
    saliences: list[array] = []
    slots: list[array] = []
    for i, story in enumerate(ordered):
        mine, weights, where = array("l"), array("d"), array("l")
        for path, salience in story.entities:
            e = ids.get(path)
            if e is None:
                e = ids[path] = len(paths)
                paths.append(path)
                postings.append(array("l"))
                posted.append(array("d"))
            elif postings[e] and postings[e][-1] == i:
                continue  # listed twice: the first, most salient, counts
            mine.append(e)
            weights.append(salience)
            where.append(len(postings[e]))
            postings[e].append(i)
            posted[e].append(salience)
        entities.append(mine)
        saliences.append(weights)
        slots.append(where)
    return Corpus(ordered, paths, entities, saliences, postings, posted, slots)


@without_cyclic_gc
def registry(
    stories: Sequence[StoryRef] | Corpus, pair_entities: int = 5
) -> dict[str, EntityStats]:
    """Every entity: its stories newest first, stories per month, what it appears with.

    Co-occurrence counts pairs among each story's ``pair_entities`` most salient
    entities, so the cost per story stays bounded.
    """
    corpus = index(stories)
    ordered, paths = corpus.ordered, corpus.paths
    # Newest first; stories of the same moment by key: the corpus has them in key
    # order already, and a reversed sort is still stable.
    order = sorted(range(len(ordered)), key=lambda i: ordered[i].date, reverse=True)
    keys: list[list[str]] = [[] for _ in paths]
    months: list[dict[int, int]] = [{} for _ in paths]
    together: list[dict[int, int]] = [{} for _ in paths]
    for i in order:
        story = ordered[i]
        month = story.date.year * 12 + story.date.month - 1
        mine = corpus.entities[i]
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


def _nearest(postings: array, at: int, count: int) -> array:
    """The ``count`` postings nearest to the one at ``at`` (itself included)."""
    half = count // 2
    return postings[max(0, at - half) : at + half + 1]


@without_cyclic_gc
def related(
    stories: Sequence[StoryRef] | Corpus, limit: int, exclude: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """The ``limit`` stories most related to each story.

    Score: for every shared entity, the product of its salience in both stories and
    its rarity in the corpus (idf). Ties go to the newer story, then by key.
    ``exclude`` maps story keys to a group (their cluster): stories of the same group
    are not each other's related stories.
    """
    corpus = index(stories)
    ordered, postings, posted = corpus.ordered, corpus.postings, corpus.posted
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
        telling = sorted(
            zip(corpus.entities[i], corpus.saliences[i], corpus.slots[i], strict=True),
            key=lambda es: (-es[1] * idf[es[0]], es[0]),
        )
        for e, salience, at in telling:
            if budget <= 0:
                break
            # The stories nearest in time through this entity, on either side.
            indexes = postings[e]
            lo, hi = max(0, at - half), min(at + half + 1, len(indexes))
            weight = salience * idf[e]
            theirs = posted[e]
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
def clusters(
    stories: Sequence[StoryRef] | Corpus, memo: Memo | None = None
) -> dict[str, list[str]]:
    """Stories that report the same event, as {lead key: [all keys, lead first]}.

    Only clusters of two or more are returned. The lead is the earliest report
    (then by key): it stands for the cluster on the home page and in the feeds.
    """
    corpus = index(stories)
    ordered = corpus.ordered
    tops = [mine[:CLUSTER_TOP_ENTITIES] for mine in corpus.entities]
    postings = [array("l") for _ in corpus.paths]
    slots = []
    for i, top in enumerate(tops):
        where = array("l")
        for e in top:
            where.append(len(postings[e]))
            postings[e].append(i)
        slots.append(where)
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Signatures for every story up front: a linear pass, cheaper than checking which
    # stories will be compared.
    # (``memo`` keeps them between builds, by what they read.)
    opening = [(s.title + " " + s.text)[:SIGNATURE_CHARS] for s in ordered]
    trigrams = [memo.get(t, signature) for t in opening] if memo else list(map(signature, opening))
    headlines = [_content_words(s.title) for s in ordered]
    window = CLUSTER_DAYS * 86400
    for i, story in enumerate(ordered):
        shared: Counter = Counter()
        for e, at in zip(tops[i], slots[i], strict=True):
            for j in _nearest(postings[e], at, CLUSTER_NEIGHBOURS):
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
