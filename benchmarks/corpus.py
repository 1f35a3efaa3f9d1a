"""A realistic corpus of seeds for benchmarks and rebuild tests.

Stories arrive at about ten a day, so N stories span N/10 days (10,000 is near
three years). Two in three are plain text with an editor's sidecar giving the date;
one in three is an HTML page with its metadata in OpenGraph tags and the scrape's
navigation, asides and footer around the article. Each story names 6 to 14 people,
places and organisations drawn from a Zipf-like distribution (a few everywhere,
most rare), the first of them in the headline, all of them in sentences the way
news prose names them ("Defense Minister Olga Varneth said ...", "in Kharkiv",
"the Dervan Energy Council"), with surnames alone after the first mention. Bodies
run to about 600 words. One story in twenty is a second source's near-copy of an
earlier one. The cast grows with the archive (two entities per story in the
universe), so an entity's share of stories is the same at every size.

Everything comes from one ``random.Random(seed)``: the same N and seed give the
same files, byte for byte.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from itertools import accumulate
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "plugins" / "news_digest" / "entities" / "data"
STORIES_PER_DAY = 10
ENTITIES_PER_STORY = 2
START = datetime(2020, 1, 1, 6, 0, tzinfo=UTC)

WORDS = """
government officials said would talks agreement week plans new security economic
support report years country international told statement meeting process minister
could also since policy market prices rates budget trade growth forces border
region city local public water energy power health schools roads workers families
court case law ruling judges election vote campaign party leaders members council
company shares profits investors deal bank loans debt funds project contract
building plant factory jobs wages strike union protest crowd police arrested
reported early late morning evening night sources added expected announced months
decision future move step plan programme effort efforts response pressure concern
concerns questions answers critics supporters analysts experts residents people
""".split()
VERBS = "said announced confirmed warned argued insisted noted denied claimed".split()
ROLES = (
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defense Minister",
    "Finance Minister",
    "Senator",
    "Governor",
    "Mayor",
    "General",
    "Chief Executive",
)
ORG_HEADS = ("Council", "Ministry", "Party", "Bank", "Corporation", "Institute", "Agency")
SOURCES = ("Harbour Times", "Press TV", "Daily Ledger", "Evening Post", "Wire Service")
SYLLABLES = "var neth kol ast mir dan sel tor ben rav lin ost ker vel mar dov sen tal "
SYLLABLES += "bru cal dor fen gar hol jas kem lud mon nor pel quin rus sab tev ulm wen"
SYLLABLES = SYLLABLES.split()


@dataclass(frozen=True)
class Entity:
    kind: str  # person | place | organization
    name: str
    short: str  # what a later mention says


def _names(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [x for x in lines if x and not x.startswith("#")]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def universe(size: int, rng: random.Random) -> list[Entity]:
    """``size`` distinct entities: half people, a quarter places, a quarter organisations."""
    given = [n for n in _names(DATA / "given_names.txt") if n.isascii() and n.isalpha()]
    places = [
        line.split("\t")[0]
        for line in (DATA / "places.tsv").read_text(encoding="utf-8").splitlines()[1:]
        if line.split("\t")[1] == "city" and line.split("\t")[0].replace(" ", "").isalpha()
    ]
    rng.shuffle(places)
    out: list[Entity] = []
    seen: set[str] = set()
    while len(out) < size:
        k = len(out) % 4
        if k in (0, 1):
            surname = _word(rng, rng.randint(2, 3))
            name = f"{rng.choice(given)} {surname}"
            entity = Entity("person", name, surname)
        elif k == 2 and places:
            name = places.pop()
            entity = Entity("place", name, name)
        else:
            name = f"{_word(rng, rng.randint(2, 3))} {rng.choice(ORG_HEADS)}"
            entity = Entity("organization", name, name)
        if name not in seen:
            seen.add(name)
            out.append(entity)
    return out


def _filler(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(WORDS, k=count))


def _sentence(rng: random.Random, entity: Entity, first: bool) -> str:
    if entity.kind == "person":
        who = f"{rng.choice(ROLES)} {entity.name}" if first else entity.short
        return f"{who} {rng.choice(VERBS)} that the {_filler(rng, rng.randint(8, 16))}."
    if entity.kind == "place":
        return f"In {entity.name}, the {_filler(rng, rng.randint(8, 16))}."
    return f"The {entity.name} {rng.choice(VERBS)} the {_filler(rng, rng.randint(8, 16))}."


@dataclass(frozen=True)
class Story:
    name: str  # file name in seeds/
    data: bytes
    sidecar: bytes | None


def story(rng: random.Random, cast: list[Entity], cum_weights: list[float], date: datetime):
    """One story: a headline naming its lead entities, ~600 words of prose."""
    picked = list(dict.fromkeys(rng.choices(cast, cum_weights=cum_weights, k=rng.randint(6, 14))))
    lead = picked[0]
    title = f"{lead.name} {rng.choice(VERBS)} {_filler(rng, 3)} on {_filler(rng, 2)}"
    if len(picked) > 1 and picked[1].kind == "place":
        title += f" in {picked[1].name}"
    title = title[0].upper() + title[1:]
    paragraphs, mentioned = [], set()
    words = 0
    while words < 600:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.6:
                entity = rng.choice(picked)
                sentences.append(_sentence(rng, entity, entity not in mentioned))
                mentioned.add(entity)
            else:
                text = _filler(rng, rng.randint(10, 20))
                sentences.append(text[0].upper() + text[1:] + ".")
        paragraph = " ".join(sentences)
        words += len(paragraph.split())
        paragraphs.append(paragraph)
    for entity in picked:
        if entity not in mentioned:
            paragraphs.append(_sentence(rng, entity, True))
    return title, paragraphs, rng.choice(SOURCES), date


def render(i: int, title: str, paragraphs: list[str], source: str, date: datetime) -> Story:
    """A story as a seed file: text with a sidecar, or (one in three) an HTML page."""
    stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ")
    if i % 3 == 2:
        body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | {escape(source)}</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="{escape(source)}">
<meta property="og:url" content="https://news.example.org/{i}">
<meta property="article:published_time" content="{stamp}">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article><h1>{escape(title)}</h1>
{body}
</article>
<aside><h3>Most read</h3><ol><li><a href="/a">Markets close higher</a></li></ol></aside>
<footer>Copyright {escape(source)}. All rights reserved.</footer>
</body></html>
"""
        return Story(f"{date:%Y/%m}/story-{i:06d}.html", page.encode(), None)
    text = title + "\n\n" + "\n\n".join(paragraphs) + f"\n\n{source}\n"
    return Story(f"{date:%Y/%m}/story-{i:06d}.txt", text.encode(), f'date = "{stamp}"\n'.encode())


