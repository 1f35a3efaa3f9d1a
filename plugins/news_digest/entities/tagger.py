"""Finding and typing the people, places and organisations one story mentions.

Precision first: a capitalised word becomes an entity only with evidence: the
lexicon or gazetteer knows it, a role stands before it ("Defense Secretary James
Mattis"), it ends like an organisation or a place ("... Committee", "... Basin"),
it starts with a known given name, a speech verb follows it, or it is the surname
of a person already named. Everything else is left out, and a bare surname the
story never names in full is handed to the corpus pass (``corpus.py``).

Two steps per run of capitalised words. :func:`plan` decides, from the words and
a few facts about their neighbours, what the run holds; it is pure and memoised,
because news repeats itself (the same names, the same roles). ``StoryTagger``
then applies the plan to the story, where the story's own state (the people it
has named, the acronyms it has defined) resolves bare names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .lexicon import Known, Lexicon
from .rules import (
    ABBREVIATIONS,
    ADJECTIVE_SUFFIXES,
    CONNECTORS,
    DEMONYMS,
    GENERIC_MODIFIERS,
    LOCATIVE_WORDS,
    NAME_CONNECTORS,
    NAME_PARTICLES,
    NOT_ENTITIES,
    ORG_HEADS,
    OTHER_HEADS,
    PLACE_HEADS,
    PLACE_OF_WORDS,
    SPEECH_VERBS,
    STOPWORDS,
    TITLE_HEADS,
    TITLE_MODIFIERS,
    TITLE_OF_PHRASES,
    WEEKDAYS_MONTHS,
)

PERSON, PLACE, ORG = "person", "place", "organization"


def _upper_class() -> str:
    """A regex character class of every upper-case Latin, Greek and Cyrillic letter."""
    codes = [*range(0x250), *range(0x370, 0x530)]
    return "".join(re.escape(chr(c)) for c in codes if chr(c).isupper())


_UP = _upper_class()
_PARTICLES = "|".join(NAME_PARTICLES)
_PARTICLE_PREFIX = re.compile(rf"^(?:{_PARTICLES})[-‐]")
# A word after the capital: an acronym with dots (U.S.), or letters with hyphens and
# apostrophes (Grabar-Kitarović, O'Brien), perhaps ending in a dot (Gen., or a sentence).
_WORD = r"(?:(?:\.[{UP}])+\.?|[\w'’]*(?:[-‐][\w'’]+)*\.?)".replace("{UP}", _UP)
_CONNECTOR = "|".join(sorted((re.escape(c) for c in CONNECTORS), key=len, reverse=True))
# A run of capitalised words, with connectors and particles inside ("Bashar al-Assad",
# "Bank of England"). It starts with a capital so that the regex engine can skip
# ahead to the next one: this search is a large part of the tagger's time.
CANDIDATE = re.compile(
    rf"[{_UP}]{_WORD}(?:[ ]+(?:(?:{_CONNECTOR})[ ]+){{0,2}}(?:(?:{_PARTICLES})[-‐])?[{_UP}]{_WORD})*"
)
_ACRONYM_DEF = re.compile(rf" \(([{_UP}][{_UP}0-9&]{{1,7}})\)")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*\s*[\"'“‘(\[]*$")
_POSSESSIVE = ("'s", "’s", "'", "’")
# Single words dropped at once: they are never entities on their own.
_NEVER_ALONE = STOPWORDS | WEEKDAYS_MONTHS | DEMONYMS | NOT_ENTITIES | {d + "s" for d in DEMONYMS}
_MEMO_LIMIT = 500_000
_CAMEL = re.compile(r"^[A-Z][a-z]+[A-Z][A-Za-z]*$")
_CAMEL_NAME = re.compile(
    r"^(?:Mc|Mac|De|Di|Da|La|Le|Van|Von|Du|Al|El|O)[A-Z]"
)  # McConnell, DeSantis
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{2,6}$")
# ", who", ", 34," after a name: a person.
_APPOSITIVE = re.compile(r", (?:who\b|aged \d|\d{1,3},)")
_KOREAN_GIVEN = re.compile(r"^[A-Z][a-z]+-[a-z]+$")
_NOT_NAME_WORDS = STOPWORDS | DEMONYMS | TITLE_MODIFIERS | TITLE_HEADS
COMPASS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
    ]
)


class Mention(NamedTuple):
    """One surface string of an entity in a story."""

    surface: str
    paragraph: int  # -1 for the headline
    start: int  # character offsets in that paragraph
    end: int


class Found:
    """An entity of one story: how often, where first, in which words it is mentioned."""

    __slots__ = ("count", "first", "headline", "name", "surfaces", "type")

    def __init__(self, name: str, type_: str) -> None:
        self.name = name
        self.type = type_
        self.count = 0
        self.surfaces: set[str] = set()
        self.headline: Mention | None = None  # first mention in the headline
        self.first: Mention | None = None  # first mention in the body

    def add(self, mention: Mention) -> None:
        self.count += 1
        self.surfaces.add(mention.surface)
        first = self.first
        if mention.paragraph < 0:
            if self.headline is None:
                self.headline = mention
        elif (
            first is None
            or mention.paragraph < first.paragraph
            or (mention.paragraph == first.paragraph and mention.start < first.start)
        ):
            self.first = mention


@dataclass
class Analysis:
    """What the tagger made of one story, before the corpus pass."""

    entities: dict[tuple[str, str], Found] = field(default_factory=dict)
    pending: list[Mention] = field(default_factory=list)  # bare capitalised words, unresolved
    maybe: list[Mention] = field(default_factory=list)  # unknown full names: people if named again
    paragraph_count: int = 0


class _Token:
    __slots__ = ("adjective", "connector", "end", "possessive", "sentence_end", "start", "text")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.start = start
        self.end = start + len(text)
        self.connector = self.possessive = self.sentence_end = self.adjective = False


def _tokens(run: str, pos: int) -> list[_Token]:
    """The words of a capitalised run, with possessives and sentence ends marked."""
    out = []
    for text in run.split(" "):
        if not text:
            pos += 1
            continue
        token = _Token(text, pos)
        pos += len(text) + 1
        if not text[0].isupper() and "-" not in text and "‐" not in text:
            token.connector = True
        elif text[-1] == "." and not _keeps_dot(text):
            token.text, token.end, token.sentence_end = text[:-1], token.end - 1, True
        if "-" in token.text:
            head, _, tail = token.text.rpartition("-")
            if tail in ADJECTIVE_SUFFIXES and head[:1].isupper():
                # "New York-based", "US-led": the name, then an adjective ending the run.
                token.text, token.end, token.adjective = head, token.end - len(tail) - 1, True
        for suffix in _POSSESSIVE:
            if token.text.endswith(suffix) and len(token.text) > len(suffix) + 1:
                token.text = token.text[: -len(suffix)]
                token.end -= len(suffix)
                token.possessive = True
                break
        out.append(token)
    return out


def _keeps_dot(text: str) -> bool:
    """ "U.S.", "Gen.", "F.": the dot belongs to the word, it does not end a sentence."""
    return "." in text[:-1] or len(text) == 2 or text.lower() in ABBREVIATIONS


def _segments(tokens: list[_Token], sentence_start: bool) -> list[tuple[list[_Token], bool]]:
    """Split a capitalised run where it cannot be one name: stop words, possessives,
    sentence ends, hyphenated adjectives. Each segment says if it starts a sentence."""
    segments: list[tuple[list[_Token], bool]] = []
    current: list[_Token] = []
    initial = sentence_start
    for token in tokens:
        low = token.text.lower()
        in_name = bool(current) and not current[-1].connector  # "Theresa May"
        acronym = len(token.text) > 1 and token.text.isupper()  # "US" is not "us"
        if (
            not token.connector
            and not acronym
            and (
                low in STOPWORDS
                or (low in WEEKDAYS_MONTHS and not in_name and not token.possessive)
            )
        ):
            if current:
                segments.append((current, initial))
            current, initial = [], False
            continue
        current.append(token)
        if token.possessive or token.sentence_end or token.adjective:
            segments.append((current, initial))
            current, initial = [], token.sentence_end
    if current:
        segments.append((current, initial))
    cleaned = []
    for seg, init in segments:  # a segment neither starts nor ends with a connector
        while seg and seg[0].connector:
            seg = seg[1:]
        while seg and seg[-1].connector:
            seg = seg[:-1]
        if seg:
            cleaned.append((seg, init))
    return cleaned


# --------------------------------------------------------------------------- planning


class Context(NamedTuple):
    """What a segment's neighbours say about it."""

    locative: bool  # right after "in", "from", "near"...
    place_of: bool  # right after "the province of", "the city of"...
    speech: bool  # a speech verb right after it ("... said"), or "said" right before
    acronym: str | None  # "(DNC)" right after it defines an acronym


