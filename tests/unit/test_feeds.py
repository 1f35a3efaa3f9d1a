"""Which stories a feed carries: the newest, ties broken the same way every time."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from news_digest.feeds import newest


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
