"""A scrape folder holding everything at once: the build publishes what is good, names
what is bad, and nothing from a seed can run in a browser or break a feed.

One site is built (with ``invoke build``, as the editor does) from the corpus below;
each case says what must become of its seed. The closing note of the hostile-input
work lists these cases and outcomes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree
from news_digest.plainmarkdown import PlainMarkdownReader, plain_document
from pelican.readers import MarkdownReader
from pelican.settings import read_settings
from scan import problems
from sitebuild import make_site

STORY = "Ministers meet to discuss the harbour plan\n\nThe council met on Monday to discuss the harbour plan and its costs.\n\nHarbour Desk\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
LONG_HEADLINE = "Council " + "very " * 998 + "long headline"  # 5,000 characters
BIG_BODY = ("The harbour plan was debated at length by the council. " * 20 + "\n\n") * 1900

HOSTILE_HTML = """<!doctype html><html><head>
<title>Script page | Evil News</title>
<meta property="og:title" content="Harbour report &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;">
<meta property="og:site_name" content="Evil &quot; onmouseover=&quot;alert(1)">
<meta property="og:url" content="javascript:alert(document.cookie)">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "</script><script>alert('ld')</script>",
 "author": {"name": "<img src=x onerror=alert(1)>"}, "datePublished": "2021-05-01T10:00:00Z"}</script>
<script>alert('head')</script><style>p { background: url(javascript:alert(1)) }</style>
</head><body onload="alert('body')"><article>
<p>First paragraph with an image <img src="x" onerror="alert('img')"> in the middle.</p>
<p>Second paragraph with <a href="javascript:alert('link')">a javascript link</a> and <a href="data:text/html;base64,PHNjcmlwdD4=">a data link</a>.</p>
<script>document.write('inline')</script>
<p>Third paragraph <svg onload="alert('svg')"><script>alert('svg2')</script><a xlink:href="javascript:alert(3)">x</a></svg> with an SVG and <iframe src="javascript:alert(1)"></iframe> an iframe.</p>
<p style="background:url(javascript:alert(1))">Fourth paragraph with a style that tries to run code.</p>
<form action="javascript:alert(1)"><input name="q" onfocus="alert(1)" autofocus><button formaction="javascript:alert(2)">Go</button></form>
<object data="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"></object><embed src="javascript:alert(1)">
<p>Fifth paragraph <math><mi xlink:href="javascript:alert(1)">x</mi></math> ends the story.</p>
</article></body></html>"""

MALFORMED_HTML = """<html><head><title>Unclosed tags everywhere</title><body><article>
<h1>Unclosed tags everywhere<p>The first paragraph never closes <b>bold <i>and italic
<p>The second paragraph starts anyway <div>inside a div</span> and ends.</p></p></div>
<p>The third paragraph is fine.
"""

MARKDOWN_TEXT = """Headline with *stars* and [brackets](javascript:alert(1))

{filename}/secret.md {static}/x.png {tag}politics {{ SITENAME }} {% if 1 %}jinja{% endif %} <script>alert(1)</script> <b onclick="alert(1)">bold</b> &amp;

# not a heading
- not a list
1. not a list either

