"""What a story page shows beside its post: reading time, the edition (day) it
belongs to, the newer and older stories, a meta description and its JSON-LD.

Computed once the corpus is read, so that templates only print values.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Sequence
from html import unescape
from typing import Any

from .forkmap import fork_map
from .memo import Memo, value_key
from .seo import description, json_for_html, news_article

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def plain_text(html: str) -> str:
    """The words of an HTML fragment, tags dropped, entities decoded."""
    return unescape(_TAG.sub(" ", html or ""))


def reading_minutes(words: int, per_minute: int) -> int:
    """Minutes to read ``words`` at ``per_minute``, rounded up, never zero."""
    return max(1, -(-words // per_minute))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def annotate(
    articles: Sequence[Any],
    base_url: str,
    settings: dict[str, Any],
    memo: Memo | None = None,
    texts: Sequence[str] | None = None,
    workers: int = 1,
) -> None:
    """Set reading time, edition, neighbours, description and JSON-LD on each story.

    ``articles`` are newest first (Pelican's order); ``newer``/``older`` follow it.
    ``memo`` keeps each story's word count, description and JSON-LD between builds,
    under everything they are computed from; ``texts``, when given, are the stories'
    :func:`plain_text`, in the same order. Those not kept are worked out on
    ``workers`` processes (forkmap.py).
    """
    publisher = {"name": settings.get("SITENAME", "News digest"), "url": f"{base_url}/"}
    per_minute = settings["DIGEST_READING_WORDS_PER_MINUTE"]
    if texts is None:
        texts = [plain_text(article._content) for article in articles]
    keys = [
        _key(article, text, base_url, publisher) if memo is not None else None
        for article, text in zip(articles, texts, strict=True)
    ]

    def compute(positions: list[int]) -> list[tuple[int, str, str]]:
        def one(i: int) -> tuple[int, str, str]:
            at = positions[i]
            return _described(articles[at], texts[at], base_url, publisher)

        return fork_map(one, len(positions), workers)

    described = (memo or Memo()).lookup_all(keys, compute)
    for position, article in enumerate(articles):
        article.featured = str(getattr(article, "featured", "")).lower() in {"true", "yes", "1"}
        article.edition = article.date.date()
        article.newer = articles[position - 1] if position > 0 else None
        article.older = articles[position + 1] if position + 1 < len(articles) else None
        words, article.description, article.jsonld = described[position]
        article.words = words
        article.reading_minutes = reading_minutes(words, per_minute)


# What _described reads of a story besides its text, summary and URL.
DESCRIBED = ("title", "date", "modified", "entities", "topics", "source", "source_url", "byline")


def _key(article: Any, text: str, base_url: str, publisher: dict[str, str]) -> bytes | None:
    """The memo's key: a digest of everything :func:`_described` reads; None when a
    value is not plain data (another plugin's object): then it is not kept."""
    values = [getattr(article, name, None) for name in DESCRIBED]
    summary = getattr(article, "summary", "") or ""
    try:
        return value_key((text, summary, article.url, base_url, publisher, values))
    except (pickle.PicklingError, TypeError, AttributeError, ValueError):
        return None


def _described(
    article: Any, text: str, base_url: str, publisher: dict[str, str]
) -> tuple[int, str, str]:
    """A story's word count, meta description and JSON-LD."""
    words = word_count(text)
    lede = plain_text(getattr(article, "summary", "") or "")
    summary = description(lede or text)
    entities = [{**e, "url": f"{base_url}/{e['url']}"} for e in getattr(article, "entities", [])]
    shown = {e["path"] for e in getattr(article, "topics", [])}
    data = news_article(
        url=f"{base_url}/{article.url}",
        headline=article.title,
        description=summary,
        published=article.date,
        modified=getattr(article, "modified", None),
        publisher=publisher,
        about=[e for e in entities if e["path"] in shown],
        mentions=[e for e in entities if e["path"] not in shown],
        source=getattr(article, "source", None),
        source_url=getattr(article, "source_url", None),
        author=getattr(article, "byline", None),
        words=words,
    )
    return words, summary, json_for_html(data)
