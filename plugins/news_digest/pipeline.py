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

from .feeds import FeedInfo, FeedItem, newest, write_feeds
from .posts import sync_posts
from .seeds import Seed, SeedError, find_seeds, read_seed
from .settings import digest_settings, seeds_path, site_base_url

logger = logging.getLogger(__name__)


class StrictBuildError(Exception):
    """Raised in strict mode when any seed was skipped with a warning."""

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


def prepare_posts(pelican: Any) -> None:
    """Read every seed and bring ``content/<DIGEST_POSTS_DIR>/`` in line with them."""
    settings = digest_settings(pelican.settings)
    root = seeds_path(pelican.settings)
    if not Path(root).is_dir():
        logger.warning("news_digest: seeds folder %s does not exist; no stories to publish", root)
    seeds, problems = read_seeds(root, settings)
    for rel, reason in problems:
        logger.warning("news_digest: skipped seed %s: %s", rel, reason)
    if problems and settings["DIGEST_STRICT"]:
        raise StrictBuildError(
            f"{len(problems)} seed(s) could not be published and DIGEST_STRICT is on: "
            + "; ".join(f"{rel}: {reason}" for rel, reason in problems)
        )
    tz = ZoneInfo(pelican.settings.get("TIMEZONE") or "UTC")
    content = Path(pelican.settings["PATH"])
    report = sync_posts(
        seeds,
        unreadable=[rel for rel, _ in problems],
        posts_dir=content / settings["DIGEST_POSTS_DIR"],
        ledger_path=content / settings["DIGEST_LEDGER_FILE"],
        now=datetime.now(tz).replace(microsecond=0),
        tz=tz,
        settings={**pelican.settings, **settings},
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
