"""JSON-LD escaping, meta descriptions and reading time, without Pelican."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from news_digest.seo import description, json_for_html, news_article
from news_digest.storypage import plain_text, reading_minutes


@given(st.dictionaries(st.text(), st.text() | st.integers() | st.lists(st.text())))
def test_json_for_html_is_the_same_data_and_cannot_end_a_script_block(data):
    text = json_for_html(data)
    assert json.loads(text) == data
    assert not {"<", ">", "&", "\u2028", "\u2029"} & set(text)


def test_description_cuts_at_a_word_and_marks_the_cut():
    assert description("  Short   lede.\n") == "Short lede."
    long = "word " * 60
    cut = description(long)
    assert len(cut) <= 160 and cut.endswith("word…")
    assert description("x" * 400).endswith("…") and len(description("x" * 400)) <= 160


def test_reading_time_rounds_up_and_is_never_zero():
    assert reading_minutes(0, 230) == 1
    assert reading_minutes(230, 230) == 1
    assert reading_minutes(231, 230) == 2


def test_plain_text_drops_tags_and_decodes_entities():
    assert plain_text('<p>A &amp; <a href="x">B</a></p>').split() == ["A", "&", "B"]


def test_news_article_names_entities_by_schema_type():
    data = news_article(
        url="https://x.org/stories/a/",
        headline="H" * 200,
        description="D",
        published=datetime(2020, 1, 2, 3, 4, tzinfo=UTC),
        modified=None,
        publisher={"name": "The Digest", "url": "https://x.org/"},
        about=[{"type": "person", "name": "Ada", "url": "https://x.org/people/ada/"}],
        mentions=[{"type": "organization", "name": "UN", "url": "https://x.org/organizations/un/"}],
        source="Wire",
    )
    assert len(data["headline"]) == 110
    assert data["dateModified"] == data["datePublished"] == "2020-01-02T03:04:00+00:00"
    assert data["about"] == [{"@type": "Person", "name": "Ada", "url": "https://x.org/people/ada/"}]
    assert data["mentions"][0]["@type"] == "Organization"
    assert data["author"] == {"@type": "Organization", "name": "Wire"}
