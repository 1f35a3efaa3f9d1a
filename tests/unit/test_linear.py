"""The linear period archives equal Pelican's own, for every granularity."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from jinja2 import Environment
from news_digest.linear import ReleasedError, period_archives, release_contents, share_tag_links
from pelican.contents import Article, Content
from pelican.generators import ArticlesGenerator
from pelican.settings import DEFAULT_CONFIG


class Story:
    def __init__(self, n: int, date: datetime) -> None:
        self.n, self.date = n, date


def test_same_archives_as_pelican():
    rng = random.Random(7)
    start = datetime(2019, 12, 30, 22, 0)
    articles = [Story(n, start + timedelta(hours=rng.randrange(0, 24 * 800))) for n in range(600)]
    rng.shuffle(articles)  # Pelican's article order need not be the date order
    settings = {
        **DEFAULT_CONFIG,
        "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
        "YEAR_ARCHIVE_URL": "{date:%Y}/",
        "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
        "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
        "DAY_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html",
        "DAY_ARCHIVE_URL": "{date:%Y}/{date:%m}/{date:%d}/",
    }
    for newest_first in (True, False):
        dates = sorted(articles, key=lambda a: a.date, reverse=newest_first)
        theirs = ArticlesGenerator._build_period_archives(None, dates, articles, settings)
        ours = period_archives(dates, articles, settings)
        assert set(ours) == set(theirs) == {"year", "month", "day"}
        for granularity in theirs:
            assert len(ours[granularity]) == len(theirs[granularity]) > 1
            for mine, pelican in zip(ours[granularity], theirs[granularity], strict=True):
                assert mine.keys() == pelican.keys()
                for key, value in pelican.items():
                    if key in ("dates", "articles"):
                        assert [a.n for a in mine[key]] == [a.n for a in value], key
                    else:
                        assert mine[key] == value, key
    off = {**settings, "YEAR_ARCHIVE_SAVE_AS": "", "MONTH_ARCHIVE_SAVE_AS": ""}
    assert set(period_archives(dates, articles, off)) == {"day"}


class Item:
    def __init__(self, n: int, slug: str, lang: str, translation: str | None = None) -> None:
        self.n, self.slug, self.lang = n, slug, lang
        self.in_default_lang = lang == "en"
        self.metadata = {"translation": translation} if translation else {}


def test_same_translations_as_pelican(caplog):
    from news_digest.linear import process_translations
    from pelican.utils import process_translations as pelican_process_translations

    rng = random.Random(3)

    def items(run: str) -> list[Item]:
        rng.seed(3)
        found = []
        for n in range(300):
            slug = f"s{rng.randrange(120)}"  # groups of one, two and more
            lang = rng.choice(["en", "en", "en", "fr", "de"])
            found.append(Item(n, slug, lang, rng.choice([None, None, "true", "false"])))
            # Pelican's log filter drops a warning it has given: make each run's its own.
            found[-1].source_path = f"{run}/item-{n}.md"
        return found

    theirs_in, ours_in = items("theirs"), items("ours")
    theirs = pelican_process_translations(theirs_in, "slug")
    warned = [r.getMessage() for r in caplog.records]
    caplog.clear()
    ours = process_translations(ours_in, "slug")
    mine = [r.getMessage().replace("ours/", "theirs/") for r in caplog.records]
    assert mine == warned  # the same warnings
    assert [[i.n for i in part] for part in ours] == [[i.n for i in part] for part in theirs]
    assert [i.n for i in ours_in] == [i.n for i in theirs_in]  # sorted in place alike
    assert {i.n: sorted(t.n for t in i.translations) for i in ours_in} == {
        i.n: sorted(t.n for t in i.translations) for i in theirs_in
    }
    assert len(ours[1]) > 10 and len(warned) > 5
    assert process_translations(ours_in, None) == (ours_in, [])


def test_shared_tag_links_resolve_as_pelican_resolves_them():
    settings = {
        **DEFAULT_CONFIG,
        "TAG_URL": "{slug}/",
        "TAG_SAVE_AS": "{slug}/index.html",
        "TAG_REGEX_SUBSTITUTIONS": [(r"[^\w\s/-]", ""), (r"[-\s]+", "-")],
    }
    content = (
        '<p><a href="{tag}people/anna-li">Anna Li</a> met <a class="x" href="{tag}places/oslo#map">'
        'Oslo</a> officials; see <a href="{index}">home</a> and <a href="{tag}people/anna-li">her</a>.</p>'
    )

    def story(name: str) -> Article:
        return Article(
            content, metadata={"title": name, "date": datetime(2020, 1, 1)}, settings=settings
        )

    mine = [story("a"), story("b")]
    share_tag_links(mine)
    for siteurl in ("", "https://example.org", "https://example.org/news"):
        expected = story("c")._update_content(content, siteurl)
        assert "{tag}" not in expected and "{index}" not in expected
        for article in mine:
            assert article._update_content(content, siteurl) == expected


def test_released_contents_are_worked_out_again_when_asked_for():
    settings = {**DEFAULT_CONFIG, "TAG_URL": "{slug}/", "TAG_SAVE_AS": "{slug}/index.html"}
    story = Article(
        '<p><a href="{tag}people/anna-li">Anna Li</a></p>',
        metadata={"title": "a", "date": datetime(2020, 1, 1)},
        settings=settings,
    )
    before = story.get_content("https://example.org")
    memo = Content.__dict__["get_content"].cache
    assert (story, "https://example.org") in memo
    release_contents()
    assert not memo
    assert story.get_content("https://example.org") == before


def test_released_stories_fail_loudly_where_a_page_would_show_nothing():
    """Once the story pages are written, a story's text and JSON-LD go
    (release_contents); a template that printed them elsewhere would get an empty
    string, so any use of them fails the build with a message instead."""
    settings = {**DEFAULT_CONFIG}
    summarised = Article(
        "<p>Full text</p>",
        metadata={"title": "a", "date": datetime(2020, 1, 1), "summary": "<p>Lede</p>"},
        settings=settings,
    )
    hand_written = Article(
        "<p>A hand-written post, summarised from its text</p>",
        metadata={"title": "b", "date": datetime(2020, 1, 2)},
        settings=settings,
    )
    summarised.jsonld = '{"@type":"NewsArticle"}'
    release_contents([summarised, hand_written])
    assert summarised.summary == "<p>Lede</p>"
    assert "summarised from its text" in hand_written.summary
    assert "summarised from its text" in hand_written.content
    env = Environment(autoescape=True)
    for source in ("{{ a.content }}", "{{ a.jsonld|safe }}", "{% if a.content %}x{% endif %}"):
        with pytest.raises(ReleasedError, match="after the story pages were written"):
            env.from_string(source).render(a=summarised)
