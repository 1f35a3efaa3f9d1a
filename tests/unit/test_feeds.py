"""Which stories a feed carries: the newest, ties broken the same way every time."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from news_digest.feeds import FeedInfo, FeedItem, newest, newest_of_ordered, write_feeds
from pelican.utils import SafeDatetime


def _dated(rng: random.Random) -> list[tuple[datetime, str]]:
    """Up to 40 (date, URL) items over few distinct dates: many ties, some across a cut."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    return [
        (start + timedelta(days=rng.randrange(6)), f"stories/{rng.randrange(10**6)}/")
        for _ in range(rng.randrange(0, 40))
    ]


def test_newest_is_a_full_sort_cut_to_the_limit():
    rng = random.Random(7)
    for _ in range(300):
        items = _dated(rng)
        if rng.random() < 0.5:
            items.sort(reverse=True)  # as an entity's stories come: newest first
        limit = rng.randrange(0, 45)
        expected = sorted(items, key=lambda i: i[1])
        expected.sort(key=lambda i: i[0], reverse=True)
        got = newest(items, limit, date=lambda i: i[0], ident=lambda i: i[1])
        assert got == expected[:limit]


def test_newest_of_items_newest_first_looks_at_those_as_new_as_the_limit():
    rng = random.Random(8)
    for _ in range(300):
        items = _dated(rng)
        items.sort(key=lambda i: i[0], reverse=True)  # newest first, ties in any order
        limit = rng.randrange(-1, 45)
        left = iter(items)
        got = newest_of_ordered(left, limit, date=lambda i: i[0], ident=lambda i: i[1])
        assert got == newest(items, limit, date=lambda i: i[0], ident=lambda i: i[1])
        # It stops at the first story older than the limit-th.
        if limit <= 0:
            assert list(left) == items
        elif len(items) > limit:
            older = [i for i in items if i[0] < items[limit - 1][0]]
            assert len(list(left)) == max(0, len(older) - 1)


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
    """A batch of feeds (what the feeds job hands to a fresh process) holds each
    story's item once, its content compressed; the feeds written from it are those
    written from items made afresh for each feed, and the outcomes name each feed's
    key, fingerprint and files after those of the work done before."""
    import pickle

    from news_digest.feeds import write_batch
    from news_digest.pipeline import feed_batch, feed_item
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
    base = "https://example.org"
    info = FeedInfo(title="T", site_url=f"{base}/", description="D", language="en")
    jobs = [
        ("feed:a.rss", b"1", info, stories[:2], "a.rss", "a.atom"),
        ("feed:b.rss", b"2", info, stories[1:], "b.rss", "b.atom"),
    ]
    before = [("index:api/stories.json", b"3", None)]
    batch = pickle.loads(pickle.dumps(feed_batch(jobs, base, tmp_path / "batch", before)))
    assert len(batch.stories) == 3
    assert all(item.content_html == "" and isinstance(c, bytes) for item, c in batch.stories)
    assert write_batch(batch) == [
        *before,
        ("feed:a.rss", b"1", ["a.rss", "a.atom"]),
        ("feed:b.rss", b"2", ["b.rss", "b.atom"]),
    ]
    for _, _, _, articles, rss, atom in jobs:
        items = [feed_item(a, base) for a in articles]
        assert "\x07" not in items[0].content_html and "caf\u00e9" in items[0].content_html
        write_feeds(info, items, tmp_path / "fresh", rss, atom, base)
        for name in (rss, atom):
            written = (tmp_path / "batch" / name).read_bytes()
            assert written == (tmp_path / "fresh" / name).read_bytes()
            assert "caf\u00e9".encode() in written