# Plan steps: ("known", name, type, i, j), ("person", i, j), ("single", i),
# ("acronym", letters, name, type). i..j index the segment's words.
Step = tuple


def _generic(words: Sequence[str], connectors: Sequence[bool]) -> bool:
    """True for a generic name like "Foreign Ministry" (only government functions before
    the head), which would merge every country's ministry into one entity."""
    return all(c or w.lower() in GENERIC_MODIFIERS for w, c in zip(words, connectors, strict=True))


class Edge(NamedTuple):
    """What the words around a capitalised run say: the run's outer context."""

    after_locative: bool  # the word before is "in", "from", "near", "of"...
    after_place_of: bool  # the words before are "province of", "city of"...
    after_said: bool  # the word before is "said", "says", "told"
    before_speech: bool  # the word after is a speech verb ("said")
    acronym: str | None  # "(DNC)" right after the run defines an acronym


def run_plan(run: str, initial: bool, edge: Edge, lex: Lexicon) -> tuple[Step, ...]:
    """What one capitalised run holds, as steps with character offsets into the run.

    Pure, and memoised per lexicon: news repeats the same names in the same
    places, so most runs are planned once per build.
    """
    key = (run, initial, edge)
    steps = lex.memo.get(key)
    if steps is None:
        if len(lex.memo) > _MEMO_LIMIT:
            lex.memo.clear()
        steps = lex.memo[key] = tuple(_plan_run(run, initial, edge, lex))
    return steps


