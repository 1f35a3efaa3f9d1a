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

from .files import write_if_changed
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


def record_line(record: Mapping[str, Any]) -> str:
    """A record as its line of the index: json's C encoder (which an ``indent``
    would turn off), keys sorted."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def write_index(lines: Iterable[tuple[datetime, str, str]], path: Path) -> None:
    """``(date, slug, line)`` of each story, newest first, then by slug: the same input
    always gives the same bytes. One story per line: readable and diffable."""
    ordered = sorted(lines, key=itemgetter(1))
    ordered.sort(key=itemgetter(0), reverse=True)
    text = ",\n".join(line for _, _, line in ordered)
    write_if_changed(path, html_safe(f"[\n{text}\n]\n" if ordered else "[]\n"))
