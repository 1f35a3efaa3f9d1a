"""The plain-Markdown reader gives exactly what Pelican's Markdown reader gives.

Whenever the direct conversion answers, its HTML must be Python-Markdown's; the
properties below feed it raw text rich in Markdown syntax (not only what posts.py
writes), so that the check covers the validator itself, not just our escaping.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from news_digest.entities import finish_corpus, load_lexicon
from news_digest.entities.tagger import analyse
from news_digest.plainmarkdown import (
    PlainMarkdownReader,
    paragraph_html,
    plain_document,
    verified_settings,
)
from news_digest.posts import escape_markdown, linked_paragraph, render_post
from news_digest.seeds import read_seed, strip_controls
from news_digest.settings import DEFAULTS
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import corpus  # noqa: E402

MARKDOWN = {"extension_configs": {"markdown.extensions.meta": {}}, "output_format": "html5"}


def python_markdown(text: str) -> tuple[str, dict]:
    md = markdown.Markdown(extensions=["markdown.extensions.meta"], output_format="html5")
    return md.convert(text), md.Meta


def paragraph_markdown(text: str) -> str:
    md = markdown.Markdown(extensions=["markdown.extensions.meta"], output_format="html5")
    md.preprocessors.deregister("meta")
    return md.convert(text)


# Text where every character that means something to Markdown is common.
SYNTAX = list("\\`*_{}[]()<>#+-.!&;:=|~\"'/ 0123456789aZ\t\x02\x03\x0b\x85\xa0\u2028é字")
syntax_text = st.lists(st.sampled_from(SYNTAX + ["&amp;", "&#126;", "{tag}p/x"])).map("".join)
printable = st.characters(blacklist_categories=("Cs", "Cc"))


# Pieces of syntax that single characters rarely assemble by chance.
PIECES = ["](", "[x](", "{tag}a/b", "[x]({tag}a/b)", "&lt;", "&#35;", "&#1", "&#", "\\\\", "1."]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(SYNTAX + PIECES)).map("".join))
@example("a ![x]({tag}a/b)")
@example("a &#12 b")
@example("\\[x [a]({tag}p/q)")
def test_whenever_a_line_is_converted_directly_python_markdown_agrees(line):
    html = paragraph_html(line)
    if html is not None:
        assert html == paragraph_markdown(line)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=printable, min_size=1, max_size=120))
def test_escaped_seed_text_is_converted_directly_and_the_same(text):
    escaped = escape_markdown(strip_controls(text))
    html = paragraph_html(escaped)
    if escaped:
        assert html is not None, escaped
        assert html == paragraph_markdown(escaped)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=printable, min_size=2, max_size=80), st.data())
def test_linked_paragraphs_are_converted_directly_and_the_same(text, data):
    text = " ".join(strip_controls(text).split())
    if len(text) < 2:
        return
    spans = []
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(text) - 1))
        spans.append((start, data.draw(st.integers(start + 1, len(text))), "{tag}people/a-b"))
    line = linked_paragraph(text, spans)
    html = paragraph_html(line)
    assert html is not None, line
    assert html == paragraph_markdown(line)


FRONT = ["Title: A: b", "title: again", "Key_2:", "-x: y", "  Indented: no", "    more", "---"]
FRONT += ["...", "Summary: \\*x\\*", "Bad key: z", "K:\tv", "K: v  "]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(FRONT)),
    st.lists(st.one_of(st.sampled_from(["", " ", "para", "[a]({tag}p/q) b"]), syntax_text)),
)
def test_whenever_a_document_is_converted_directly_python_markdown_agrees(front, body):
    text = "\n".join(front + [""] + body)
    plain = plain_document(text)
    if plain is not None:
        html, meta = python_markdown(text)
        assert plain == (meta, html)


def test_lines_outside_the_sliver_are_left_to_python_markdown():
    for line in ["# heading", "1. item", "- item", "> quote", "    code", "a  b", "*em*", "<b>"]:
        assert paragraph_html(line) is None
    assert paragraph_html("a\\*b [Anna Li]({tag}people/anna-li) &amp; c!") == (
        '<p>a*b <a href="{tag}people/anna-li">Anna Li</a> &amp; c!</p>'
    )
    assert plain_document("Title: t\n\nOne line\nand another\n") is None


def test_only_the_verified_markdown_settings_use_the_direct_conversion():
    base = {**MARKDOWN, "extensions": ["markdown.extensions.meta"]}
    assert verified_settings(base)
    assert not verified_settings({**base, "extensions": [*base["extensions"], "smarty"]})
    assert not verified_settings({**base, "tab_length": 2})
    configs = {"markdown.extensions.meta": {}, "markdown.extensions.toc": {"permalink": True}}
    assert not verified_settings({**base, "extension_configs": configs})


def reader(cls: type, markdown_settings: dict | None = None) -> MarkdownReader:
    settings = {**DEFAULT_CONFIG, "MARKDOWN": markdown_settings or dict(MARKDOWN)}
    return cls(settings)


def generated_posts(tmp_path: Path, n: int) -> list[Path]:
    """Posts for ``n`` seeds of the benchmark corpus, written as the plugin writes them."""
    corpus.write(corpus.generate(n, seed=3), tmp_path / "seeds")
    lexicon = load_lexicon()
    seeds = [
        read_seed(tmp_path / "seeds", p.relative_to(tmp_path / "seeds").as_posix(), DEFAULTS)
        for p in sorted((tmp_path / "seeds").rglob("*"))
        if p.is_file() and p.suffix in {".txt", ".html"}
    ]
    tagged = finish_corpus([analyse(s.title, s.paragraphs, lexicon) for s in seeds], lexicon)
    posts = []
    for i, (seed, entities) in enumerate(zip(seeds, tagged, strict=True)):
        date = seed.date or datetime(2020, 1, 1, tzinfo=UTC)
        post = tmp_path / f"post-{i}.md"
        post.write_text(render_post(seed, f"story-{i}", date, entities), encoding="utf-8")
        posts.append(post)
    return posts


def test_generated_posts_read_as_pelicans_reader_reads_them(tmp_path):
    posts = generated_posts(tmp_path, 120)
    plain, pelican = reader(PlainMarkdownReader), reader(MarkdownReader)
    for post in posts:
        assert plain_document(post.read_text(encoding="utf-8")) is not None, post.read_text()
        assert plain.read(str(post)) == pelican.read(str(post))


def test_other_markdown_settings_read_every_post_with_python_markdown(tmp_path):
    post = tmp_path / "p.md"
    post.write_text('Title: "Quoted"\nSummary: "Quoted"\n\nHe said "yes" -- twice.\n')
    smart = {**MARKDOWN, "extensions": ["markdown.extensions.smarty"]}
    content, metadata = reader(PlainMarkdownReader, smart).read(str(post))
    assert content == "<p>He said &ldquo;yes&rdquo; &ndash; twice.</p>"
    assert metadata["summary"] == "<p>&ldquo;Quoted&rdquo;</p>"


@pytest.mark.parametrize(
    "text",
    [
        "Title: t\n\n# A heading\n\nText.\n",
        "Title: t\n\nA *list*:\n\n- one\n- two\n",
        "\ufeffT: t\n",
    ],
)
def test_posts_outside_the_sliver_read_as_before(tmp_path, text):
    post = tmp_path / "p.md"
    post.write_text(text, encoding="utf-8")
    assert reader(PlainMarkdownReader).read(str(post)) == reader(MarkdownReader).read(str(post))
