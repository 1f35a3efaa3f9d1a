"""The corpus pass: what the whole digest teaches each story, and salience.

A bare surname ("Mattis said...") in a story that never names the person in full
resolves to the one full name the corpus has for it; with two candidates
("Clinton": Bill or Hillary) it stays untagged. Linear in the corpus size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..gcpause import without_cyclic_gc
from .lexicon import Lexicon
from .tagger import PERSON, Analysis, Found, Mention, analyse


class Entity(NamedTuple):
    """An entity of one story, ready to publish."""

    name: str  # canonical name
    type: str  # person | place | organization
    salience: float  # 0..1: how central the entity is to the story
    mentions: tuple[str, ...]  # the distinct surface strings, sorted
    first: Mention | None  # its first mention in the body, else in the headline
    display: str = ""  # the name readers see, when the editor's vocabulary gives one

    @property
    def label(self) -> str:
        return self.display or self.name


def surname_index(analyses: Iterable[Analysis]) -> dict[str, set[str]]:
    """Lower-case surname -> every full person name the corpus has with it."""
    index: dict[str, set[str]] = defaultdict(set)
    for analysis in analyses:
        for name, kind in analysis.entities:
            parts = name.split()
            if kind == PERSON and len(parts) > 1:
                index[parts[-1].lower()].add(name)
    return index


def salience(found: Found, paragraphs: int) -> float:
    """How central an entity is: headline, lede, how often, how early.

    0.35 for the headline, 0.25 for the lede, up to 0.25 for frequency (six
    mentions count fully) and up to 0.15 for how early it first appears.
    """
    first = found.first.paragraph if found.first is not None else paragraphs
    count = found.count if found.count < 6 else 6
    score = (
        0.35 * (found.headline is not None)
        + 0.25 * (first == 0)
        + 0.25 * count / 6
        + 0.15 * (1 - first / (paragraphs or 1))
    )
    return round(score, 3)


def finish(
    analysis: Analysis,
    surnames: dict[str, set[str]],
    lexicon: Lexicon,
    people: frozenset[str] = frozenset(),
) -> list[Entity]:
    """A story's entities, bare surnames resolved across the corpus, most salient first.

    ``people`` are the full names other stories established as people: an unknown
    full name here that is one of them is that person.
    """
    found = analysis.entities
    for mention in analysis.maybe:
        if mention.surface in people:
            key = (mention.surface, PERSON)
            if key not in found:
                found[key] = Found(*key)
            found[key].add(mention)
    for mention in analysis.pending:
        names = surnames.get(mention.surface.lower())
        if names is not None and len(names) == 1:
            key = (next(iter(names)), PERSON)
            if key not in found:
                found[key] = Found(*key)
            found[key].add(mention)
    paragraphs = analysis.paragraph_count
    display = lexicon.display
    entities = [
        Entity(
            f.name,
            f.type,
            salience(f, paragraphs),
            tuple(sorted(f.surfaces)) if len(f.surfaces) > 1 else tuple(f.surfaces),
            f.first or f.headline,
            display.get(f.name, "") if display else "",
        )
        for f in found.values()
    ]
    entities.sort(key=lambda e: (-e.salience, e.name, e.type))
    return entities


@without_cyclic_gc
def tag_corpus(
    stories: Sequence[tuple[str, Sequence[str]]], lexicon: Lexicon
) -> list[list[Entity]]:
    """Entities of every (headline, paragraphs) story, in the order given."""
    return finish_corpus(
        [analyse(title, paragraphs, lexicon) for title, paragraphs in stories], lexicon
    )


@without_cyclic_gc
def finish_corpus(analyses: Sequence[Analysis], lexicon: Lexicon) -> list[list[Entity]]:
    """Entities of every story from its own analysis (see :func:`analyse`) and what the
    whole corpus knows. Changes the analyses: each is good for one corpus pass."""
    surnames = surname_index(analyses)
    people = frozenset(name for a in analyses for name, kind in a.entities if kind == PERSON)
    return [finish(a, surnames, lexicon, people) for a in analyses]
