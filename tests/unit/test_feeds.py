"""Which stories a feed carries: the newest, ties broken the same way every time."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from news_digest.feeds import FeedInfo, FeedItem, newest, write_feeds
from pelican.utils import SafeDatetime


def test_newest_is_a_full_sort_cut_to_the_limit():
    rng = random.Random(7)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for _ in range(300):
        # Few distinct dates: many ties, some across the cut.
        items = [
            (start + timedelta(days=rng.randrange(6)), f"stories/{rng.randrange(10**6)}/")
            for _ in range(rng.randrange(0, 40))
        ]
        if rng.random() < 0.5:
            items.sort(reverse=True)  # as an entity's stories come: newest first
        limit = rng.randrange(0, 45)
        expected = sorted(items, key=lambda i: i[1])
        expected.sort(key=lambda i: i[0], reverse=True)
        got = newest(items, limit, date=lambda i: i[0], ident=lambda i: i[1])
        assert got == expected[:limit]


def test_pelicans_dates_give_the_same_feed_as_plain_ones(tmp_path):
    """Feed items keep Pelican's SafeDatetime out of feedgen (its strftime is slow);
    the feeds are the same bytes."""
    info = FeedInfo("T", "https://example.org/", "D", "en")
    written = []
    for kind in (SafeDatetime, datetime):
        date = kind(2021, 3, 7, 9, 5, tzinfo=ZoneInfo("Europe/Paris"))
        item = FeedItem("https://example.org/s/", "S", date, date, "<p>s</p>", "<p>c</p>")
        assert type(item.published) is datetime and item.published == date
        assert item.published.utcoffset() == date.utcoffset()
        folder = tmp_path / kind.__name__
        write_feeds(info, [item], folder, "rss.xml", "atom.xml", "https://example.org")
        written.append([(folder / name).read_bytes() for name in ("rss.xml", "atom.xml")])
    assert written[0] == written[1]
    assert b"Sun, 07 Mar 2021 09:05:00 +0100" in written[0][0]


def test_a_story_in_several_feeds_gives_each_the_same_item(tmp_path):
    """The feeds job keeps each story's item, its content compressed, for the next
    feed that carries it (pipeline.feed_items): the items, and so the feeds, are the
    same as those made afresh."""
    from news_digest.pipeline import feed_items
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    def story(n: int) -> Article:
        when = SafeDatetime(2021, 3, n, 9, 5, tzinfo=ZoneInfo("UTC"))
        return Article(
            f"<p>Story {n}: caf\u00e9 \u2019quoted\u2019 \x07 \ud800</p>",
            metadata={"title": f"S{n}", "date": when, "summary": f"<p>s{n}</p>"},
            settings={**DEFAULT_CONFIG, "ARTICLE_URL": "{slug}/"},
        )

    stories = [story(n) for n in (1, 2, 3)]
    memo: dict = {}
    first = feed_items(stories[:2], "https://example.org", memo)
    again = feed_items(stories[1:], "https://example.org", memo)
    fresh = feed_items(stories, "https://example.org")
    assert first + again[1:] == fresh
    # Each story kept once, its content compressed, not as text.
    assert len(memo) == 3
    assert all(
        item.content_html == "" and isinstance(packed, bytes) for item, packed in memo.values()
    )
    assert again[0] == fresh[1] and again[0] is not first[1]
    assert "\x07" not in again[0].content_html and "caf\u00e9" in again[0].content_html
