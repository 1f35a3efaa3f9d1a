"""The theme in a real browser: accessibility (axe-core), narrow screens, the
keyboard, and search (Pagefind) finding stories by their words and entities."""

from __future__ import annotations

import pytest
from jstools import AXE, require

STORY = "/stories/us-will-have-no-military-cooperation-with-russia-in-syria-mattis/"
PAGES = {
    "home": "/",
    "story": STORY,
    "entity": "/people/james-mattis/",
    "entity index": "/topics/",
    "archive": "/archives/",
    "edition": "/archives/2018/07/25/",
    "source": "/sources/press-tv/",
    "search": "/search/?q=Mattis",
}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    page.evaluate(require(AXE).read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def wait_for_results(page) -> None:
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_violations(browser, server, scheme, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for name, path in PAGES.items():
        page.goto(server + path)
        if name == "search":
            wait_for_results(page)
        violations = run_axe(page)
        if violations:
            found[name] = violations
    context.close()
    assert found == {}


@pytest.mark.parametrize("name", [n for n in PAGES if n != "search"] + ["about"])
def test_no_horizontal_scroll_at_360px(browser, server, name):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server + PAGES.get(name, "/about/"))
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    context.close()
    assert overflow <= 0


def test_no_horizontal_scroll_at_360px_with_search_results(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server + "/search/?q=Syria")
    wait_for_results(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    context.close()
    assert overflow <= 0


def search(page, server, words: str) -> list[str]:
    page.goto(server + "/search/")
    box = page.get_by_label("Search stories")
    box.fill(words)
    wait_for_results(page)
    return page.locator(".pagefind-ui__result-link").all_inner_texts()


def test_search_finds_a_story_by_a_word_of_its_body(page, server):
    # "Votel" appears only in the body of the Mattis story, never in a headline.
    assert search(page, server, "Votel") == [
        "US will have no military cooperation with Russia in Syria: Mattis"
    ]


def test_search_finds_stories_by_an_entity_name(page, server, built_sample):
    import json

    stories = json.loads(built_sample.page("api/stories.json"))
    tagged = sorted(
        s["title"] for s in stories if any(e["name"] == "Theresa May" for e in s["entities"])
    )
    assert tagged
    found = search(page, server, "Theresa May")
    assert set(tagged) <= set(found)


def test_search_page_without_javascript_says_so(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/search/")
    notice = page.locator("main").inner_text()
    context.close()
    assert "needs JavaScript" in notice
    assert "topics" in notice


@pytest.mark.parametrize("name", ["home", "story", "entity"])
def test_keyboard_reaches_every_link_with_a_visible_focus(page, server, name):
    page.goto(server + PAGES[name])
    links = page.evaluate("Array.from(document.querySelectorAll('a[href]')).length")
    reached = set()
    for _ in range(links + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el.tagName !== 'A') return null;
              const s = getComputedStyle(el);
              const visible = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
              const r = el.getBoundingClientRect();
              return [el.href + '|' + el.textContent.trim(), visible, r.width > 0 && r.height > 0];
            }"""
        )
        if state is None:
            continue
        key, visible, on_screen = state
        assert visible, f"{key} has no visible focus"
        assert on_screen, f"{key} is focused but not visible"
        reached.add(key)
    assert len(reached) == page.evaluate(
        "new Set(Array.from(document.querySelectorAll('a[href]')).map(a => a.href + '|' + a.textContent.trim())).size"
    )
