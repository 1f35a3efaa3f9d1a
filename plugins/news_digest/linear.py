"""Three of Pelican's passes that grow with the square of the archive, made linear,
and two that repeat work.

- ``ArticlesGenerator._build_period_archives`` finds each period's articles with
  ``[a for a in articles if a in dates]``: a scan of every article for every period
  (4 s of a 10,000-story build, four times that at 20,000). :func:`period_archives`
  builds the very same structure in one pass; it replaces that method on the
  generator instance only, so Pelican's templates and writer are unchanged.
- ``generate_authors`` lists each author's stories by scanning all stories for each
  of the author's, even when no author page is written (``AUTHOR_SAVE_AS = ""``, as
  here: every story has the site's one author): 1.7 s at 10,000 stories.
  :func:`drop_unwritten_authors` empties the generator's author list then.
- ``process_translations`` finds the stories that are not originals with
  ``[x for x in content_list if x not in index]``, ``index`` a list of every
  original (1.2 s at 10,000, 5 s at 20,000). :func:`process_translations` hands
  Pelican's own function one translation group at a time instead, which gives the
  same lists in the same order; it replaces the name ``pelican.generators`` calls.

And two that are linear but repeat work for nothing:

- Pelican collects the ``{static}``/``{attach}`` links of each story it reads (1.2 s
  at 10,000 stories). A link of either kind names its kind in the text, so
  :func:`add_static_links` skips a story whose text names neither.
- Resolving a ``{tag}`` link builds a Tag (a slugify, the URL settings) for every
  link of every story, on every rendering of its content: the same few thousand
  entity links, 80,000 times at 10,000 stories (4 s in the build, as much again in
  the feeds). :func:`share_tag_links` has the stories look each one up in a table.

And one that holds memory for nothing: Pelican memoizes every story's rendered
content to the end of the build, and keeps each story's text, which only the
story's own page shows; :func:`release_contents` lets them go once the story pages
are written.
"""

from __future__ import annotations

import calendar
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from operator import attrgetter
from typing import Any

import pelican.generators
from pelican.contents import Content
from pelican.utils import process_translations as pelican_process_translations

KEYS = {
    "year": attrgetter("date.year"),
    "month": attrgetter("date.year", "date.month"),
    "day": attrgetter("date.year", "date.month", "date.day"),
}


