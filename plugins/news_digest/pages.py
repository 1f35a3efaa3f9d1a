"""The digest's own pages, written with Pelican's writer and the theme's templates:
the home page (one entry per cluster), entity pages, the entity index and the
source pages.

Entity pages do not go through Pelican's tag pages, whose per-tag scan of every
article is quadratic in the corpus (see DESIGN.md): each entity's story list comes
from the registry, built in one pass.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pelican.utils import slugify

from .charts import mentions_chart
from .crosslinks import EntityStats
from .memo import Memo

logger = logging.getLogger(__name__)

TYPE_LABELS = {"person": "People", "place": "Places", "organization": "Organisations"}
TYPE_WORDS = {"person": "Person", "place": "Place", "organization": "Organisation"}
# The stories of an entity or source page: a page shows only how many there are
# (``articles|length``); the stories themselves reach it through its pagination,
# which is fingerprinted page by page (incremental._Pages). So the page's own
# fingerprint counts them, and an edited story re-renders the one page that lists
# it, not all 100 pages of a busy entity. A template that shows stories from
# ``entity.articles`` directly must drop this.
LISTED = {"fingerprint": len}


@dataclass
class Entity:
    """An entity page's data, for templates.

    On another page (a chip in "appears with", on the topics page) an entity is
    fingerprinted as its name, type and link only: a template that shows more of it
    there, such as its story count, must be given that as a value of its own (as the
    topics page is), or the page would not be rendered again when it changes."""

    path: str  # people/james-mattis: its tag slug
    name: str
    type: str
    slug: str
    url: str  # site-relative
    save_as: str
    articles: list = field(default_factory=list, metadata=LISTED)  # newest first
    appears_with: list[tuple[Entity, int]] = field(default_factory=list)
    chart: str = ""
    description: str = ""
    link: str = ""
    feeds: dict[str, str] = field(default_factory=dict)  # "rss"/"atom" -> site-relative path

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    @property
    def type_word(self) -> str:
        return TYPE_WORDS[self.type]


@dataclass
class Source:
    name: str
    slug: str
    url: str
    save_as: str
    articles: list = field(default_factory=list, metadata=LISTED)


def build_entities(
    stats: dict[str, EntityStats],
    by_key: dict[str, Any],
    lexicon: Any,
    settings: dict,
    charts: Memo | None = None,
) -> dict[str, Entity]:
    """Entity page data from the registry; names and types from the newest story.
    ``charts`` keeps the mentions charts between builds."""
    entities: dict[str, Entity] = {}
    listed: dict[str, dict[str, dict]] = {}  # story key -> its entities by path
    for path, entry in stats.items():
        articles = [by_key[k] for k in entry.stories]
        newest = entry.stories[0]
        if newest not in listed:
            listed[newest] = {e["path"]: e for e in reversed(articles[0].entities)}
        info = listed[newest][path]
        canonical = (
            lexicon.display_to_name.get(info["name"], info["name"]) if lexicon else info["name"]
        )
        entities[path] = Entity(
            path=path,
            name=info["name"],
            type=info["type"],
            slug=info["slug"],
            url=info["url"],
            save_as=info["save_as"],
            articles=articles,
            description=lexicon.description.get(canonical, "") if lexicon else "",
            link=lexicon.link.get(canonical, "") if lexicon else "",
            feeds={
                "rss": settings["DIGEST_ENTITY_FEED_RSS"].format(path=path),
                "atom": settings["DIGEST_ENTITY_FEED_ATOM"].format(path=path),
            },
        )
    for path, entry in stats.items():
        entity = entities[path]
        entity.appears_with = [(entities[p], n) for p, n in entry.appears_with]
        label = f"Stories about {entity.name} over time"
        draw = functools.partial(_chart, entry.months, label)
        entity.chart = (
            charts.get(f"{entry.months}\0{label}", draw) if charts is not None else draw("")
        )
    return entities


def _chart(months: dict[str, int], label: str, _key: str) -> str:
    """The mentions chart, as a memo computes it (from its key, which says the same)."""
    return mentions_chart(months, label)


def build_sources(articles: Sequence[Any], settings: dict) -> list[Source]:
    """One page per source, its stories newest first; sources by name."""
    sources: dict[str, Source] = {}
    for article in articles:  # already newest first
        name = getattr(article, "source", None)
        if not name:
            continue
        slug = slugify(name, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"]) or "source"
        source = sources.get(slug)
        if source is None:
            source = sources[slug] = Source(
                name=name,
                slug=slug,
                url=settings["DIGEST_SOURCE_URL"].format(slug=slug),
                save_as=settings["DIGEST_SOURCE_SAVE_AS"].format(slug=slug),
            )
        source.articles.append(article)
    return sorted(sources.values(), key=lambda s: (s.name.lower(), s.slug))


def _write_paginated(
    generator: Any,
    writer: Any,
    save_as: str,
    template: str,
    articles: list,
    url: str,
    **kwargs: Any,
) -> None:
    """One list of stories, paginated as PAGINATED_TEMPLATES says for ``template``."""
    writer.write_file(
        save_as,
        generator.get_template(template),
        generator.context,
        paginated={"articles": articles, "dates": articles},
        template_name=template,
        page_name=save_as.rsplit("/", 1)[0] if "/" in save_as else "index",
        url=url,
        **kwargs,
    )


def write_pages(
    generator: Any, writer: Any, leads: list, entities: dict[str, Entity], sources: list[Source]
) -> None:
    """Home, entity pages, entity index, source pages and the sources index."""
    settings = generator.settings
    context = generator.context
    _write_paginated(
        generator,
        writer,
        settings["DIGEST_HOME_SAVE_AS"],
        "index",
        leads,
        settings["DIGEST_HOME_URL"],
    )
    for entity in sorted(entities.values(), key=lambda e: e.path):
        _write_paginated(
            generator, writer, entity.save_as, "entity", entity.articles, entity.url, entity=entity
        )
    grouped = {
        kind: sorted(
            (e for e in entities.values() if e.type == kind),
            key=lambda e: (-len(e.articles), e.name.lower(), e.path),
        )
        for kind in TYPE_LABELS
    }
    writer.write_file(
        settings["DIGEST_ENTITY_INDEX_SAVE_AS"],
        generator.get_template("entities"),
        context,
        url=settings["DIGEST_ENTITY_INDEX_URL"],
        # Each entity with its story count: a chip's fingerprint leaves the count out
        # (see incremental.Fingerprints.value), so the page is given it.
        groups=[
            (kind, TYPE_LABELS[kind], [(e, len(e.articles)) for e in grouped[kind]])
            for kind in TYPE_LABELS
        ],
    )
    for source in sources:
        _write_paginated(
            generator, writer, source.save_as, "source", source.articles, source.url, source=source
        )
    writer.write_file(
        settings["DIGEST_SOURCES_SAVE_AS"],
        generator.get_template("sources"),
        context,
        url=settings["DIGEST_SOURCES_URL"],
        sources=sources,
    )
