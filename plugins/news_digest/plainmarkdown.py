"""Posts in the plain Markdown the plugin writes, read without Python-Markdown.

Converting Markdown was about a third of a cold build's work (5 ms a post, all of
it in Python-Markdown's general machinery), yet a generated post uses a sliver of
the syntax: front matter, one-line paragraphs, backslash escapes, a few character
entities and links to entity pages (posts.py). :class:`PlainMarkdownReader` is
Pelican's own Markdown reader, except that a file written entirely in that sliver
is converted directly; the HTML is the same as Python-Markdown's, which the tests
check on generated corpora, on hostile seeds and on random text. Anything else (a
hand-edited post with a list, a page with a heading, a tab, an unknown escape)
goes through Python-Markdown as before, and so does every post when the editor's
``MARKDOWN`` settings add an extension: the sliver is only verified without them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

# What Python-Markdown turns back into the character after the backslash (of its
# ESCAPED_CHARS, those posts.py escapes).
_ESCAPE = r"\\[\\`*_{}\[\]#+\-.)!]"
# Character entities: Python-Markdown keeps them as they are.
_ENTITY = r"&(?:amp|lt|gt|#[0-9]{1,7});"
# Characters with no meaning to Python-Markdown's inline patterns or its serializer
# wherever they stand ("!" only when no link follows: "![" starts an image). Control
# characters are out: Python-Markdown uses STX/ETX as placeholders and expands tabs.
_PLAIN = r"[^\\`*_{}\[\]<>&~|!\x00-\x1f\x7f]|!(?!\[)"
_TEXT = rf"(?:{_ESCAPE}|{_ENTITY}|{_PLAIN})"
# A link to a page with a plain path, as posts.py writes an entity link.
_LINK = rf"\[{_TEXT}+\]\(\{{tag\}}[A-Za-z0-9/_-]+\)"
_PARAGRAPH = re.compile(rf"(?:{_LINK}|{_TEXT})+")
# How a paragraph must not start: indented (code), or with what opens a block of its
# own: heading, quote, list, rule, table, definition, reference, ordered-list number.
_BLOCK_START = re.compile(r"[\s#>*+\-=:_|~`<]|[0-9]+[.)]")
_UNESCAPE = re.compile(r"\\(.)")
# An escape, or a link (escapes first, so that "\[" never opens one).
_INLINE = re.compile(r"\\(.)|\[((?:\\.|[^\[\]\\])+)\]\((\{tag\}[A-Za-z0-9/_-]+)\)")

# What Python-Markdown changes before it parses: tabs, line ends, its placeholders.
_UNSAFE = re.compile(r"[\t\r\x02\x03]")

# Python-Markdown's meta extension, for the front matter of a plain post: one
# "Key: value" line per field up to a blank line.
_META = re.compile(r"(?P<key>[A-Za-z0-9_][A-Za-z0-9_-]*):\s*(?P<value>.*)")

# The MARKDOWN settings the sliver is verified under: Pelican's meta extension only.
_VERIFIED_FORMATS = {None, "html", "html5", "xhtml"}


def paragraph_html(line: str) -> str | None:
    """One paragraph's HTML as Python-Markdown makes it, or None when the line is
    not plain (then only Python-Markdown knows)."""
    if not line or _BLOCK_START.match(line) or line != line.strip() or "  " in line:
        return None
    if _PARAGRAPH.fullmatch(line) is None:
        return None
    if "[" in line or "\\" in line:
        line = _INLINE.sub(_inline, line)
    return f"<p>{line}</p>"


def _inline(match: re.Match) -> str:
    if match.group(1) is not None:
        return match.group(1)
    text = _UNESCAPE.sub(r"\1", match.group(2))
    return f'<a href="{match.group(3)}">{text}</a>'


def body_html(lines: list[str]) -> str | None:
    """The HTML of one-line paragraphs separated by blank lines, or None."""
    out, previous = [], ""
    for line in lines:
        if not line:
            previous = line
            continue
        if previous:  # two lines in a row: a paragraph of several lines
            return None
        html = paragraph_html(line)
        if html is None:
            return None
        out.append(html)
        previous = line
    return "\n".join(out)


def plain_document(text: str) -> tuple[dict[str, list[str]], str] | None:
    """A post's front matter (as the meta extension gives it) and body HTML, or None
    when any of it is outside the plain sliver."""
    if _UNSAFE.search(text):
        return None
    lines = text.split("\n")
    meta: dict[str, list[str]] = {}
    for position, line in enumerate(lines):
        if not line:
            body = lines[position + 1 :]
            break
        match = _META.fullmatch(line)
        if match is None:
            return None
        meta.setdefault(match.group("key").lower(), []).append(match.group("value").strip())
    else:
        body = []
    html = body_html(body)
    return None if html is None else (meta, html)


def verified_settings(markdown: Mapping[str, Any]) -> bool:
    """True when the MARKDOWN settings (as MarkdownReader completes them) are those
    the sliver was checked under."""
    if set(markdown) - {"extensions", "extension_configs", "output_format"}:
        return False
    extensions = markdown.get("extensions", [])
    configs = markdown.get("extension_configs", {})
    return (
        list(extensions) == ["markdown.extensions.meta"]
        and all(not config for config in configs.values())
        and set(configs) <= {"markdown.extensions.meta"}
        and markdown.get("output_format") in _VERIFIED_FORMATS
    )


class _Fields:
    """What MarkdownReader._parse_metadata uses of its Markdown instance, to convert a
    formatted field (the summary): plain text directly, anything else by Markdown."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self._settings = settings
        self.preprocessors = self  # _parse_metadata deregisters the meta extension

    def deregister(self, name: str) -> None:
        pass

    def reset(self) -> None:
        pass

    def convert(self, text: str) -> str:
        html = None if _UNSAFE.search(text) else body_html(text.split("\n"))
        if html is not None:
            return html
        md = Markdown(**self._settings)
        md.preprocessors.deregister("meta")
        return md.convert(text)


class PlainMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with plain posts converted directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain = verified_settings(self.settings["MARKDOWN"])

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        if not self._plain:
            return super().read(source_path)
        with pelican_open(source_path) as text:
            plain = plain_document(text) if text.strip() else None
        if plain is None:
            return super().read(source_path)
        meta, content = plain
        self._source_path = source_path
        self._md = _Fields(self.settings["MARKDOWN"])
        return content, self._parse_metadata(meta)


def install(readers: Any) -> None:
    """On ``readers_init``: read Markdown with :class:`PlainMarkdownReader` wherever
    Pelican's own reader would (an editor's READERS setting is left alone)."""
    for extension, reader in list(readers.reader_classes.items()):
        if reader is MarkdownReader:
            readers.reader_classes[extension] = PlainMarkdownReader
