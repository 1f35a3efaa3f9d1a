"""A scan of every generated page and feed for what no seed may bring in."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from bs4 import BeautifulSoup

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)


def test_every_page_has_a_strict_content_security_policy(built_sample):
    for page in built_sample.output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None and meta["content"] == CSP, page


def test_no_script_handler_or_dangerous_url_anywhere(built_sample):
    for path in built_sample.output.rglob("*"):
        if not path.is_file() or path.suffix not in {".html", ".xml", ".json"}:
            continue
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(built_sample.output)
        assert not re.search(
            r"(?i)javascript:|vbscript:|data:text|<script|<iframe|<object|<embed", text
        ), rel
        if path.suffix == ".html":
            soup = BeautifulSoup(text, "html.parser")
            for element in soup.find_all(True):
                for attr in element.attrs:
                    assert not attr.lower().startswith("on"), (rel, element.name, attr)
                assert "style" not in element.attrs, (rel, element.name)


def test_external_links_do_not_leak_the_opener_or_referrer(built_sample):
    checked = 0
    for page in built_sample.output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", href=True):
            if urlparse(link["href"]).scheme in ("http", "https"):
                checked += 1
                assert {"noopener", "noreferrer"} <= set(link.get("rel", [])), (page, link)
    assert checked >= 5  # source links and vocabulary links
