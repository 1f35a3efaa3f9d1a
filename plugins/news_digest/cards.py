"""A story's card (the item every list of stories shows), rendered once, kept
between builds.

A story appears on the home page, its edition, its source's page and on the page of
each of its entities: a dozen lists or more. Rendering its card once and reusing
the HTML makes list pages cost a join, not a template run per item. Templates call
``story_card(article, heading, date_format)`` where they would include
``partials/story_item.html``.

A story added at the top of the digest shifts every page of the home page, so all
of them are rendered again; their cards need not be. Each card is kept in
``<CACHE_PATH>/digest/cards/`` under its slot (story, heading, date format,
site URL) with its fingerprint (the story's card digest under the site key: see
incremental.py), and reused while the fingerprint holds.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from .files import load_state, save_state
from .incremental import DigestWriter

CARD_TEMPLATE = "partials/story_item.html"
FORMAT = 1
SHARDS = 64
Slot = tuple[str, str, Any, str]  # a story's save_as, heading, date format, SITEURL


@dataclass
class Cards:
    """The cards kept from the last build, and those rendered in this one.

    They are kept in SHARDS files by story, each loaded when a card of its stories is
    first asked for and saved only when one of its cards changed: an edited story
    costs the load and save of one file, not of every story's cards."""

    folder: Path
    shards: dict[int, dict[Slot, tuple[bytes, Markup]]] = field(default_factory=dict)
    changed: set[int] = field(default_factory=set)

    def get(self, slot: Slot) -> tuple[bytes, Markup] | None:
        """The kept card of ``slot``: (fingerprint, HTML), or None."""
        shard = self._shard(slot)
        kept = shard.get(slot)
        if kept is not None and type(kept[1]) is not Markup:  # saved by an older version
            kept = shard[slot] = (kept[0], Markup(kept[1]))
        return kept

    def put(self, slot: Slot, fingerprint: bytes, html: Markup) -> None:
        self._shard(slot)[slot] = (fingerprint, html)
        self.changed.add(_shard_of(slot))

    def save(self, live: Iterable[str]) -> None:
        """Save the shards read in this build, without the cards of stories that are
        not in ``live`` (their ``save_as``): a removed story's cards go."""
        keep = set(live)
        for number, cards in sorted(self.shards.items()):
            kept = {slot: card for slot, card in cards.items() if slot[0] in keep}
            if number in self.changed or len(kept) != len(cards):
                state = {"format": FORMAT, "cards": kept}
                save_state(self.folder / f"{number:02d}.pickle", state, "card cache")

    def _shard(self, slot: Slot) -> dict[Slot, tuple[bytes, Markup]]:
        number = _shard_of(slot)
        shard = self.shards.get(number)
        if shard is None:
            path = self.folder / f"{number:02d}.pickle"
            stored = load_state(path, FORMAT, ("cards",), "card cache", "rendering its cards")
            shard = self.shards[number] = stored["cards"] if stored is not None else {}
        return shard


def _shard_of(slot: Slot) -> int:
    """A story's shard (every card of one story in the same one)."""
    return zlib.crc32(slot[0].encode("utf-8", "surrogatepass")) % SHARDS


def install(generator: Any) -> None:
    """Give the generator's templates ``story_card``, with a cache for this build
    and, while the digest's writer runs a build, the cards kept from the last."""
    env = generator.env
    cache: dict[tuple, Markup] = {}

    @pass_context
    def story_card(
        context: Any, article: Any, heading: str = "h2", date_format: Any = None
    ) -> Markup:
        siteurl = context.get("SITEURL", "")
        key = (id(article), heading, date_format, siteurl)
        card = cache.get(key)
        if card is not None:
            return card
        build = DigestWriter.build
        if build is None or build.cards is None or not build.fingerprints.site:
            card = cache[key] = _render(env, article, heading, date_format, siteurl)
            return card
        prints = build.fingerprints
        slot = (article.save_as, heading, date_format, siteurl)
        fingerprint = prints.digest("card", prints.card(article), *map(repr, slot))
        kept = build.cards.get(slot)
        # One object in both caches: the cards of 10,000 stories are 50 MB.
        if kept is not None and kept[0] == fingerprint:
            card = kept[1]
        else:
            card = _render(env, article, heading, date_format, siteurl)
            build.cards.put(slot, fingerprint, card)
        cache[key] = card
        return card

    env.globals["story_card"] = story_card


def _render(env: Any, article: Any, heading: str, date_format: Any, siteurl: str) -> Markup:
    values = {"article": article, "item_heading": heading, "SITEURL": siteurl}
    if date_format:
        values["item_date_format"] = date_format
    return Markup(env.get_template(CARD_TEMPLATE).render(values))