_NO_EDGE = Edge(False, False, False, False, None)
# One probe per field: does setting it change the plan?
_PROBES = tuple(_NO_EDGE._replace(**{f: ("ZZ" if f == "acronym" else True)}) for f in Edge._fields)


def plan_needs(run: str, initial: bool, lex: Lexicon) -> tuple[tuple[Step, ...], tuple[str, ...]]:
    """A run's plan when its neighbours say nothing, and which ``Edge`` fields would
    change it. Most runs need none, and a bare word only one or two, so the tagger
    looks at neighbouring words only when they matter. Memoised per lexicon."""
    key = (run, initial)
    found = lex.memo.get(key)
    if found is None:
        if len(lex.memo) > _MEMO_LIMIT:
            lex.memo.clear()
        plain = tuple(_plan_run(run, initial, _NO_EDGE, lex))
        needs = tuple(
            field
            for field, probe in zip(Edge._fields, _PROBES, strict=True)
            if tuple(_plan_run(run, initial, probe, lex)) != plain
        )
        found = lex.memo[key] = (plain, needs)
    return found


def _plan_run(run: str, initial: bool, edge: Edge, lex: Lexicon) -> list[Step]:
    segments = _segments(_tokens(run, 0), initial)
    out: list[Step] = []
    for n, (seg, init) in enumerate(segments):
        first, last = n == 0, n == len(segments) - 1
        prev = run[: seg[0].start].split()[-1:] if not first else []
        prev_low = prev[0].lower() if prev else ""
        ctx = Context(
            locative=edge.after_locative if first else prev_low in LOCATIVE_WORDS,
            place_of=edge.after_place_of if first else False,
            speech=(edge.before_speech if last else False) or (edge.after_said and first),
            acronym=edge.acronym if last else None,
        )
        words = [t.text for t in seg]
        connectors = [t.connector for t in seg]
        for step in _plan(words, connectors, init, ctx, lex, 0):
            kind = step[0]
            if kind == "known":
                out.append(
                    ("known", Known(step[1], step[2]), seg[step[3]].start, seg[step[4] - 1].end)
                )
            elif kind in ("person", "maybe"):
                i, j = step[1], step[2]
                out.append((kind, seg[i].start, seg[j - 1].end, j - i == 1))
            elif kind == "single":
                token = seg[step[1]]
                out.append(("single", token.start, token.end, token.text))
            else:
                out.append(step)
    return out


