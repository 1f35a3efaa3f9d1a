"""What the tagger knows before it reads a story: the built-in lexicon, the place
gazetteer, given names, and the editor's vocabulary on top of them.

Loaded once per build (and per vocabulary) and then only looked up.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
TYPES = ("person", "place", "organization")
# Cities this size or larger, countries, states and regions are places anywhere; a
# smaller town only right after "in", "from", "near"...
BIG_CITY = 100_000


class Known(NamedTuple):
    """A lexicon entry: the canonical name and type a surface form stands for.

    A plain tuple underneath, so it is its own key in the tagger's tables."""

    name: str
    type: str


@dataclass
class Lexicon:
    exact: dict[str, Known] = field(default_factory=dict)  # surface -> entity, case as written
    folded: dict[str, Known] = field(default_factory=dict)  # lower-cased surface -> entity
    towns: dict[str, Known] = field(default_factory=dict)  # places only after a locative word
    given_names: frozenset[str] = frozenset()  # lower-case
    blocked: frozenset[str] = frozenset()  # lower-case surfaces never tagged
    display: dict[str, str] = field(default_factory=dict)  # canonical -> display name
    display_to_name: dict[str, str] = field(default_factory=dict)  # display name -> canonical
    description: dict[str, str] = field(default_factory=dict)
    link: dict[str, str] = field(default_factory=dict)
    memo: dict = field(default_factory=dict)  # the tagger's plans, by segment

    def add(self, surface: str, known: Known, *, override: bool = False) -> None:
        surface = surface.strip()
        if not surface:
            return
        if override or surface not in self.exact:
            self.exact[surface] = known
        if override or surface.lower() not in self.folded:
            self.folded[surface.lower()] = known

    def lookup(self, surface: str) -> Known | None:
        """Exact match first; a case-folded one only for multi-letter, non-acronym forms."""
        known = self.exact.get(surface)
        if known is not None:
            return known
        if not surface.isupper():
            return self.folded.get(surface.lower())
        return None


class VocabularyError(ValueError):
    """The editor's vocabulary file cannot be used; the message says why."""


def _read_lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _builtin() -> Lexicon:
    lex = Lexicon()
    for line in _read_lines("lexicon.tsv"):
        name, kind, *rest = line.split("\t")
        known = Known(name, kind)
        lex.add(name, known)
        for alias in rest[0].split("|") if rest else []:
            lex.add(alias, known)
    for line in _read_lines("places.tsv"):
        name, kind, population, _country = line.split("\t")
        known = Known(name, "place")
        if kind != "city" or int(population) >= BIG_CITY:
            lex.add(name, known)
        else:
            lex.towns.setdefault(name, known)
    given = {n.lower() for n in _read_lines("given_names.txt")}
    given |= {n.lower() for n in _read_lines("given_names_extra.txt")}
    lex.given_names = frozenset(given)
    return lex


def parse_vocabulary(text: str) -> dict:
    """The editor's vocabulary (TOML), checked. See README for the format."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"not valid TOML: {exc}") from exc
    unknown = set(data) - {"blocked", "entities"}
    if unknown:
        raise VocabularyError(f"unknown top-level key(s): {', '.join(sorted(unknown))}")
    blocked = data.get("blocked", [])
    if not isinstance(blocked, list) or not all(isinstance(b, str) for b in blocked):
        raise VocabularyError("'blocked' must be a list of strings")
    entities = data.get("entities", {})
    if not isinstance(entities, dict):
        raise VocabularyError("'entities' must be a table of tables")
    for name, entry in entities.items():
        if not isinstance(entry, dict):
            raise VocabularyError(f"entity {name!r} must be a table")
        extra = set(entry) - {"type", "aliases", "display", "description", "link"}
        if extra:
            raise VocabularyError(f"entity {name!r}: unknown key(s) {', '.join(sorted(extra))}")
        if entry.get("type", "person") not in TYPES:
            raise VocabularyError(f"entity {name!r}: type must be one of {', '.join(TYPES)}")
        for key in ("display", "description", "link"):
            if key in entry and not isinstance(entry[key], str):
                raise VocabularyError(f"entity {name!r}: {key} must be a string")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise VocabularyError(f"entity {name!r}: aliases must be a list of strings")
        link = entry.get("link", "")
        if link and not str(link).startswith(("https://", "http://")):
            raise VocabularyError(f"entity {name!r}: link must be an http(s) URL")
    return data


@cache
def load_lexicon(vocabulary_text: str = "") -> Lexicon:
    """The built-in lexicon with the editor's vocabulary applied on top.

    Editors win: their aliases, types and blocked words override the built-in ones.
    """
    base = _builtin()
    lex = Lexicon(
        exact=dict(base.exact),
        folded=dict(base.folded),
        towns=dict(base.towns),
        given_names=base.given_names,
    )
    if not vocabulary_text.strip():
        return lex
    data = parse_vocabulary(vocabulary_text)
    lex.blocked = frozenset(b.lower() for b in data.get("blocked", []))
    for name, entry in data.get("entities", {}).items():
        old = lex.lookup(name)
        kind = entry.get("type") or (old.type if old else None)
        if kind is None:
            raise VocabularyError(f"entity {name!r}: give its type (not in the built-in lexicon)")
        known = Known(name, kind)
        lex.add(name, known, override=True)
        for alias in entry.get("aliases", []):
            lex.add(alias, known, override=True)
        if entry.get("display"):
            lex.display[name] = entry["display"]
            lex.display_to_name[entry["display"]] = name
        if entry.get("description"):
            lex.description[name] = entry["description"]
        if entry.get("link"):
            lex.link[name] = entry["link"]
    return lex
