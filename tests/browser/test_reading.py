"""A reader in a real browser: the digest, a story, narrow screens, the keyboard."""

from __future__ import annotations


def test_reader_goes_from_the_digest_to_a_story_and_back(page, server):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/")
    assert page.locator("h1").count() == 1
    headlines = page.locator("main .story-item .story-title a")
    assert headlines.count() == 15
    first = headlines.first.inner_text()
    headlines.first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == first
    assert page.locator(".story-body p").count() >= 3
    page.get_by_role("link", name="Latest").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/") == server
    assert errors == []


def test_first_tab_reaches_a_visible_skip_link(page, server):
    page.goto(server + "/stories/us-will-have-no-military-cooperation-with-russia-in-syria-mattis/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    box = page.evaluate(
        "(() => { const r = document.activeElement.getBoundingClientRect();"
        " return [r.top, r.height]; })()"
    )
    assert box[0] >= 0 and box[1] > 0  # on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_feeds_are_discoverable_and_served_as_xml(page, server):
    page.goto(server + "/")
    hrefs = page.eval_on_selector_all('link[rel="alternate"]', "els => els.map(e => e.href)")
    assert hrefs == [server + "/feeds/rss.xml", server + "/feeds/atom.xml"]
    for href in hrefs:
        response = page.request.get(href)
        assert response.ok and response.text().startswith("<?xml")
