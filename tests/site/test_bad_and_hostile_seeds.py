"""Bad seeds are named and skipped; hostile seeds publish as inert text."""

from __future__ import annotations

import hashlib
import json

import feedparser
from bs4 import BeautifulSoup
from scan import problems

GOOD = "A good story still gets published\n\nIt has a paragraph.\n\nWorld Desk\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def warnings_in(result) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if "WARNING" in line]


def test_bad_seeds_are_one_warning_each_and_the_build_goes_on(site):
    site.write_seed("good.txt", GOOD, "date = 2021-03-01\n")
    site.write_seed("empty.txt", b"")
    site.write_seed("blank.txt", b"  \n\r\n\t \n")
    site.write_seed("image.txt", PNG)
    site.write_seed("noise.html", bytes(range(256)) * 8)
    site.write_seed("bad-sidecar.txt", GOOD, "date = = nonsense")
    site.write_seed("notes.docx", b"PK\x03\x04 something")
    result = site.build()
    assert result.returncode == 0
    warnings = warnings_in(result)
    expected = {
        "empty.txt": "is empty",
        "blank.txt": "is empty",
        "image.txt": "PNG image",
        "noise.html": "binary",
        "bad-sidecar.txt": "unreadable sidecar",
        "notes.docx": "unknown file extension",
    }
    for name, reason in expected.items():
        hits = [w for w in warnings if f"seed {name}:" in w]
        assert len(hits) == 1, (name, warnings)
        assert reason in hits[0], (name, hits)
    assert (site.output / "stories/a-good-story-still-gets-published/index.html").exists()
    assert len(list((site.output / "stories").iterdir())) == 1


def test_strict_build_fails_on_a_bad_seed_and_keeps_output(site):
    site.write_seed("good.txt", GOOD, "date = 2021-03-01\n")
    site.build()
    before = site.tree()
    site.write_seed("empty.txt", b"")
    result = site.build("DIGEST_STRICT=true", check=False)
    assert result.returncode != 0
    assert "empty.txt" in result.stdout + result.stderr
    assert site.tree() == before
    assert site.build("DIGEST_STRICT=true", check=False).returncode != 0
    (site.seeds / "empty.txt").unlink()
    assert site.build("DIGEST_STRICT=true", check=False).returncode == 0


def test_seeds_are_never_written(sample_site):
    def hashes():
        return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sample_site.seeds.rglob("*")}

    before = hashes()
    sample_site.build()
    sample_site.build()
    assert hashes() == before


HOSTILE_HTML = """<!doctype html><html><head><title>Hostile page</title>
<meta property="og:title" content="Hostile &lt;script&gt;alert(1)&lt;/script&gt; page">
<meta property="og:url" content="javascript:alert(document.cookie)">
<script>alert('head')</script></head>
<body onload="alert('body')"><article><h1>Hostile page</h1>
<p>First paragraph with an image <img src="x" onerror="alert('img')"> in the middle of the sentence.</p>
<p>Second paragraph with <a href="javascript:alert('link')">a javascript link</a> and <a href="data:text/html;base64,PHNjcmlwdD4=">a data link</a> inside it.</p>
<script>document.write('inline')</script>
<p>Third paragraph <svg onload="alert('svg')"><script>alert('svg2')</script></svg> with an SVG and <iframe src="javascript:alert(1)"></iframe> an iframe.</p>
<p style="background:url(javascript:alert(1))">Fourth paragraph with a style attribute that tries to run code.</p>
<form action="javascript:alert(1)"><input name="q" onfocus="alert(1)" autofocus></form>
</article></body></html>"""


def test_hostile_html_seed_publishes_only_its_text(site):
    site.write_seed("hostile.html", HOSTILE_HTML, "date = 2021-03-02\n")
    site.build()
    story = next((site.output / "stories").iterdir()) / "index.html"
    soup = BeautifulSoup(story.read_text(encoding="utf-8"), "html.parser")
    body = [p.get_text() for p in soup.select(".story-body p")]
    assert body[0] == "First paragraph with an image in the middle of the sentence."
    assert body[1] == "Second paragraph with a javascript link and a data link inside it."
    assert problems(site.output) == []
    # The theme draws its own SVG charts on entity pages; none may come from a seed.
    assert not soup.select(".story-body svg, .story-body iframe, .story-body form")
    # The og:title holds markup: it is shown as text, escaped, never as a tag.
    assert soup.h1.get_text() == "Hostile <script>alert(1)</script> page"


