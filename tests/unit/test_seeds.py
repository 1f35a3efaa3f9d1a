"""Seed reading: decoding, plain-text structure, residue, attribution, HTML metadata."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from news_digest.seeds import (
    SeedError,
    attribution,
    decode,
    find_seeds,
    page_metadata,
    parse_html,
    parse_sidecar,
    parse_text,
    safe_url,
)
from news_digest.settings import DEFAULTS
from trafilatura.utils import load_html

TEXT = "Ministers meet in Vienna\n\nEnergy ministers met in Vienna on Monday.\n\nThey talked about gas.\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.encode("utf-16-le"),  # without BOM
        TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
    ],
    ids=["utf8", "utf8-bom-crlf", "cr", "utf16-bom", "utf16le", "utf16be", "utf32"],
)
def test_decode_any_encoding_and_line_ending(data):
    assert decode(data) == TEXT


def test_decode_windows_1252_and_latin1():
    text = "Café “quotes” – dash € and naïve\n"
    assert decode(text.encode("windows-1252")) == text
    assert decode("Señor Müller\n".encode("latin-1")) == "Señor Müller\n"


def test_decode_honours_the_html_charset_declaration():
    html = '<html><head><meta charset="windows-1252"></head><body><p>Qu’est-ce</p></body></html>'
    assert "Qu’est-ce" in decode(html.encode("windows-1252"), is_html=True)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "is empty"),
        (b" \n\t\r\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(50), "PNG image"),
        (b"%PDF-1.7\n...", "PDF"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_decode_refuses_what_is_not_text(data, reason):
    with pytest.raises(SeedError, match=reason):
        decode(data)


def test_control_characters_are_stripped_not_fatal():
    assert decode(b"Head\x00line\x1b here\x0c\n\nBody\x07.") == "Headline here\n\n\n\nBody."


def test_parse_text_headline_paragraphs_and_source():
    title, paragraphs, found = parse_text(
        "\n\n  Headline  here \nFirst paragraph\nwrapped over lines.\n\n\nSecond.\n\nPress TV\n\nYou might also like"
    )
    assert title == "Headline here"
    assert paragraphs == ["First paragraph wrapped over lines.", "Second."]
    assert found == {"source": "Press TV"}


def test_parse_text_without_blank_lines_has_a_paragraph_per_line():
    _, paragraphs, found = parse_text("Headline\nOne.\nTwo.\nReuters")
    assert paragraphs == ["One.", "Two."]
    assert found["source"] == "Reuters"


def test_residue_is_removed_anywhere_and_link_sections_cut_at_the_end():
    _, paragraphs, found = parse_text(
        "Headline\n\nFirst.\n\nAdvertisement\n\nSecond.\n\nShare this article\n\n"
        "Sign up for our daily newsletter\n\nThird.\n\nWe use cookies to improve your experience.\n\n"
        "AP\n\nRelated stories\nAnother headline\nYet another headline"
    )
    assert paragraphs == ["First.", "Second.", "Third."]
    assert found["source"] == "AP"


def test_residue_words_inside_real_sentences_are_kept():
    body = (
        "Read more about it in the report, the minister said, before leaving.\n\n"
        "The advertisement campaign cost millions.\n\n"
        "Related talks will follow next week in Geneva."
    )
    _, paragraphs, _ = parse_text("Headline\n\n" + body)
    assert len(paragraphs) == 3


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("Press TV", "Press TV"),
        ("(Reuters)", "Reuters"),
        ("— Associated Press", "Associated Press"),
        ("Source: AFP", "AFP"),
        ("A.P.", "A.P."),
        ("He said so.", None),
        ("and then it rained", None),
        ("The ministers will meet again in Geneva next month to continue talks", None),
        ("2018", None),
    ],
)
def test_attribution(line, source):
    assert attribution(line) == source


def test_single_paragraph_story_keeps_its_short_last_line():
    _, paragraphs, found = parse_text("Headline\n\nPress TV")
    assert paragraphs == ["Press TV"]
    assert found == {}


def test_page_metadata_prefers_json_ld_then_opengraph_then_time():
    html = """<html><head>
    <meta property="og:title" content="OG title"><meta property="og:site_name" content="OG Site">
    <meta property="article:published_time" content="2019-01-02T03:04:05Z">
    <script type="application/ld+json">[{"@type":"WebPage"},{"@type":["NewsArticle"],
      "headline":"LD headline","datePublished":"2019-05-06T07:08:09+02:00",
      "author":[{"@type":"Person","name":"A. Writer"},{"name":"B. Writer"}],
      "publisher":{"@type":"Organization","name":"LD Site"}}]</script>
    <link rel="canonical" href="https://example.com/a"></head><body><time datetime="2000-01-01">x</time></body></html>"""
    meta = page_metadata(load_html(html))
    assert meta["title"] == "LD headline"
    assert meta["date"] == datetime(2019, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=2)))
    assert meta["author"] == "A. Writer, B. Writer"
    assert meta["source"] == "LD Site"
    assert meta["url"] == "https://example.com/a"
    fallback = page_metadata(
        load_html('<html><body><time datetime="2000-01-01T10:00">x</time></body></html>')
    )
    assert fallback["date"] == datetime(2000, 1, 1, 10, 0)


def test_page_metadata_survives_broken_json_ld():
    meta = page_metadata(
        load_html(
            '<html><head><script type="application/ld+json">{not json</script>'
            '<meta property="og:title" content="Still here"></head><body><p>x</p></body></html>'
        )
    )
    assert meta["title"] == "Still here"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/a?b=c#d", True),
        ("http://example.com", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html;base64,xx", False),
        ("//example.com/a", False),
        ('https://example.com/"onmouseover="x', False),
        ("https://exa mple.com", False),
    ],
)
def test_safe_url(url, ok):
    assert (safe_url(url) == url) is ok


def test_sidecar_keys_types_and_errors():
    meta = parse_sidecar(
        b'date = 2018-07-25\nsource = "Press TV"\nfeatured = true\nnote = " Hi  there "\n', "x"
    )
    assert meta == {
        "date": datetime(2018, 7, 25),
        "source": "Press TV",
        "featured": True,
        "note": "Hi there",
    }
    for bad, reason in [
        (b"date = = 1", "unreadable sidecar"),
        (b'colour = "red"', "unknown key"),
        (b'featured = "yes"', "must be a bool"),
        (b'date = "next tuesday-ish"', "not a date"),
        (b'url = "javascript:alert(1)"', "not an http"),
    ]:
        with pytest.raises(SeedError, match=reason):
            parse_sidecar(bad, "x.meta.toml")


def test_find_seeds_refuses_outside_symlinks_and_unknown_extensions(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "nested" / "deeper").mkdir(parents=True)
    (seeds / "a.txt").write_text("x")
    (seeds / "a.txt.meta.toml").write_text("")
    (seeds / "nested" / "deeper" / "b (1) ü.HTML").write_text("x")
    (seeds / "noext").write_text("x")
    (seeds / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (seeds / ".hidden.txt").write_text("x")
    (seeds / "README.md").write_text("x")
    (tmp_path / "secret.txt").write_text("x")
    (seeds / "link.txt").symlink_to(tmp_path / "secret.txt")
    (seeds / "inside.txt").symlink_to(seeds / "a.txt")
    scan = find_seeds(seeds, DEFAULTS)
    assert scan.seeds == ["a.txt", "inside.txt", "nested/deeper/b (1) ü.HTML", "noext"]
    assert scan.problems == [
        ("link.txt", "symlink points outside the seeds folder; refused"),
        ("photo.jpg", "unknown file extension '.jpg'; not a seed"),
    ]


def test_json_ld_control_characters_and_surrogates_are_dropped():
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Bad\\u0000 head\\ud800line\\u0007", "author": {"name": "A\\u0001B"}}</script>'
        "</head><body><article><p>"
        + "Body text of the story here. " * 10
        + "</p></article></body></html>"
    )
    title, _, found = parse_html(html)
    assert title == "Bad headline"
    assert found["author"] == "AB"
    title.encode("utf-8")  # no lone surrogate left


def test_symlink_loops_are_refused(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "loop.txt").symlink_to(seeds / "loop.txt")
    scan = find_seeds(seeds, DEFAULTS)
    assert scan.seeds == [] and scan.problems == [
        ("loop.txt", "symlink is broken or loops; refused")
    ]


def test_paragraphs_the_extractor_ran_together_are_split_again():
    page = """<html><head><title>A page with a form</title></head><body><article>
    <h1>A page with a form</h1>
    <p>The first paragraph of the story, long enough to count as text.</p>
    <form><input name="q"><button>Go</button></form>
    <p>The second paragraph <svg><script>alert(1)</script></svg>follows the form.</p>
    </article></body></html>"""
    title, paragraphs, _ = parse_html(page)
    assert title == "A page with a form"
    assert paragraphs == [
        "The first paragraph of the story, long enough to count as text.",
        "The second paragraph follows the form.",
    ]