def _plan(words, connectors, initial, ctx, lex, offset) -> list[Step]:  # noqa: C901
    n = len(words)
    surface = " ".join(words)
    known = lex.lookup(surface)
    if known is None and n > 1 and words[0].lower() == "the":
        known = lex.lookup(" ".join(words[1:]))
    if known is None and surface.isupper() and len(surface) > 3:
        # A dateline: "WASHINGTON (Reuters) -", "APIA, Samoa -".
        known = lex.folded.get(surface.lower()) or lex.towns.get(surface.title())
    if known is not None:
        return [("known", known.name, known.type, offset, offset + n)]
    no_ctx = Context(False, False, False, None)

    # "University of Oxford", "Central Bank of the Republic of Turkey", "Serum Institute
    # of India": an organisation's kind before "of"/"for" names the whole run.
    first_of = next(
        (i for i in range(1, n - 1) if connectors[i] and words[i] in ("of", "for")), None
    )
    if (
        first_of is not None
        and any(w.lower() in ORG_HEADS for w in words[:first_of])
        and not any(w.lower() in TITLE_HEADS for w in words[:first_of])
    ):
        start = 1 if words[0].lower() == "the" else 0
        return [("known", " ".join(words[start:]), ORG, offset + start, offset + n)]

    # "and" joins two names, except inside an organisation's ("Competition and Markets Authority").
    if "and" in words:
        i = words.index("and")
        if not (words[-1].lower() in ORG_HEADS and connectors[i] and 0 < i < n - 1):
            return _plan(words[:i], connectors[:i], initial, no_ctx, lex, offset) + _plan(
                words[i + 1 :], connectors[i + 1 :], False, ctx, lex, offset + i + 1
            )

    # Split "X of Y" unless X is a role, an organisation's kind or a kind of place.
    for i in range(1, n - 1):
        if connectors[i] and words[i].startswith("of"):
            before = words[i - 1].lower()
            if (
                before not in ORG_HEADS
                and before not in TITLE_HEADS
                and before not in PLACE_OF_WORDS
            ):
                return _plan(words[:i], connectors[:i], initial, no_ctx, lex, offset) + _plan(
                    words[i + 1 :], connectors[i + 1 :], False, ctx, lex, offset + i + 1
                )

    # A role before a name: "US President Donald Trump", "Secretary of State Mike Pompeo",
    # "Chief Financial Officer Ned Segal". The last role word with a name after it wins.
    role = _role(words, connectors)
    if role is not None:
        block_start, role_word, name_start = role
        # What stands before the role: "Metropolitan Police", "Hennepin County", "US".
        steps = []
        for cut in sorted({role_word, block_start}, reverse=True):
            if cut:
                steps = [
                    step
                    for step in _plan(words[:cut], connectors[:cut], initial, no_ctx, lex, offset)
                    if step[0] == "known"
                ]
                if steps:
                    break
        return [*steps, ("person", offset + name_start, offset + n)]
    if initial and n > 1 and words[0].lower() in DEMONYMS:
        return _plan(words[1:], connectors[1:], False, ctx, lex, offset + 1)

    last = words[-1].lower()
    if n > 1 and last in ORG_HEADS:
        if _generic(words[:-1], connectors[:-1]):
            return []
        start = 1 if words[0].lower() == "the" else 0
        name = " ".join(words[start:])
        steps = [("known", name, ORG, offset + start, offset + n)]
        if ctx.acronym:
            steps.append(("acronym", ctx.acronym, name, ORG))
        return steps
    if n > 1 and last in PLACE_HEADS:
        if _generic(words[:-1], connectors[:-1]):
            return []
        return [("known", surface, PLACE, offset, offset + n)]
    if n > 1 and last in OTHER_HEADS:
        return []
    if n == 2 and words[0].lower() in COMPASS:
        # "North Kensington", "East Midlands" when the rest is a known place.
        rest = lex.lookup(words[1]) or lex.towns.get(words[1])
        if rest is not None and rest.type == PLACE:
            return [("known", surface, PLACE, offset, offset + n)]

    if ctx.locative:
        town = lex.towns.get(surface)
        if town is not None:
            return [("known", town.name, town.type, offset, offset + n)]
    if ctx.place_of and n == 1:
        return [("known", surface, PLACE, offset, offset + 1)]

    if n > 1:
        # "of", "for" inside an unknown name: not a person.
        if any(c and w not in NAME_CONNECTORS for w, c in zip(words, connectors, strict=True)):
            return []
        names = [w for w, c in zip(words, connectors, strict=True) if not c]
        first = lex.lookup(words[0])
        given = words[0].lower() in lex.given_names
        particle = any(_PARTICLE_PREFIX.match(w) for w in words[1:])
        korean = any(_KOREAN_GIVEN.match(w) for w in words[1:])  # "Son Heung-min"
        if len(names) > 4 or any(w.lower() in ORG_HEADS for w in names[1:]):
            return []
        if first is not None and first.type != PERSON and not given:
            return []  # a place or organisation first: several names run together
        if given or particle or korean or ctx.speech:
            return [("person", offset, offset + n)]
        # No evidence yet: a person if the story later calls it by its last word alone.
        if any(w.lower() in _NOT_NAME_WORDS for w in names):
            return []
        return [("maybe", offset, offset + n)]
    word = words[0]
    low = word.lower()
    if low not in _NEVER_ALONE:
        if _CAMEL.match(word) and not _CAMEL_NAME.match(word):
            return [("known", word, ORG, offset, offset + 1)]  # "DeepMind", "BioNTech"
        if _ACRONYM.match(word) and low not in NOT_ENTITIES:
            return [("known", word, ORG, offset, offset + 1)]  # "FINMA", "IAAF"
    return [("single", offset)]


