"""The plugin's signal handlers: thin glue from Pelican objects to the pure modules.

``prepare_posts`` (on ``initialized``) turns seeds into posts before Pelican lists
its content; ``write_site_feeds`` (on ``article_writer_finalized``) writes the
feeds once every article has been read and rendered.
"""

from __future__ import annotations

import logging
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican.urlwrappers import Tag

from .entities import Lexicon, VocabularyError, load_lexicon, tag_corpus
from .feeds import FeedInfo, FeedItem, newest, write_feeds
from .index import story_record, write_index
from .posts import read_entities, sync_posts
from .seeds import Seed, SeedError, find_seeds, read_seed
from .settings import digest_settings, seeds_path, site_base_url

logger = logging.getLogger(__name__)


class StrictBuildError(Exception):
    """Raised in strict mode when a seed was skipped or the vocabulary is broken."""

    exitcode = 2


def read_seeds(root: str, settings: dict[str, Any]) -> tuple[list[Seed], list[tuple[str, str]]]:
    """Every readable seed, and (path, reason) for every one that is not."""
    scan = find_seeds(root, settings)
    seeds: list[Seed] = []
    problems = list(scan.problems)
    for rel in scan.seeds:
        try:
            seeds.append(read_seed(root, rel, settings))
        except SeedError as exc:
            problems.append((rel, str(exc)))
    return seeds, sorted(problems)


def load_vocabulary(path: Path) -> tuple[Lexicon, str | None]:
    """The lexicon with the editor's vocabulary; on a broken file, the built-in one
    and the reason (a bad vocabulary must not stop the digest)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return load_lexicon(), None
    except (OSError, UnicodeDecodeError) as exc:
        return load_lexicon(), f"cannot be read ({exc})"
    try:
        return load_lexicon(text), None
    except VocabularyError as exc:
        return load_lexicon(), str(exc)


def prepare_posts(pelican: Any) -> None:
    """Read and tag every seed and bring ``content/<DIGEST_POSTS_DIR>/`` in line with them."""
    settings = digest_settings(pelican.settings)
    root = seeds_path(pelican.settings)
    if not Path(root).is_dir():
        logger.warning("news_digest: seeds folder %s does not exist; no stories to publish", root)
    content = Path(pelican.settings["PATH"])
    vocabulary = content / settings["DIGEST_VOCABULARY_FILE"]
    lexicon, vocabulary_problem = load_vocabulary(vocabulary)
    if vocabulary_problem:
        logger.warning("news_digest: vocabulary %s ignored: %s", vocabulary, vocabulary_problem)
    seeds, problems = read_seeds(root, settings)
    for rel, reason in problems:
        logger.warning("news_digest: skipped seed %s: %s", rel, reason)
    if (problems or vocabulary_problem) and settings["DIGEST_STRICT"]:
        reasons = [f"{rel}: {reason}" for rel, reason in problems]
        if vocabulary_problem:
            reasons.append(f"{vocabulary.name}: {vocabulary_problem}")
        raise StrictBuildError(
            f"{len(reasons)} problem(s) and DIGEST_STRICT is on: " + "; ".join(reasons)
        )
    published = [s for s in seeds if not s.skip]
    tagged = tag_corpus([(s.title, s.paragraphs) for s in published], lexicon)
    tz = ZoneInfo(pelican.settings.get("TIMEZONE") or "UTC")
    report = sync_posts(
        seeds,
        unreadable=[rel for rel, _ in problems],
        posts_dir=content / settings["DIGEST_POSTS_DIR"],
        ledger_path=content / settings["DIGEST_LEDGER_FILE"],
        now=datetime.now(tz).replace(microsecond=0),
        tz=tz,
        settings={**pelican.settings, **settings},
        entities={s.path: e for s, e in zip(published, tagged, strict=True)},
    )
    logger.info(
        "news_digest: %d seeds read, %d skipped; posts: %d written, %d unchanged, "
        "%d removed, %d hand-edited kept",
        len(seeds),
        len(problems),
        len(report.written),
        len(report.unchanged),
        len(report.removed),
        len(report.kept_hand_edited),
    )


def attach_entities(generator: Any, metadata: dict[str, Any]) -> None:
    """Give each story its entities (from its front matter) as data and as Pelican tags.

    Every entity becomes a tag, so every entity has a page; ``topics`` are the
    salient few a story shows.
    """
    if "entity_index" not in metadata and not any(
        k in metadata for k in ("people", "places", "organizations")
    ):
        return
    settings = digest_settings(generator.settings)
    entities = read_entities(metadata)
    tags = []
    for entity in entities:
        tag = Tag(entity["name"], generator.settings)
        tag.slug = entity["slug"]
        entity["tag"] = tag
        tags.append(tag)
    metadata["entities"] = entities
    metadata["tags"] = tags
    metadata["topics"] = [
        e for e in entities if e["salience"] >= settings["DIGEST_TAG_MIN_SALIENCE"]
    ][: settings["DIGEST_MAX_TAGS"]]


def feed_items(articles: list[Any], base_url: str) -> list[FeedItem]:
    """Pelican articles as feed items, with absolute links in their content."""
    items = []
    for article in articles:
        url = f"{base_url}/{article.url}"
        updated = getattr(article, "modified", None) or article.date
        items.append(
            FeedItem(
                url=url,
                title=article.title,
                published=article.date,
                updated=updated,
                summary_html=article.summary,
                content_html=article.get_content(base_url),
                categories=tuple(sorted(tag.name for tag in getattr(article, "tags", []))),
            )
        )
    return items


def write_site_feeds(generator: Any, writer: Any = None) -> None:
    """The digest's own RSS and Atom feeds: the newest stories, full text."""
    settings = digest_settings(generator.settings)
    base_url = site_base_url(generator.settings)
    info = FeedInfo(
        title=generator.settings.get("SITENAME", "News digest"),
        site_url=base_url + "/",
        description=generator.settings.get("SITESUBTITLE", ""),
        language=settings["DIGEST_FEED_LANGUAGE"],
    )
    chosen = newest(
        generator.articles,
        settings["DIGEST_FEED_MAX_ITEMS"],
        date=attrgetter("date"),
        ident=attrgetter("url"),
    )
    items = feed_items(chosen, base_url)
    write_feeds(
        info,
        items,
        Path(generator.output_path),
        settings["DIGEST_FEED_RSS_PATH"],
        settings["DIGEST_FEED_ATOM_PATH"],
        base_url,
    )


def write_story_index(generator: Any, writer: Any = None) -> None:
    """``api/stories.json``: every story with all its entities, for other tools."""
    settings = digest_settings(generator.settings)
    base_url = site_base_url(generator.settings)
    records = []
    for article in generator.articles:
        story = {
            "slug": article.slug,
            "url": f"{base_url}/{article.url}",
            "title": article.title,
            "date": article.date,
            "source": getattr(article, "source", None),
            "seed": getattr(article, "seed", None),
            "entities": getattr(article, "entities", []),
        }
        tags = {e["name"]: e["tag"] for e in story["entities"] if "tag" in e}
        records.append(
            story_record(story, lambda name, t=tags: (t[name].slug, f"{base_url}/{t[name].url}"))
        )
    write_index(records, Path(generator.output_path) / settings["DIGEST_INDEX_PATH"])
