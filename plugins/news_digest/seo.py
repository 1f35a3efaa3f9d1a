"""What search engines and link previews read: NewsArticle JSON-LD and absolute URLs.

The JSON-LD goes into a ``<script type="application/ld+json">`` block, which the
browser never runs but the HTML parser still ends at the first ``</script>``: so
``<``, ``>`` and ``&`` are written as JSON escapes, and a seed's headline can never
close the block or open a tag.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

SCHEMA_TYPES = {"person": "Person", "place": "Place", "organization": "Organization"}

_HTML_SAFE = (
    ("&", "\\u0026"),
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def html_safe(json_text: str) -> str:
    """JSON text with ``<``, ``>`` and ``&`` as escapes: the same data, and harmless
    to a page that embeds it (or to a tool that pastes it into one)."""
    for char, escape in _HTML_SAFE:  # str.replace: far faster than translate on megabytes
        json_text = json_text.replace(char, escape)
    return json_text


def json_for_html(data: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` data block; stable key order."""
    return html_safe(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def news_article(
    *,
    url: str,
    headline: str,
    description: str,
    published: datetime,
    modified: datetime | None,
    publisher: Mapping[str, str],
    about: Sequence[Mapping[str, str]],
    mentions: Sequence[Mapping[str, str]] = (),
    source: str | None = None,
    source_url: str | None = None,
    author: str | None = None,
    words: int | None = None,
) -> dict[str, Any]:
    """schema.org ``NewsArticle`` for one story; ``about`` holds its entities
    (``type``, ``name``, ``url``), the most salient first; ``mentions`` the others."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline[:110],  # the length Google shows; the page keeps it all
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": published.isoformat(),
        "dateModified": (modified or published).isoformat(),
        "publisher": {"@type": "Organization", **publisher},
        "about": [_thing(e) for e in about],
    }
    if mentions:
        data["mentions"] = [_thing(e) for e in mentions]
    if description:
        data["description"] = description
    if words:
        data["wordCount"] = words
    if author:
        data["author"] = {"@type": "Person", "name": author}
    elif source:
        data["author"] = {"@type": "Organization", "name": source}
    if source_url:
        data["isBasedOn"] = source_url
    return data


def _thing(entity: Mapping[str, str]) -> dict[str, str]:
    """An entity as a schema.org Person, Place or Organization, with its page."""
    return {"@type": SCHEMA_TYPES[entity["type"]], "name": entity["name"], "url": entity["url"]}


def description(text: str, limit: int = 160) -> str:
    """A meta description: the lede's plain text, cut at a word near ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return f"{cut}…"
