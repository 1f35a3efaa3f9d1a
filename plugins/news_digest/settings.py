"""Every ``DIGEST_*`` setting with its default, in one place.

Paths that are relative are resolved against Pelican's ``PATH`` (content) or the
folder holding the settings file, as each setting says.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .seo import json_for_html

DEFAULTS: dict[str, Any] = {
    # Folder of raw scraped articles; a relative path is taken from the folder that
    # holds PATH (content/), i.e. the project folder.
    "DIGEST_SEEDS_PATH": "seeds",
    # Sub-folder of PATH (content/) where generated posts are written.
    "DIGEST_POSTS_DIR": "digest",
    # Ledger of first-seen dates for seeds with no date of their own; relative to PATH.
    "DIGEST_LEDGER_FILE": "first-seen.json",
    # File extensions read as plain text and as HTML.
    "DIGEST_TEXT_EXTENSIONS": (".txt", ".text"),
    "DIGEST_HTML_EXTENSIONS": (".html", ".htm", ".xhtml"),
    # Editor's sidecar next to a seed: "<seed file name>" + this suffix (TOML).
    "DIGEST_SIDECAR_SUFFIX": ".meta.toml",
    # Seeds larger than this are refused (bytes).
    "DIGEST_MAX_SEED_BYTES": 8 * 1024 * 1024,
    # Longest slug we derive from a headline (characters).
    "DIGEST_SLUG_MAX_LENGTH": 80,
    # The live site when building into a staging folder (set by `invoke build`):
    # pages that did not change are hard-linked from it instead of rendered again,
    # and any other file in the output folder is deleted (incremental.clone_previous).
    # Relative to the project folder (the one holding PATH).
    "DIGEST_PREVIOUS_OUTPUT": None,
    # Processes that read and tag seeds; None: one per core.
    "DIGEST_WORKERS": None,
    # Fewer new seeds (or posts) than this are read in the build process itself, and
    # a site with fewer stories writes its feeds there too: starting workers (or the
    # feeds' side job) would cost more than it saves.
    "DIGEST_PARALLEL_MIN": 200,
    # With at least this many feeds to write, the feeds' side job writes them in a
    # fresh process (sidejob.Handoff), not in its fork of the build, whose memory it
    # would copy page by page while the build renders. Starting one costs about a
    # second; writing a feed, a few milliseconds.
    "DIGEST_FEEDS_HANDOFF_MIN": 500,
    # Fail the build (non-zero exit) when any seed was skipped with a warning.
    "DIGEST_STRICT": False,
    # The editor's entity vocabulary (TOML), relative to PATH; see README.
    "DIGEST_VOCABULARY_FILE": "entities.toml",
    # A story shows (as chips) at most this many of its entities, the most salient
    # ones, and none below this salience (0..1). All entities stay in the data.
    "DIGEST_MAX_TAGS": 8,
    "DIGEST_TAG_MIN_SALIENCE": 0.3,
    # Reading time on story pages: words read per minute.
    "DIGEST_READING_WORDS_PER_MINUTE": 230,
    # Search: a Pagefind bundle, written into this folder of the output.
    "DIGEST_SEARCH": True,
    "DIGEST_SEARCH_DIR": "pagefind",
    # At most this many stories in one bundle of the index (a year, or runs of its
    # months): Pagefind holds a bundle in memory, about 180 KB a story.
    "DIGEST_SEARCH_BUNDLE_MAX": 2000,
    # Machine-readable index of stories and their entities.
    "DIGEST_INDEX_PATH": "api/stories.json",
    # What the build published, skipped and kept.
    "DIGEST_REPORT_PATH": "api/build-report.json",
    # Related stories shown on each story (and listed in the index).
    "DIGEST_RELATED_MAX": 5,
    # Pages the plugin writes itself. Entity pages live at Pelican's TAG_URL and
    # TAG_SAVE_AS, with the tag slug "people/<slug>", "places/<slug>" or
    # "organizations/<slug>", so that {tag} links in posts reach them.
    "DIGEST_HOME_URL": "",
    "DIGEST_HOME_SAVE_AS": "index.html",
    "DIGEST_ENTITY_INDEX_URL": "topics/",
    "DIGEST_ENTITY_INDEX_SAVE_AS": "topics/index.html",
    "DIGEST_SOURCE_URL": "sources/{slug}/",
    "DIGEST_SOURCE_SAVE_AS": "sources/{slug}/index.html",
    "DIGEST_SOURCES_URL": "sources/",
    "DIGEST_SOURCES_SAVE_AS": "sources/index.html",
    "DIGEST_ENTITY_FEED_RSS": "{path}/rss.xml",
    "DIGEST_ENTITY_FEED_ATOM": "{path}/atom.xml",
    # Feeds (written with feedgen; Pelican's own feeds are switched off).
    "DIGEST_FEED_MAX_ITEMS": 50,
    "DIGEST_FEED_RSS_PATH": "feeds/rss.xml",
    "DIGEST_FEED_ATOM_PATH": "feeds/atom.xml",
    # Absolute base URL for feed links when SITEURL is relative (local preview).
    "DIGEST_FEED_DOMAIN": "http://localhost:8000",
    "DIGEST_FEED_LANGUAGE": "en",
}


def apply_defaults(pelican: Any) -> None:
    """Put every DIGEST_* default into Pelican's settings, so templates can use them,
    with the values templates need that derive from settings: ``DIGEST_SITE_BASE``
    (the absolute base URL, for canonical and sharing links) and
    ``DIGEST_WEBSITE_JSONLD`` (the site's schema.org ``WebSite``, with its search)."""
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    base = site_base_url(pelican.settings)
    pelican.settings["DIGEST_SITE_BASE"] = base
    website: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": pelican.settings.get("SITENAME", "News digest"),
        "url": f"{base}/",
    }
    search_url = pelican.settings.get("SEARCH_URL")
    if pelican.settings["DIGEST_SEARCH"] and search_url is not None:
        website["potentialAction"] = {
            "@type": "SearchAction",
            "target": f"{base}/{search_url}?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        }
    pelican.settings["DIGEST_WEBSITE_JSONLD"] = json_for_html(website)


def digest_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Return the DIGEST_* settings: defaults overlaid with what the site set."""
    merged = dict(DEFAULTS)
    merged.update({k: v for k, v in settings.items() if k.startswith("DIGEST_")})
    return merged


def seeds_path(settings: Mapping[str, Any]) -> str:
    """Absolute seeds folder; a relative one is taken from the folder holding PATH."""
    path = digest_settings(settings)["DIGEST_SEEDS_PATH"]
    if os.path.isabs(path):
        return path
    base = os.path.dirname(os.path.abspath(settings.get("PATH", "content")))
    return os.path.join(base, path)


def site_base_url(settings: Mapping[str, Any]) -> str:
    """Absolute URL the site is served from, for feeds (which need absolute links)."""
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    if siteurl.startswith(("http://", "https://")):
        return siteurl
    return digest_settings(settings)["DIGEST_FEED_DOMAIN"].rstrip("/") + siteurl
