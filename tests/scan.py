"""A scan of a built site for anything a seed could have smuggled in: scripts the
theme did not write, event handlers, inline styles, dangerous URLs, embeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

# The only scripts the theme writes: the search page's two files, and JSON-LD data.
THEME_SCRIPTS = {"/pagefind/pagefind-ui.js", "/theme/js/search.js"}
DANGEROUS = re.compile(r"(?i)javascript:|vbscript:|data:text|<iframe|<object|<embed|<form\b")


def problems(output: Path) -> list[str]:
    """Every unsafe thing found in the site's pages, feeds and JSON (empty if none)."""
    found: list[str] = []
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output)
        if not path.is_file() or path.suffix not in {".html", ".xml", ".json", ".txt"}:
            continue
        if rel.parts[0] == "pagefind":
            continue  # Pagefind's own bundle, built from the pages this scan reads
        text = path.read_text(encoding="utf-8")
        found += [f"{rel}: {m.group()}" for m in DANGEROUS.finditer(text)]
        if path.suffix != ".html":
            if "<script" in text.lower():
                found.append(f"{rel}: <script")
            continue
        soup = BeautifulSoup(text, "html.parser")
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                try:
                    json.loads(script.string or "")
                except ValueError:
                    found.append(f"{rel}: JSON-LD that is not JSON")
                if "<" in (script.string or ""):
                    found.append(f"{rel}: '<' inside JSON-LD")
            elif (
                script.get("src") not in THEME_SCRIPTS or script.string or rel.parts[0] != "search"
            ):
                found.append(f"{rel}: {script}")
        for element in soup.find_all(True):
            found += [
                f"{rel}: <{element.name} {a}=>" for a in element.attrs if a.lower().startswith("on")
            ]
            if "style" in element.attrs:
                found.append(f"{rel}: <{element.name} style=>")
    return found
