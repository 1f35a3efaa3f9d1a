"""A scan of every generated page and feed for what no seed may bring in."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from bs4 import BeautifulSoup
from scan import problems

# 'wasm-unsafe-eval': Pagefind's search runs WebAssembly (no eval of strings).
# data: images: Pagefind's stylesheet draws its search icon as an SVG data URL (an
# SVG image runs no script).
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'"
)


def test_every_page_has_a_strict_content_security_policy(built_sample):
    for page in built_sample.output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None and meta["content"] == CSP, page


def test_no_script_handler_or_dangerous_url_anywhere(built_sample):
    assert problems(built_sample.output) == []


def test_external_links_do_not_leak_the_opener_or_referrer(built_sample):
    checked = 0
    for page in built_sample.output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", href=True):
            if urlparse(link["href"]).scheme in ("http", "https"):
                checked += 1
                assert {"noopener", "noreferrer"} <= set(link.get("rel", [])), (page, link)
    assert checked >= 5  # source links and vocabulary links


def test_the_theme_has_no_inline_script_or_event_handler():
    from sitebuild import ROOT

    for template in sorted((ROOT / "theme" / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+\s*=", text, re.I), template
        assert not re.search(r"javascript:", text, re.I), template
        for script in re.findall(r"<script\b[^>]*>", text):
            assert 'type="application/ld+json"' in script or "src=" in script, (template, script)