World Desk
"""


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    sidecar: str | None
    outcome: str  # "published", "skipped" or "refused"
    expect: str  # the headline shown, or the reason given


def utf16(text: str) -> bytes:
    return "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")


CASES = [
    Case("empty.txt", b"", None, "skipped", "is empty"),
    Case("whitespace.txt", b"  \n\r\n\t \n", None, "skipped", "is empty"),
    Case("photo.txt", PNG, None, "skipped", "PNG image"),
    Case("noise.html", bytes(range(256)) * 8, None, "skipped", "binary"),
    Case(
        "utf16.txt",
        utf16("UTF-16 story about Zürich\n\nGrüße from the café.\n"),
        "date = 2021-05-02",
        "published",
        "UTF-16 story about Zürich",
    ),
    Case(
        "bom-crlf.txt",
        b"\xef\xbb\xbfBOM and CRLF story\r\n\r\nA line.\r\nAnother line.\r\n",
        "date = 2021-05-03",
        "published",
        "BOM and CRLF story",
    ),
    Case(
        "cp1252.txt",
        "Windows story costs 5 € – “quoted”\n\nIt’s fine.\n".encode("cp1252"),
        "date = 2021-05-04",
        "published",
        "Windows story costs 5 € – “quoted”",
    ),
    Case(
        "controls.txt",
        b"Control\x00 \x1bcharacters\x0c headline\n\nBody\x00 with \x07bell and \x0cfeed.\n",
        "date = 2021-05-05",
        "published",
        "Control characters",
    ),  # a form feed breaks the page
    Case(
        "big.txt",
        ("A two megabyte story\n\n" + BIG_BODY).encode(),
        "date = 2021-05-06",
        "published",
        "A two megabyte story",
    ),
    Case(
        "long-headline.txt",
        f"{LONG_HEADLINE}\n\nA short body.\n".encode(),
        "date = 2021-05-07",
        "published",
        LONG_HEADLINE,
    ),
    Case(
        "same-1.txt",
        STORY.encode(),
        "date = 2021-05-08",
        "published",
        "Ministers meet to discuss the harbour plan",
    ),
    Case(
        "same-2.txt",
        STORY.encode(),
        "date = 2021-05-09",
        "published",
        "Ministers meet to discuss the harbour plan",
    ),
    Case(
        "name with spaces (copy).txt",
        b"Spaces and brackets in a file name\n\nText.\n",
        "date = 2021-05-10",
        "published",
        "Spaces and brackets in a file name",
    ),
    Case(
        "новости 東京.txt",
        b"Non-Latin file name\n\nText.\n",
        "date = 2021-05-11",
        "published",
        "Non-Latin file name",
    ),
    Case(
        "deep/er/and/deeper/nested.txt",
        b"Nested folders story\n\nText.\n",
        "date = 2021-05-12",
        "published",
        "Nested folders story",
    ),
    Case(
        "no-extension",
        b"A seed without an extension\n\nText.\n",
        "date = 2021-05-13",
        "published",
        "A seed without an extension",
    ),
    Case("notes.docx", b"PK\x03\x04 word", None, "refused", "unknown file extension"),
    Case(
        "arabic.txt",
        "مجلس المدينة يناقش خطة الميناء\n\nناقش المجلس الخطة يوم الاثنين.\n".encode(),
        "date = 2021-05-14",
        "published",
        "مجلس المدينة يناقش خطة الميناء",
    ),
    Case(
        "hebrew.txt",
        "מועצת העיר דנה בתוכנית הנמל\n\nהמועצה דנה בתוכנית.\n".encode(),
        "date = 2021-05-15",
        "published",
        "מועצת העיר דנה בתוכנית הנמל",
    ),
    Case(
        "caps.txt",
        b"COUNCIL APPROVES HARBOUR PLAN IN PARIS\n\nTHE COUNCIL OF PARIS APPROVED THE PLAN ON MONDAY.\n",
        "date = 2021-05-16",
        "published",
        "COUNCIL APPROVES HARBOUR PLAN IN PARIS",
    ),
    Case(
        "hostile.html",
        HOSTILE_HTML.encode(),
        None,
        "published",
        "Harbour report </title><script>alert(1)</script>",
    ),
    Case(
        "markdown.txt",
        MARKDOWN_TEXT.encode(),
        "date = 2021-05-17",
        "published",
        "Headline with *stars* and [brackets](javascript:alert(1))",
    ),
    Case(
        "head-only.html",
        b"<html><head><title>Only a head</title></head></html>",
        None,
        "skipped",
        "no text found",
    ),
    Case(
        "malformed.html",
        MALFORMED_HTML.encode(),
        "date = 2021-05-18",
        "published",
        "Unclosed tags everywhere",
    ),
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    site = make_site(root, with_sample_seeds=False)
    for case in CASES:
        site.write_seed(case.name, case.data, None if case.sidecar is None else case.sidecar + "\n")
    outside = root / "outside.txt"
    outside.write_text("Secret outside the seeds folder\n\nDo not publish.\n")
    os.symlink(outside, site.seeds / "link-outside.txt")
    before = {p: p.read_bytes() for p in site.seeds.rglob("*") if p.is_file()}
    result = site.invoke("build")
    assert result.returncode == 0, result.stdout + result.stderr
    site.log = " ".join((result.stdout + result.stderr).split())
    site.seeds_before = before
    return site


def story_pages(site) -> dict[str, BeautifulSoup]:
    pages = {}
    for page in sorted((site.output / "stories").glob("*/index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        pages[page.parent.name] = soup
    return pages


def test_every_case_is_published_skipped_or_refused_as_expected(hostile):
    report = json.loads(hostile.page("api/build-report.json"))
    skipped = {s["seed"]: s["reason"] for s in report["seeds_skipped"]}
    titles = sorted(soup.h1.get_text() for soup in story_pages(hostile).values())
    for case in CASES:
        if case.outcome == "published":
            assert case.expect in titles, case.name
            assert case.name not in skipped
        else:
            assert case.expect in skipped[case.name], (case.name, skipped.get(case.name))
            assert f"seed {case.name}: " in hostile.log and case.expect in hostile.log
    assert "symlink points outside the seeds folder" in skipped["link-outside.txt"]
    assert not any("Secret outside" in t for t in titles)
    published = [c for c in CASES if c.outcome == "published"]
    assert report["stories_published"] == len(titles) == len(published)


def test_every_post_reads_as_pelicans_markdown_reader_reads_it(hostile):
    """The plain-Markdown reader (plainmarkdown.py) converts hostile seeds' posts
    directly and gives exactly what Python-Markdown gives."""
    settings = read_settings(str(hostile.root / "pelicanconf.py"))
    plain, pelican = PlainMarkdownReader(settings), MarkdownReader(settings)
    posts = sorted(hostile.posts.glob("*.md"))
    direct = [p for p in posts if plain_document(p.read_text(encoding="utf-8")) is not None]
    assert len(direct) == len(posts) > 10
    for post in posts:
        assert plain.read(str(post)) == pelican.read(str(post)), post.name


def test_seeds_are_never_written_to(hostile):
    after = {p: p.read_bytes() for p in hostile.seeds.rglob("*") if p.is_file()}
    assert after == hostile.seeds_before


def test_no_script_handler_or_dangerous_url_anywhere(hostile):
    assert problems(hostile.output) == []
    for soup in story_pages(hostile).values():
        body = soup.select_one(".story-body")
        assert {t.name for t in body.find_all(True)} <= {"p", "a"}
        for link in body.find_all("a"):
            assert link["href"].startswith("/"), link  # only the theme's entity links


def test_the_hostile_page_keeps_its_words_and_nothing_else(hostile):
    soup = story_pages(hostile)["harbour-report-alert1"]
    texts = [p.get_text() for p in soup.select(".story-body p")]
    assert texts[:2] == [
        "First paragraph with an image in the middle.",
        "Second paragraph with a javascript link and a data link.",
    ]
    assert "Fifth paragraph" in texts[-1]
    assert (
        soup.select_one(".dateline .source").get_text(strip=True) == 'Evil " onmouseover="alert(1)'
    )
    data = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert (
        len(data) == 1 and data[0]["headline"] == "Harbour report </title><script>alert(1)</script>"
    )


def test_encodings_controls_and_scripts_read_right(hostile):
    pages = {soup.h1.get_text(): soup for soup in story_pages(hostile).values()}
    body = lambda title: " ".join(p.get_text() for p in pages[title].select(".story-body p"))  # noqa: E731
    assert body("UTF-16 story about Zürich") == "Grüße from the café."
    assert body("BOM and CRLF story") == "A line. Another line."
    assert body("Windows story costs 5 € – “quoted”") == "It’s fine."
    assert body("Control characters") == "headline Body with bell and feed."
    assert body("مجلس المدينة يناقش خطة الميناء") == "ناقش المجلس الخطة يوم الاثنين."
    big = pages["A two megabyte story"]
    assert len(big.select(".story-body p")) == 1900
    assert int(big.select_one(".dateline").get_text().split(" min read")[0].split()[-1]) > 1000
    caps = pages["COUNCIL APPROVES HARBOUR PLAN IN PARIS"]
    assert [c.get_text() for c in caps.select(".chips a")] == ["Place: Paris"]


def test_long_headlines_get_short_slugs_and_same_headlines_two_pages(hostile):
    slugs = set(story_pages(hostile))
    assert all(len(slug) <= 80 for slug in slugs)
    assert {
        "ministers-meet-to-discuss-the-harbour-plan",
        "ministers-meet-to-discuss-the-harbour-plan-2",
    } <= slugs


def test_every_feed_is_well_formed_and_parses_cleanly(hostile):
    feeds = sorted(hostile.output.rglob("*.xml"))
    assert len(feeds) >= 6  # the site and two entities (Paris, Zürich), RSS and Atom
    for feed in feeds:
        etree.parse(str(feed))  # well-formed XML, or this raises
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
    site_feed = feedparser.parse((hostile.output / "feeds/rss.xml").read_bytes())
    assert "Harbour report </title><script>alert(1)</script>" in [
        e.title for e in site_feed.entries
    ]
