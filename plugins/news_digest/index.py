"""The machine-readable index of stories and their entities (``api/stories.json``).

Its schema is a contract with other tools; change it only by adding keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from .files import write_parts_if_changed
from .seo import html_safe


def story_record(story: Mapping[str, Any], entity_urls: Any) -> dict[str, Any]:
    """One story's entry. ``story`` has slug, url, title, date, source, seed, entities,
    related and cluster; ``entity_urls(entity)`` gives an entity's slug, url and feeds."""
    entities = []
    for e in story["entities"]:
        urls = entity_urls(e)
        entities.append(
            {
                "name": e["name"],
                "type": e["type"],
                "slug": urls["slug"],
                "url": urls["url"],
                "salience": e["salience"],
                "mentions": e["mentions"],
                "feeds": urls["feeds"],
            }
        )
    return {
        "slug": story["slug"],
        "url": story["url"],
        "title": story["title"],
        "date": story["date"].isoformat(),
        "source": story.get("source"),
        "seed": story.get("seed"),
        "entities": entities,
        "related": list(story.get("related", [])),
        "cluster": story.get("cluster"),
    }


def record_line(record: Mapping[str, Any]) -> bytes:
    """A record as its line of the index, in UTF-8: json's C encoder (which an
    ``indent`` would turn off), keys sorted, safe to paste into HTML (seo.html_safe)."""
    return html_safe(json.dumps(record, ensure_ascii=False, sort_keys=True)).encode("utf-8")


def write_index(lines: Iterable[tuple[datetime, str, bytes]], path: Path) -> None:
    """``(date, slug, line)`` of each story, newest first, then by slug: the same input
    always gives the same bytes. One story per line: readable and diffable. The lines
    are written one by one, never joined (30 MB at 10,000 stories)."""
    ordered = sorted(lines, key=itemgetter(1))
    ordered.sort(key=itemgetter(0), reverse=True)
    if not ordered:
        write_parts_if_changed(path, [b"[]\n"])
        return
    parts = [b"[\n"]
    for _, _, line in ordered:
        parts += [line, b",\n"]
    parts[-1] = b"\n]\n"
    write_parts_if_changed(path, parts)