def _role(words: Sequence[str], connectors: Sequence[bool]) -> tuple[int, int, int] | None:
    """(start of the role words, the role word, start of the name) when a role stands
    before a name."""
    n = len(words)
    for k in range(n - 2, -1, -1):
        if connectors[k] or words[k].lower() not in TITLE_HEADS:
            continue
        # The role may go on: "Secretary of State", "Director of National Intelligence".
        j = k + 1
        if j < n - 1 and connectors[j] and words[j] == "of":
            m = j + 1
            while m < n - 1 and (
                (connectors[m] and words[m] == "the")
                or words[m].lower() in TITLE_OF_PHRASES
                or words[m].lower() in TITLE_MODIFIERS
            ):
                m += 1
            if m > j + 1:
                j = m
        name = [(w, c) for w, c in zip(words[j:], connectors[j:], strict=True)]
        if not name or any(c and w not in NAME_CONNECTORS for w, c in name):
            continue
        if len(name) == 1 and name[0][0].lower() in ORG_HEADS | OTHER_HEADS | PLACE_HEADS:
            continue
        if any(w.lower() in TITLE_HEADS for w, c in name if not c):
            continue
        b = k
        while b > 0 and (
            words[b - 1].lower() in TITLE_HEADS
            or words[b - 1].lower() in TITLE_MODIFIERS
            or words[b - 1].lower().rstrip("s") in DEMONYMS
            or (connectors[b - 1] and words[b - 1].startswith("of"))
        ):
            b -= 1
        return b, k, j
    return None


