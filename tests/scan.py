"""A scan of a built site for anything a seed could have smuggled in: scripts the
theme did not write, event handlers, inline styles, embeds and forms, and
``javascript:``, ``vbscript:`` or ``data:`` URLs. Words are only words: a story may
well *say* "javascript:"; it is the markup and the URLs that are checked, in pages,
in the HTML inside feeds, and in the JSON files."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup
from lxml import etree

# The only scripts the theme writes: the search page's two files (Pagefind's UI from
# the newest year's bundle), and JSON-LD data.
THEME_SCRIPTS = re.compile(r"/pagefind/\d{4}/pagefind-ui\.js|/theme/js/search\.js")
EMBEDS = {"iframe", "frame", "frameset", "object", "embed", "applet", "form", "base"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
    "longdesc",
    "manifest",
    "ping",
}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.I)
# Feed elements whose text is HTML: RSS description and content:encoded, Atom
# content and summary.
HTML_ELEMENTS = {"description", "encoded", "content", "summary"}
URL_KEYS = {"url", "@id", "sameas", "feeds", "rss", "atom", "source_url", "isbasedon"}


def bad_url(value: str) -> bool:
    """A URL that runs code or carries a document (ignoring the tricks browsers
    forgive: leading spaces and control characters, tabs and newlines inside)."""
    squashed = re.sub(r"[\x00-\x20]", "", value)
    return bool(BAD_SCHEME.match(squashed))


def html_problems(where: str, html: str, *, page: bool) -> list[str]:
    found: list[str] = []
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        if page and script.get("type") == "application/ld+json":
            try:
                json.loads(script.string or "")
            except ValueError:
                found.append(f"{where}: JSON-LD that is not JSON")
            if "<" in (script.string or ""):
                found.append(f"{where}: '<' inside JSON-LD")
        elif not (
            page
            and THEME_SCRIPTS.fullmatch(script.get("src") or "")
            and not script.string
            and where.startswith("search/")
        ):
            found.append(f"{where}: {str(script)[:80]}")
    for element in soup.find_all(True):
        if element.name in EMBEDS:
            found.append(f"{where}: <{element.name}>")
        if element.name == "meta" and str(element.get("http-equiv", "")).lower() == "refresh":
            found.append(f"{where}: <meta http-equiv=refresh>")
        for name, value in element.attrs.items():
            lower = name.lower()
            if lower.startswith("on"):
                found.append(f"{where}: <{element.name} {name}=>")
            elif lower == "style":
                found.append(f"{where}: <{element.name} style=>")
            elif lower in URL_ATTRIBUTES and bad_url(
                " ".join(value) if isinstance(value, list) else value
            ):
                found.append(f"{where}: <{element.name} {name}={str(value)[:40]}>")
    return found


def xml_problems(where: str, data: bytes) -> list[str]:
    found: list[str] = []
    for element in etree.fromstring(data).iter():
        for name, value in element.attrib.items():
            if name.rsplit("}", 1)[-1] in {"href", "src", "url", "uri"} and bad_url(value):
                found.append(f"{where}: <{element.tag} {name}={value[:40]}>")
        text = element.text or ""
        local = etree.QName(element).localname
        if local in HTML_ELEMENTS:  # HTML carried in a feed (titles are plain text)
            found += html_problems(f"{where} {local}", text, page=False)
        elif bad_url(text.strip()):
            found.append(f"{where}: {etree.QName(element).localname} {text[:40]}")
    return found


def json_problems(where: str, value: object, key: str = "") -> list[str]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in json_problems(where, v, str(k).lower())]
    if isinstance(value, list):
        return [p for v in value for p in json_problems(where, v, key)]
    if isinstance(value, str) and key in URL_KEYS and bad_url(value):
        return [f"{where}: {key} = {value[:40]}"]
    return []


def problems(output: Path) -> list[str]:
    """Every unsafe thing found in the site's pages, feeds and data (empty if none)."""
    found: list[str] = []
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if not path.is_file() or rel.startswith("pagefind/"):
            continue  # Pagefind's own bundle is built from the pages this scan reads
        if path.suffix == ".html":
            found += html_problems(rel, path.read_text(encoding="utf-8"), page=True)
        elif path.suffix == ".xml":
            found += xml_problems(rel, path.read_bytes())
        elif path.suffix == ".json":
            text = path.read_text(encoding="utf-8")
            if "<" in text:
                found.append(f"{rel}: '<' in JSON (must be escaped)")
            found += json_problems(rel, json.loads(text))
        elif path.suffix == ".txt":
            found += [
                f"{rel}: {line[:40]}" for line in path.read_text().splitlines() if bad_url(line)
            ]
    return found
