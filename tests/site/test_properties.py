"""Properties that hold for any text in a seed (hypothesis): the published page shows
that text, whitespace normalised, and adds no element, attribute or URL that the
theme does not put on its own pages; every feed stays well-formed and parses cleanly.

Each example builds a real site from three generated seeds. Any Unicode text is
drawn, with Markdown, HTML, Pelican link and Jinja syntax among it, except control
and format characters and line separators (their handling has its own tests in
test_hostile_corpus.py and test_seeds.py).
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree
from scan import problems
from sitebuild import make_site

CHARACTERS = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
SYNTAX = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "{filename}/x.md",
        "{{ SITENAME }}",
        "{% if 1 %}",
        "[a](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "*",
        "_",
        "#",
        "&amp;",
        "1986.",
        "- ",
        "> ",
        "`",
        "|",
        "~~~",
        "<!--",
        "]]>",
        "&#0;",
        "\\",
        "{tag}x",
    ]
)
WORDS = st.lists(
    st.one_of(st.text(CHARACTERS, min_size=1, max_size=12), SYNTAX), min_size=1, max_size=12
)
LINE = WORDS.map(" ".join).filter(lambda s: s.split())
STORY = st.tuples(LINE, st.lists(LINE, min_size=1, max_size=4))
END = "That is the end of this generated story."
BASE = "http://localhost:8000/"  # DIGEST_FEED_DOMAIN: the absolute base of a local build


def shown(text: str) -> str:
    """What a reader sees of ``text``: whitespace squashed, Unicode composed (NFC)."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def structure(soup: BeautifulSoup) -> set[tuple[str, frozenset[str]]]:
    return {(e.name, frozenset(e.attrs)) for e in soup.find_all(True)}


def theme_structure(site) -> tuple[set, set[str]]:
    """Every (element, attribute names) and absolute URL of the theme's story pages."""
    shapes: set = set()
    urls: set[str] = set()
    for page in (site.output / "stories").glob("*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        shapes |= structure(soup)
        urls |= {v for v in links(soup) if not v.startswith(("/", "#", BASE))}
    return shapes, urls


def links(soup: BeautifulSoup) -> list[str]:
    return [e.get(a) for e in soup.find_all(True) for a in ("href", "src") if e.get(a)]


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,  # the same examples on every CI run; run with --hypothesis-seed to explore
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each example is a build: no shrinking
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(stories=st.lists(STORY, min_size=3, max_size=3))
def test_any_seed_text_is_shown_as_text_and_nothing_more(built_sample, stories):
    shapes, theme_urls = theme_structure(built_sample)
    with tempfile.TemporaryDirectory() as tmp:
        site = make_site(Path(tmp), with_sample_seeds=False)
        for i, (headline, paragraphs) in enumerate(stories):
            text = headline + "\n\n" + "\n\n".join([*paragraphs, END]) + "\n"
            site.write_seed(f"seed-{i}.txt", text, f"date = 2021-06-0{i + 1}T10:00:00Z\n")
        site.build()
        pages = {}
        for page in (site.output / "stories").glob("*/index.html"):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            pages.setdefault(soup.h1.get_text(), []).append(soup)
        for headline, paragraphs in stories:
            expected = [shown(p) for p in paragraphs] + [END]
            same_title = pages[shown(headline)]  # two seeds may share a headline
            bodies = [[p.get_text() for p in s.select(".story-body p")] for s in same_title]
            assert expected in bodies, (expected, bodies)
            soup = same_title.pop(bodies.index(expected))
            assert structure(soup) <= shapes, structure(soup) - shapes
            # Links: the site's own (relative, or absolute from its base), or the theme's.
            own = ("/", "#", BASE)
            assert {u for u in links(soup) if not u.startswith(own)} <= theme_urls
        assert problems(site.output) == []
        titles = []
        for feed in site.output.rglob("*.xml"):
            etree.parse(str(feed))
            parsed = feedparser.parse(feed.read_bytes())
            assert parsed.bozo == 0, (feed.name, parsed.get("bozo_exception"))
            if feed.name == "atom.xml" and feed.parent.name == "feeds":
                titles = [e.title for e in parsed.entries]
        # One entry per cluster of near-identical stories: at least one, none unknown.
        assert titles and set(titles) <= {shown(h) for h, _ in stories}
