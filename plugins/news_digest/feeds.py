"""Every feed, written with feedgen: RSS 2.0 and Atom, from the same items.

Feeds carry no build time: the channel's ``lastBuildDate``/``updated`` is the newest
item's date, so a rebuild with nothing new writes the same bytes.
"""

from __future__ import annotations

import copy
import logging
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from feedgen.feed import FeedGenerator

from .files import write_if_changed
from .incremental import Outcome
from .seeds import strip_controls

logger = logging.getLogger(__name__)

T = TypeVar("T")

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedItem:
    """One story as a feed entry; all URLs absolute, all dates timezone-aware."""

    url: str
    title: str
    published: datetime
    updated: datetime
    summary_html: str
    content_html: str
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Characters XML 1.0 forbids are dropped once here, not in every feed that
        # carries the story (a story is in its entities' feeds too).
        for name in ("title", "summary_html", "content_html"):
            object.__setattr__(self, name, strip_controls(getattr(self, name)))
        object.__setattr__(self, "categories", tuple(map(strip_controls, self.categories)))
        # Pelican's dates (SafeDatetime) format through a slow pure-Python strftime,
        # which feedgen calls for every date of every feed: plain datetimes here.
        for name in ("published", "updated"):
            value = getattr(self, name)
            if type(value) is not datetime:
                object.__setattr__(self, name, datetime.combine(value.date(), value.timetz()))

    def carrying(self, content_html: str) -> FeedItem:
        """This item with the content of another item of the same story (so already
        stripped of controls), without making it afresh."""
        item = copy.copy(self)
        object.__setattr__(item, "content_html", content_html)
        return item


def pack(item: FeedItem) -> tuple[FeedItem, bytes]:
    """``item`` without its content, and its content compressed (zlib, level 1: a
    third of its size). A batch holds every story its feeds carry: 50 MB of text at
    10,000 stories, 17 MB so, when it is pickled and while the fork holds it."""
    packed = zlib.compress(item.content_html.encode("utf-8", "surrogatepass"), 1)
    return item.carrying(""), packed


def unpack(packed: tuple[FeedItem, bytes]) -> FeedItem:
    item, content = packed
    return item.carrying(zlib.decompress(content).decode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself."""

    title: str
    site_url: str  # the page the feed stands for
    description: str
    language: str


# key, fingerprint, the feed, its stories (positions in FeedBatch.stories), RSS, Atom
BatchFeed = tuple[str, "bytes | None", FeedInfo, list[int], str, str]


@dataclass
class FeedBatch:
    """Feeds to write, as plain data, so that a fresh process can write them
    (sidejob.Handoff): each story's item once (``pack``), each feed with its
    manifest key and fingerprint. ``done`` holds the outcomes of the work done
    before (feeds found fresh, the story index), handed back with the batch's."""

    output: str
    base_url: str
    stories: list[tuple[FeedItem, bytes]]
    feeds: list[BatchFeed]
    done: list[Outcome]


def write_batch(batch: FeedBatch) -> list[Outcome]:
    """Write every feed of ``batch``; the outcomes of ``batch.done`` and of each feed
    (its key, fingerprint and files), for the build's manifest."""
    outcomes = list(batch.done)
    output = Path(batch.output)
    # Each story's content expanded once, for every feed that carries it (four on
    # average): at most the batch's 50 MB of text at 10,000 stories, held by the
    # writer while the search index waits for it, against a CPU-second saved.
    expanded: dict[int, FeedItem] = {}
    for key, fingerprint, info, positions, rss, atom in batch.feeds:
        items = []
        for at in positions:
            item = expanded.get(at)
            if item is None:
                item = expanded[at] = unpack(batch.stories[at])
            items.append(item)
        write_feeds(info, items, output, rss, atom, batch.base_url)
        outcomes.append((key, fingerprint, [rss, atom]))
    return outcomes


def newest(
    items: Iterable[T], limit: int, date: Callable[[T], datetime], ident: Callable[[T], str]
) -> list[T]:
    """The ``limit`` newest items, newest first; equal dates ordered by ``ident``.

    Only the items as new as the ``limit``-th newest are sorted by ``ident``: an
    entity's thousands of stories are ordered by date already, which costs
    Timsort one pass."""
    if limit <= 0:
        return []
    ordered = sorted(items, key=date, reverse=True)
    if len(ordered) > limit:
        keep, cutoff = limit, date(ordered[limit - 1])
        while keep < len(ordered) and date(ordered[keep]) == cutoff:
            keep += 1
        ordered = ordered[:keep]
    ordered.sort(key=ident)
    ordered.sort(key=date, reverse=True)
    return ordered[:limit]


def newest_of_ordered(
    items: Iterable[T], limit: int, date: Callable[[T], datetime], ident: Callable[[T], str]
) -> list[T]:
    """:func:`newest` of items that come newest first (in any order within a date),
    looking only at those as new as the ``limit``-th: a busy entity's thousands of
    stories, by the feeds of every entity, cost the feeds job half a second."""
    head: list[T] = []
    if limit <= 0:
        return head
    for item in items:
        if len(head) >= limit and date(item) < date(head[limit - 1]):
            break
        head.append(item)
    return newest(head, limit, date, ident)


def build_feed(info: FeedInfo, items: Sequence[FeedItem], self_url: str) -> FeedGenerator:
    """A feedgen feed of ``items`` in the order given."""
    fg = FeedGenerator()
    fg.id(info.site_url)
    fg.title(strip_controls(info.title))
    fg.description(strip_controls(info.description) or strip_controls(info.title))
    set_self_link(fg, info, self_url)
    fg.language(info.language)
    fg.generator("news_digest (Pelican, python-feedgen)")
    fg.updated(max((i.updated for i in items), default=EPOCH))
    for item in items:
        entry = fg.add_entry(order="append")
        entry.id(item.url)
        entry.guid(item.url, permalink=True)
        entry.link(href=item.url)
        entry.title(item.title)
        entry.published(item.published)
        entry.updated(item.updated)
        entry.description(item.summary_html)
        entry.content(item.content_html, type="html")
        for term in item.categories:
            entry.category(term=term)
    return fg


def write_feeds(
    info: FeedInfo,
    items: Sequence[FeedItem],
    output_path: Path,
    rss_path: str,
    atom_path: str,
    base_url: str,
) -> None:
    """Write the RSS and Atom versions of one feed under ``output_path``."""
    fg = build_feed(info, items, f"{base_url}/{rss_path}")
    write_if_changed(output_path / rss_path, fg.rss_str(pretty=True))
    set_self_link(fg, info, f"{base_url}/{atom_path}")
    write_if_changed(output_path / atom_path, fg.atom_str(pretty=True))


def set_self_link(fg: FeedGenerator, info: FeedInfo, self_url: str) -> None:
    """The feed's own URL and its page's; feedgen takes the last link for RSS."""
    fg.link(
        [{"href": self_url, "rel": "self"}, {"href": info.site_url, "rel": "alternate"}],
        replace=True,
    )
