"""A story's card (the item every list of stories shows), rendered once per build.

A story appears on the home page, its edition, its source's page and on the page of
each of its entities: a dozen lists or more. Rendering its card once and reusing
the HTML makes list pages cost a join, not a template run per item. Templates call
``story_card(article, heading, date_format)`` where they would include
``partials/story_item.html``.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

CARD_TEMPLATE = "partials/story_item.html"


def install(generator: Any) -> None:
    """Give the generator's templates ``story_card``, with a cache for this build."""
    env = generator.env
    cache: dict[tuple, Markup] = {}

    @pass_context
    def story_card(
        context: Any, article: Any, heading: str = "h2", date_format: Any = None
    ) -> Markup:
        siteurl = context.get("SITEURL", "")
        key = (id(article), heading, date_format, siteurl)
        card = cache.get(key)
        if card is None:
            values = {"article": article, "item_heading": heading, "SITEURL": siteurl}
            if date_format:
                values["item_date_format"] = date_format
            card = cache[key] = Markup(env.get_template(CARD_TEMPLATE).render(values))
        return card

    env.globals["story_card"] = story_card