MARKDOWN_SEED = """# Not a *heading* {filename}/secret.md

{filename}/other.md and {static}/images/x.png and {tag}politics are literal here.

[a link](javascript:alert(1)) ![an image](http://example.com/x.png) <b>bold</b> &amp; &copy;

{{ SITENAME }} {% for x in articles %}loop{% endfor %} {# comment #}

- not a list item
1986. Not an ordered list
> not a quote
    not code
---
`not code` **not strong** _not em_ <!-- not a comment --> <http://example.com>

World Desk
"""


def test_markdown_and_template_syntax_render_as_literal_text(site):
    site.write_seed("markdown.txt", MARKDOWN_SEED, "date = 2021-03-03\n")
    site.build()
    story = next((site.output / "stories").iterdir()) / "index.html"
    soup = BeautifulSoup(story.read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text() == "# Not a *heading* {filename}/secret.md"
    body = soup.select_one(".story-body")
    assert [t.name for t in body.find_all(True)] == ["p"] * 4
    texts = [p.get_text() for p in body.find_all("p")]
    assert (
        texts[0]
        == "{filename}/other.md and {static}/images/x.png and {tag}politics are literal here."
    )
    assert (
        texts[1]
        == "[a link](javascript:alert(1)) ![an image](http://example.com/x.png) <b>bold</b> &amp; &copy;"
    )
    assert texts[2] == "{{ SITENAME }} {% for x in articles %}loop{% endfor %} {# comment #}"
    assert texts[3] == (
        "- not a list item 1986. Not an ordered list > not a quote not code --- "
        "`not code` **not strong** _not em_ <!-- not a comment --> <http://example.com>"
    )
    assert soup.select_one(".dateline .source").get_text(strip=True) == "World Desk"
    for feed in ("feeds/rss.xml", "feeds/atom.xml"):
        parsed = feedparser.parse(site.page(feed))
        assert parsed.bozo == 0
        assert parsed.entries[0].title == "# Not a *heading* {filename}/secret.md"
        assert "{filename}/other.md" in parsed.entries[0].content[0].value


def test_control_characters_never_reach_pages_or_feeds(site):
    site.write_seed(
        "controls.txt",
        "Head\x00line with \x1b[31mcontrols\x0c\n\nBody \x07text\x00 here.\n",
        "date = 2021-03-04\n",
    )
    site.build()
    for feed in ("feeds/rss.xml", "feeds/atom.xml"):
        parsed = feedparser.parse(site.page(feed))
        assert parsed.bozo == 0
        assert parsed.entries[0].title == "Headline with [31mcontrols"
    for path in site.output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml"}:
            assert not any(ord(c) < 9 or 13 < ord(c) < 32 for c in path.read_text(encoding="utf-8"))


def test_build_report_on_the_terminal_and_in_json(site):
    site.write_seed("good.txt", GOOD, "date = 2021-03-01\n")
    site.write_seed("other.txt", "Another story here\n\nIts text.\n", "date = 2021-03-02\n")
    site.write_seed("gone.txt", "To be skipped\n\nText.\n", "skip = true\n")
    site.write_seed("empty.txt", b"")
    site.build()
    post = site.posts / "another-story-here.md"
    post.write_text(
        post.read_text(encoding="utf-8") + "\nAn editor's addition.\n", encoding="utf-8"
    )
    result = site.build()
    report = json.loads(site.page("api/build-report.json"))
    assert report == {
        "stories_published": 2,
        "seeds_read": 3,
        "seeds_skipped": [{"seed": "empty.txt", "reason": "is empty"}],
        "seeds_skipped_by_editor": ["gone.txt"],
        "hand_edited_posts_kept": ["another-story-here.md"],
        "vocabulary_problem": None,
    }
    out = " ".join((result.stdout + result.stderr).split())
    assert "2 stories published; 1 seeds skipped, 1 skipped by the editor" in out
    assert "1 hand-edited kept; 0 posts written, 0 removed" in out
    assert "skipped empty.txt: is empty" in out