def period_archives(
    sorted_articles: Sequence[Any], articles: Sequence[Any], settings: Mapping[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    """As Pelican's: for each granularity with a ``*_ARCHIVE_SAVE_AS``, one archive per
    run of ``sorted_articles`` in the same period, its ``articles`` in the order of
    ``articles``."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for granularity, key in KEYS.items():
        save_as = settings[f"{granularity.upper()}_ARCHIVE_SAVE_AS"]
        url = settings[f"{granularity.upper()}_ARCHIVE_URL"]
        if not save_as:
            continue
        in_order: dict[Any, list[Any]] = defaultdict(list)
        for article in articles:
            in_order[key(article)].append(article)
        for period, group in groupby(sorted_articles, key=key):
            dates = list(group)
            mine = {id(a) for a in dates}
            d = dates[0].date
            archive = {
                "dates": dates,
                "articles": [a for a in in_order[period] if id(a) in mine],
                "save_as": save_as.format(date=d),
                "url": url.format(date=d),
            }
            if granularity == "year":
                archive["period"] = archive["period_num"] = (period,)
            else:
                name = calendar.month_name[period[1]]
                archive["period"] = (period[0], name, *period[2:])
                archive["period_num"] = tuple(period)
            found[granularity].append(archive)
    return found


def process_translations(
    content_list: list[Any], translation_id: str | Sequence[str] | None = None
) -> tuple[list[Any], list[Any]]:
    """Pelican's ``process_translations``, called once per group of items sharing
    ``translation_id`` (each group sorted as Pelican sorts the whole list)."""
    if not translation_id:
        return pelican_process_translations(content_list, translation_id)
    ids = [translation_id] if isinstance(translation_id, str) else list(translation_id)
    key = attrgetter(*ids)
    try:
        content_list.sort(key=key)
    except (TypeError, AttributeError):
        return pelican_process_translations(content_list, translation_id)  # its own error
    originals: list[Any] = []
    translations: list[Any] = []
    for _, group in groupby(content_list, key):
        mine, others = pelican_process_translations(list(group), translation_id)
        originals += mine
        translations += others
    return originals, translations


def drop_unwritten_authors(generator: Any) -> None:
    """No author pages are written: let Pelican not work out what they would list
    (the ``authors`` template variable was set before this, and stays)."""
    if not generator.settings.get("AUTHOR_SAVE_AS"):
        generator.authors = []


def add_static_links(generator: Any, content: Any) -> None:
    """Pelican's ``Generator.add_static_links``, for content that can have any."""
    text = getattr(content, "_content", None) or ""
    if "static" in text or "attach" in text:
        type(generator).add_static_links(generator, content)


def share_tag_links(contents: Iterable[Any]) -> None:
    """Have ``contents`` resolve their ``{tag}`` links through one shared table (see
    the module doc); other links still go to Pelican each time."""
    table: dict[tuple[str, str], str] = {}
    for content in contents:
        content._link_replacer = functools.partial(_link_replacer, content, table)


def _link_replacer(
    content: Any, table: dict[tuple[str, str], str], siteurl: str, match: Any
) -> str:
    """Pelican's ``Content._link_replacer``; a ``{tag}`` link's result depends only on
    the site URL, the matched markup and the settings, which all stories share."""
    if match.group("what") != "tag":
        return type(content)._link_replacer(content, siteurl, match)
    key = (siteurl, match.group(0))
    found = table.get(key)
    if found is None:
        found = table[key] = type(content)._link_replacer(content, siteurl, match)
    return found


def content_once(content: Any, siteurl: str) -> str:
    """``content.get_content(siteurl)`` without Pelican's memo, which would keep the
    result to the end of the build (see :func:`release_contents`)."""
    memoized = Content.__dict__.get("get_content")
    function = getattr(memoized, "func", None)
    return content.get_content(siteurl) if function is None else function(content, siteurl)


class ReleasedError(RuntimeError):
    """What a story's own page alone shows was read after that page was written."""


class Released:
    """Stands for a story's text or JSON-LD once its page is written (see
    :func:`release_contents`). Printing or testing it fails the build with a message:
    a template that shows it on another page must not get an empty string."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what

    def _fail(self, *args: Any) -> Any:
        raise ReleasedError(
            f"news_digest: a story's {self.what} was used after the story pages were "
            "written; only a story's own page can show it (linear.release_contents)"
        )

    __bool__ = __str__ = __len__ = __iter__ = __html__ = _fail

    def __repr__(self) -> str:
        return f"<released {self.what}>"


RELEASED_TEXT = Released("text")
RELEASED_JSONLD = Released("JSON-LD")


def release_contents(stories: Iterable[Any] = (), readers: Any = None) -> None:
    """Let go of every story's rendered content once the story pages are written.

    Pelican memoizes ``get_content`` for the whole build, so every story's HTML with
    its links resolved stays in memory to the end (50 MB at 10,000 stories) though
    nothing reads it after its page; should anything, it is worked out again.

    Of ``stories``, each one's text (``_content``) and JSON-LD go too, with the
    ``readers``' cache that also holds the texts (Pelican saved it after reading):
    another 70 MB at 10,000 stories, which the pages rendered after them reuse.
    Lists show a story's summary; a story without one in its metadata keeps its
    text, which Pelican cuts its summary from. A story's fingerprint reads both:
    work it out before (incremental.Fingerprints.own)."""
    memo = getattr(Content.__dict__.get("get_content"), "cache", None)
    if isinstance(memo, dict):
        memo.clear()
    cache = getattr(readers, "_cache", None)
    if isinstance(cache, dict):
        cache.clear()
    for story in stories:
        if "summary" in getattr(story, "metadata", {}):
            story._content = RELEASED_TEXT
        if hasattr(story, "jsonld"):
            story.jsonld = RELEASED_JSONLD


def install(generator: Any) -> None:
    """Use :func:`period_archives` and :func:`add_static_links` for this generator and
    :func:`process_translations` for Pelican's generators, where Pelican still has
    what they replace (otherwise Pelican's own run, only slower)."""
    if hasattr(type(generator), "_build_period_archives"):
        generator._build_period_archives = period_archives
    if hasattr(type(generator), "add_static_links"):
        generator.add_static_links = functools.partial(add_static_links, generator)
    if getattr(pelican.generators, "process_translations", None) is pelican_process_translations:
        pelican.generators.process_translations = process_translations