# --------------------------------------------------------------------------- applying


class StoryTagger:
    """Tags one story against a lexicon. Create one per story; call :meth:`run`."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self.analysis = Analysis()
        self.surnames: dict[str, tuple[str, str]] = {}  # lower surname -> entity key
        self.acronyms: dict[str, tuple[str, str]] = {}
        self.bare: set[str] = set()  # lower-case words the story uses alone, as names

    def _record(self, known: Known, mention: Mention) -> None:
        blocked = self.lex.blocked
        if blocked and (known.name.lower() in blocked or mention.surface.lower() in blocked):
            return
        found = self.analysis.entities.get(known)
        if found is None:
            found = self.analysis.entities[known] = Found(known.name, known.type)
            if known.type == PERSON and " " in known.name:
                surname = known.name.rsplit(" ", 1)[1]
                for form in {surname, _PARTICLE_PREFIX.sub("", surname)}:
                    self.surnames.setdefault(form.lower(), known)
        found.add(mention)

    def _apply(self, steps: tuple[Step, ...], base: int, text: str, para: int) -> None:
        entities = self.analysis.entities
        for step in steps:
            kind = step[0]
            if kind == "known":
                _, known, i, j = step
                mention = Mention(text[base + i : base + j], para, base + i, base + j)
                found = entities.get(known)
                if found is None or self.lex.blocked:
                    self._record(known, mention)
                else:
                    found.add(mention)
            elif kind == "person":
                _, i, j, single = step
                self._person(Mention(text[base + i : base + j], para, base + i, base + j), single)
            elif kind == "single":
                _, i, j, word = step
                self._single(word, Mention(word, para, base + i, base + i + len(word)))
            elif kind == "maybe":
                self.analysis.maybe.append(
                    Mention(
                        text[base + step[1] : base + step[2]], para, base + step[1], base + step[2]
                    )
                )
            else:  # acronym
                self.acronyms[step[1].lower()] = (step[2], step[3])

    def _person(self, mention: Mention, single: bool) -> None:
        surface = mention.surface
        known = self.lex.lookup(surface)
        if known is not None and known.type != PERSON:
            known = None  # "President Putin" is the person even if a town is called Putin
        if known is None and single:
            self.bare.add(surface.lower())
            key = self.surnames.get(surface.lower())
            if key is None:
                self.analysis.pending.append(mention)
                return
            known = Known(*key)
        self._record(known or Known(surface, PERSON), mention)

    def _single(self, word: str, mention: Mention) -> None:
        """A lone capitalised word (``mention`` is the word itself, possessive cut off)."""
        low = word.lower()
        self.bare.add(low)
        key = self.surnames.get(low)  # first: "May's plans" after "Theresa May"
        if key is not None:
            self._record(key, mention)
            return
        if low in _NEVER_ALONE:
            return
        if low in self.acronyms:
            self._record(Known(*self.acronyms[low]), mention)
            return
        # "US-led", "US-Russia": a known name inside a hyphenated word.
        if "-" in word:
            start = mention.start
            for part in word.split("-"):
                known = self.lex.lookup(part) if part[:1].isupper() else None
                if known is not None:
                    self._record(known, Mention(part, mention.paragraph, start, start + len(part)))
                start += len(part) + 1
            return
        if not (word.isupper() and len(word) > 1):  # an acronym nobody defined: left out
            self.analysis.pending.append(mention)

    def _scan(self, text: str, para: int) -> None:
        lex = self.lex
        exact, folded, entities, memo = lex.exact, lex.folded, self.analysis.entities, lex.memo
        for match in CANDIDATE.finditer(text):
            run = match.group()
            start, end = match.span()
            if " " not in run and run[-1] not in ".'’":
                # Fast paths for the commonest runs: one word, known or never a name.
                upper = run.isupper()
                low = run.lower()
                known = exact.get(run) or (None if upper else folded.get(low))
                if known is not None and (upper or low not in STOPWORDS):
                    found = entities.get(known)
                    if found is None or lex.blocked or found.first is None:
                        self._record(known, Mention(run, para, start, end))
                    else:  # a later mention of a known entity: only count it
                        found.count += 1
                        found.surfaces.add(run)
                    continue
                if not upper and low in _NEVER_ALONE:
                    continue
            before = text[max(0, start - 30) : start]
            initial = (start < 8 and not before.strip(" \"'“‘([")) or bool(
                _SENTENCE_END.search(before[-8:])
            )
            steps, needs = memo.get((run, initial)) or plan_needs(run, initial, lex)
            if needs:
                edge = self._edge(needs, before, text, end)
                if edge != _NO_EDGE:
                    steps = run_plan(run, initial, edge, lex)
            if text.startswith(" (", end) and self._defines_acronym(
                run, steps, start, text, para, end
            ):
                continue
            self._apply(steps, start, text, para)

    def _defines_acronym(
        self, run: str, steps: tuple[Step, ...], start: int, text: str, para: int, end: int
    ) -> bool:
        """ "Sri Lanka Podujana Peramuna (SLPP)": a name followed by its acronym in
        brackets is an organisation (unless known otherwise), and the acronym another
        name for it. Only when the letters match the name's initials."""
        match = _ACRONYM_DEF.match(text, end)
        if match is None:
            return False
        letters = match.group(1)
        words = [w for w in re.split(r"[ -]", run) if w]
        if words and words[0].lower() == "the":
            words = words[1:]
        initials = "".join(w[0] for w in words if w[0].isupper())
        if initials.upper() != letters.replace("&", "") or len(words) < 2:
            return False
        whole = [s for s in steps if s[0] == "known" and s[2] == 0 and s[3] == len(run)]
        known = whole[0][1] if whole else Known(" ".join(words), ORG)
        if not whole and any(s[0] == "person" for s in steps):
            return False  # a person's initials ("John Smith (JS)") are not an organisation
        name_start = start + run.index(words[0])
        self._record(
            known, Mention(text[name_start : start + len(run)], para, name_start, start + len(run))
        )
        self.acronyms[letters.lower()] = known
        return True

    @staticmethod
    def _edge(needs: tuple[str, ...], before: str, text: str, end: int) -> Edge:
        """Only the facts about a run's neighbours that its plan depends on."""
        cut = before.rfind(" ", 0, len(before) - 1)
        prev = before[cut + 1 :].strip().lower()
        locative = place_of = said = speech = False
        acronym = None
        if "after_locative" in needs:
            locative = prev in LOCATIVE_WORDS or prev == "of"
        if "after_place_of" in needs and prev == "of":
            words = before.split()
            place_of = len(words) > 1 and words[-2].lower() in PLACE_OF_WORDS
        if "after_said" in needs:
            said = prev in ("said", "says", "told")
        if "before_speech" in needs:
            after = text[end : end + 14].split(maxsplit=1)
            speech = (bool(after) and after[0].strip(",") in SPEECH_VERBS) or bool(
                _APPOSITIVE.match(text, end)
            )
        if "acronym" in needs:
            match = _ACRONYM_DEF.match(text, end)
            acronym = match.group(1) if match else None
        return Edge(locative, place_of, said, speech, acronym)

    # ------------------------------------------------------------------ headline

    def _scan_headline(self, title: str) -> None:
        """In a headline only names the body or the lexicon already knows count:
        headlines capitalise freely, and an all-caps one hides every cue."""
        text = headline_case(title, self.lex)
        names = {name.lower(): (name, kind) for name, kind in self.analysis.entities}
        for match in CANDIDATE.finditer(text):
            for seg, _ in _segments(_tokens(match.group(), match.start()), True):
                self._headline_segment(seg, text, names)

    def _headline_segment(self, seg: list[_Token], text: str, names: dict | None = None) -> None:
        if names is None:
            names = {name.lower(): (name, kind) for name, kind in self.analysis.entities}
        for size in range(len(seg), 0, -1):
            for i in range(0, len(seg) - size + 1):
                part = seg[i : i + size]
                if part[0].connector or part[-1].connector:
                    continue
                start, end = part[0].start, part[-1].end
                surface = text[start:end]
                key = names.get(surface.lower()) or (
                    self.surnames.get(surface.lower()) if size == 1 else None
                )
                known = Known(*key) if key else self.lex.lookup(surface)
                if known is not None:
                    self._record(known, Mention(surface, -1, start, end))
                    if i:
                        self._headline_segment(seg[:i], text, names)
                    if i + size < len(seg):
                        self._headline_segment(seg[i + size :], text, names)
                    return

    def run(self, title: str, paragraphs: Sequence[str]) -> Analysis:
        self.analysis.paragraph_count = len(paragraphs)
        for i, paragraph in enumerate(paragraphs):
            self._scan(paragraph, i)
        self._resolve_pending()  # bare surnames seen before the full name
        self._resolve_maybe()
        self._surnames_over_places()
        self._scan_headline(title)
        return self.analysis

    def _resolve_maybe(self) -> None:
        """An unknown full name is a person when the story also uses its last word alone
        ("Dmytro Kuleba ... Kuleba told reporters")."""
        if not self.analysis.maybe:
            return
        left = []
        for mention in self.analysis.maybe:
            last = mention.surface.rsplit(" ", 1)[-1].lower()
            if last in self.bare:
                self._record(Known(mention.surface, PERSON), mention)
            else:
                left.append(mention)
        self.analysis.maybe = left
        self._resolve_pending()

    def _resolve_pending(self) -> None:
        """Bare words that are the surname of a person the story names in full
        ("Mattis said" ... "James Mattis")."""
        still = []
        for mention in self.analysis.pending:
            key = self.surnames.get(mention.surface.lower())
            if key is not None:
                self._record(Known(*key), mention)
            else:
                still.append(mention)
        self.analysis.pending = still

    def _surnames_over_places(self) -> None:
        """ "Jackson", "Hamilton": in a story about a person of that surname, the
        bare word is the person, not the town."""
        entities = self.analysis.entities
        for key in [k for k in entities if k[1] == PLACE and k[0].lower() in self.surnames]:
            place = entities.pop(key)
            person = entities[self.surnames[key[0].lower()]]
            person.count += place.count
            person.surfaces |= place.surfaces
            if place.first is not None and (
                person.first is None or place.first[1:3] < person.first[1:3]
            ):
                person.first = place.first


def headline_case(title: str, lex: Lexicon) -> str:
    """An all-caps headline in title case, keeping the acronyms the lexicon knows."""
    letters = [c for c in title if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return title
    words = []
    for word in title.split(" "):
        core = word.strip("\"'“”‘’,.:;!?()")
        words.append(word if core in lex.exact and core.isupper() else word.capitalize())
    return " ".join(words)


def analyse(title: str, paragraphs: Sequence[str], lexicon: Lexicon) -> Analysis:
    """Tag one story: entities found in it, and bare names left for the corpus pass."""
    return StoryTagger(lexicon).run(title, paragraphs)