def generate(n: int, seed: int = 1) -> list[Story]:
    """``n`` seed files (and sidecars), deterministic in ``n`` and ``seed``."""
    rng = random.Random(seed)
    cast = universe(max(20, ENTITIES_PER_STORY * n), rng)
    cum_weights = list(accumulate(1 / (rank + 1) for rank in range(len(cast))))
    days = max(1, n // STORIES_PER_DAY)
    made: list[tuple[str, list[str], str, datetime]] = []
    out: list[Story] = []
    for i in range(n):
        if made and rng.random() < 0.05:
            title, paragraphs, _, date = rng.choice(made)
            paragraphs = list(paragraphs)
            paragraphs[-1] = paragraphs[-1] + " " + _filler(rng, 6) + "."
            item = (title, paragraphs, "Second Source", date + timedelta(hours=2))
        else:
            date = START + timedelta(minutes=rng.randrange(days * 24 * 60))
            item = story(rng, cast, cum_weights, date)
        made.append(item)
        out.append(render(i, *item))
    return out


def write(stories: list[Story], seeds: Path) -> None:
    for s in stories:
        path = seeds / s.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(s.data)
        if s.sidecar is not None:
            Path(f"{path}.meta.toml").write_bytes(s.sidecar)


def edited(s: Story, rng: random.Random) -> Story:
    """The same story with one sentence added to its last paragraph (an editor's fix)."""
    extra = f" {_filler(rng, 8).capitalize()}."
    if s.name.endswith(".html"):
        data = s.data.replace(b"</p>\n</article>", extra.encode() + b"</p>\n</article>", 1)
    else:
        text = s.data.decode().rstrip("\n")
        body, source = text.rsplit("\n\n", 1)
        data = f"{body}{extra}\n\n{source}\n".encode()
    return Story(s.name, data, s.sidecar)
