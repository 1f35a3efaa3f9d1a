"""Finding and reading seed files: raw scraped articles, as text or HTML.

A seed becomes a :class:`Seed` record (title, paragraphs, source, url, date, ...).
Seeds are only ever read, never written. Anything wrong with one seed is a
:class:`SeedError` naming the reason; the caller logs it and goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from bs4.dammit import UnicodeDammit
from dateutil import parser as dateparser

logger = logging.getLogger(__name__)


class SeedError(Exception):
    """A seed that cannot be published; the message is the reason, for the editor."""


@dataclass(frozen=True)
class Seed:
    """One article as read from ``seeds/``, before tagging."""

    path: str  # relative to the seeds folder, POSIX separators
    title: str
    paragraphs: tuple[str, ...]
    seed_hash: str  # of the seed's bytes and its sidecar's, so either change is seen
    source: str | None = None
    url: str | None = None
    author: str | None = None
    date: datetime | None = None
    featured: bool = False
    skip: bool = False
    note: str | None = None


@dataclass
class Scan:
    """What a walk over the seeds folder found: seed paths and refused files."""

    seeds: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


# --------------------------------------------------------------------------- finding


def find_seeds(root: str | os.PathLike, settings: Mapping[str, Any]) -> Scan:
    """Walk ``root`` for seed files, sorted; refuse what cannot be a seed, with a reason.

    Hidden files, sidecars and README files are not seeds and are passed over
    silently. Symlinks are followed only when they stay inside ``root``.
    """
    root = Path(root)
    scan = Scan()
    if not root.is_dir():
        return scan
    real_root = root.resolve()
    text_ext = tuple(settings["DIGEST_TEXT_EXTENSIONS"])
    html_ext = tuple(settings["DIGEST_HTML_EXTENSIONS"])
    sidecar = settings["DIGEST_SIDECAR_SUFFIX"]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith(sidecar) or name.upper().startswith("README"):
                continue
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            if full.is_symlink():
                try:
                    target = full.resolve(strict=True)
                except (OSError, RuntimeError):
                    scan.problems.append((rel, "symlink is broken or loops; refused"))
                    continue
                if not _inside(target, real_root):
                    scan.problems.append((rel, "symlink points outside the seeds folder; refused"))
                    continue
            if not full.is_file():
                scan.problems.append((rel, "not a regular file"))
                continue
            ext = full.suffix.lower()
            if ext and ext not in text_ext + html_ext:
                scan.problems.append((rel, f"unknown file extension {ext!r}; not a seed"))
                continue
            scan.seeds.append(rel)
    scan.seeds.sort()
    return scan


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


# --------------------------------------------------------------------------- reading


def read_seed(root: str | os.PathLike, rel: str, settings: Mapping[str, Any]) -> Seed:
    """Read one seed (and its sidecar, if any) into a :class:`Seed`.

    Raises :class:`SeedError` with the reason when the seed cannot be published.
    """
    path = Path(root) / rel
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SeedError(f"cannot be read: {exc.strerror or exc}") from exc
    sidecar_path = Path(str(path) + settings["DIGEST_SIDECAR_SUFFIX"])
    sidecar_bytes = sidecar_path.read_bytes() if sidecar_path.is_file() else b""
    meta = parse_sidecar(sidecar_bytes, sidecar_path.name) if sidecar_bytes else {}

    seed_hash = hashlib.sha256(data + b"\0" + sidecar_bytes).hexdigest()
    if meta.get("skip"):
        return Seed(path=rel, title="", paragraphs=(), seed_hash=seed_hash, skip=True)
    if len(data) > settings["DIGEST_MAX_SEED_BYTES"]:
        raise SeedError(
            f"is {len(data):,} bytes, over DIGEST_MAX_SEED_BYTES "
            f"({settings['DIGEST_MAX_SEED_BYTES']:,})"
        )
    is_html = _is_html(path, data, settings)
    text = decode(data, is_html=is_html)
    if is_html:
        title, paragraphs, found = parse_html(text)
    else:
        title, paragraphs, found = parse_text(text)

    title = meta.get("title") or title
    if not title:
        raise SeedError("has no headline (no text found)")
    if not paragraphs:
        raise SeedError("has a headline but no body text")
    url = meta.get("url") or found.get("url")
    return Seed(
        path=rel,
        title=title,
        paragraphs=tuple(paragraphs),
        seed_hash=seed_hash,
        source=meta.get("source") or found.get("source"),
        url=safe_url(url),
        author=meta.get("author") or found.get("author"),
        date=meta.get("date") or found.get("date"),
        featured=bool(meta.get("featured", False)),
        note=meta.get("note"),
    )


def _is_html(path: Path, data: bytes, settings: Mapping[str, Any]) -> bool:
    ext = path.suffix.lower()
    if ext in tuple(settings["DIGEST_HTML_EXTENSIONS"]):
        return True
    if ext:
        return False
    # No extension: sniff the first bytes.
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article"))


# --------------------------------------------------------------------------- decoding

_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"RIFF": "a RIFF media file",
    b"\x7fELF": "an executable",
}

# Characters that are not text: C0/C1 controls except tab and newline, and the
# non-characters XML 1.0 forbids. Stripped at the boundary so that no feed breaks.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def decode(data: bytes, *, is_html: bool = False) -> str:
    """Decode seed bytes in whatever encoding they came in, into clean text.

    Byte-order marks, an HTML page's declared charset, UTF-8, then Windows-1252
    (Beautiful Soup's UnicodeDammit does the sniffing). NUL bytes without a BOM
    mean UTF-16 or binary; binary files are refused with what they look like.
    """
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise SeedError(f"is binary ({what}), not text")
    if not data.strip():
        raise SeedError("is empty")
    known: list[str] = []
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        guess = _utf16_without_bom(data)
        if guess:
            known.append(guess)
        elif data.count(0) > max(8, len(data) // 100):
            raise SeedError("is binary (contains NUL bytes), not text")
        # A few stray NULs in real text are dropped with the other control characters.
    dammit = UnicodeDammit(
        data,
        known_definite_encodings=known,
        user_encodings=["utf-8", "windows-1252", "latin-1"],
        is_html=is_html,
    )
    text = dammit.unicode_markup
    if text is None:
        raise SeedError("cannot be decoded in any known encoding")
    text = text.lstrip("\ufeff")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 20):
        raise SeedError(f"is binary ({controls} control characters), not text")
    return clean_text(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text with no BOM has NULs in every other byte for ASCII letters."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2 or 1
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def strip_controls(text: str) -> str:
    """Drop characters that are not text and that XML 1.0 (feeds) cannot carry."""
    return _CONTROL.sub("", text)


def clean_text(text: str) -> str:
    """Normalise line endings and Unicode form; drop control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\f", "\n\n")
    text = text.replace("\t", " ").replace("\xa0", " ")
    text = strip_controls(text)
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """One line, single spaces: how a paragraph is stored."""
    return " ".join(text.split())


# --------------------------------------------------------------------------- residue

# Lines that start a block of links to other stories: they and all after them go.
_SECTION_RESIDUE = re.compile(
    r"(you (might|may) (also )?(like|enjoy)|related( (stories|articles|news|content|posts|coverage))?"
    r"|more (stories|news|from .{1,40})|recommended( for you| stories)?|most (read|popular|viewed)"
    r"|trending( now| stories)?|see also|also read|don'?t miss|what to read next|up next"
    r"|top stories|latest (news|stories))"
)
# Lines that are page furniture wherever they are: they alone go.
_LINE_RESIDUE = re.compile(
    r"(advertisement|advert|ad|sponsored( content)?|share( (this|on \w+))?( (article|story|page|post))?"
    r"|tweet|print|e-?mail( this)?|(click|tap) here\b.{0,60}|read more(:.*| here| stories| news)?"
    r"|continue reading( .{0,40})?"
    r"|.*\bnewsletters?\b.*\b(sign|subscribe)\b.*|.*\b(sign up|subscribe)\b.*\bnewsletters?\b.*"
    r"|.*\bcookies?\b.*\b(use|accept|consent|settings|policy)\b.*"
    r"|.*\b(use|accept|consent to|settings)\b.*\bcookies?\b.*"
    r"|follow us( on .*)?|comments?( \(\d+\))?|\d+ comments?|skip to (main )?content"
    r"|image (copyright|source|caption)\b.*|photo:.*|getty images|loading|back to top)"
)
_RESIDUE_MAX_CHARS = 300


def _residue_key(block: str) -> str:
    return squash(block).strip(" .:!|-–—»›>•*#[]()").lower()


def is_section_residue(block: str) -> bool:
    return len(block) <= 80 and bool(_SECTION_RESIDUE.fullmatch(_residue_key(block)))


def is_line_residue(block: str) -> bool:
    return len(block) <= _RESIDUE_MAX_CHARS and bool(_LINE_RESIDUE.fullmatch(_residue_key(block)))


def drop_residue(lines: list[str]) -> list[str]:
    """Blank out scraping residue: page furniture anywhere, and a link section in the
    second half with everything after it. Residue becomes "" so that blank-line
    paragraph breaks survive."""
    filled = [i for i, line in enumerate(lines) if line]
    cut = next(
        (i for n, i in enumerate(filled) if n >= len(filled) // 2 and is_section_residue(lines[i])),
        len(lines),
    )
    return ["" if is_line_residue(x) or is_section_residue(x) else x for x in lines[:cut]]


# --------------------------------------------------------------------------- plain text

_ATTRIBUTION_PREFIX = re.compile(r"^(source|via|credit|by|from)\s*:?\s+|^[-–—~]+\s*", re.I)


def attribution(block: str) -> str | None:
    """The source named by a trailing short line ("Press TV", "(Reuters)"), else None."""
    line = _ATTRIBUTION_PREFIX.sub("", squash(block)).strip()
    line = line.strip("()[] ").strip()
    if not line or len(line) > 40 or len(line.split()) > 5:
        return None
    if line[-1] in ".!?,;:\"'”’" and not re.fullmatch(r"([A-Z]\.){2,}", line):
        return None
    if not line[0].isupper() or not any(c.isalpha() for c in line):
        return None
    return line


def parse_text(text: str) -> tuple[str, list[str], dict[str, Any]]:
    """Headline, paragraphs and found metadata (the source) of a plain-text seed.

    The headline is the first non-empty line; blank lines separate paragraphs (a
    text with no blank line at all has one paragraph per line); a trailing short
    attribution line is the source; scraping residue is removed line by line, since
    a scrape often glues "You might also like" to the links that follow it.
    """
    lines = [squash(line) for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        return "", [], {}
    title = lines[0]
    body = "\n".join(drop_residue(lines[1:])).strip()
    if re.search(r"\n\s*\n", body):
        blocks = [squash(b) for b in re.split(r"\n\s*\n", body)]
    else:
        blocks = body.split("\n")
    blocks = [b for b in blocks if b]
    found: dict[str, Any] = {}
    if len(blocks) > 1:
        source = attribution(blocks[-1])
        if source:
            found["source"] = source
            blocks.pop()
    return title, blocks, found


# --------------------------------------------------------------------------- HTML

_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)
_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
}


def parse_html(text: str) -> tuple[str, list[str], dict[str, Any]]:
    """Headline, paragraphs and metadata of an HTML seed.

    The body is the main article only, as extracted by trafilatura (the field's
    best-measured extractor); metadata comes from the page's own JSON-LD,
    OpenGraph, ``<meta>`` and ``<time>``, with trafilatura's findings as fallback.
    The page is parsed once. Only text leaves this function: no markup, script or
    attribute survives.
    """
    import trafilatura  # heavy import; only paid when there are HTML seeds
    from trafilatura.utils import load_html

    tree = load_html(text)
    if tree is None:
        return "", [], {}
    page = page_metadata(tree)  # before extraction, which prunes the tree
    doc = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_images=False
    )
    title = squash(clean_text(page.get("title") or (doc.title if doc else "") or ""))
    paragraphs = _body_blocks(doc.body) if doc is not None and doc.body is not None else []
    # The extractor may repeat the headline as the body's first line.
    while paragraphs and paragraphs[0].casefold() == title.casefold():
        paragraphs.pop(0)
    if len(paragraphs) == 1:
        paragraphs = _split_run_together(paragraphs[0], load_html(text), title)
    found: dict[str, Any] = {
        "url": page.get("url") or (doc.url if doc else None),
        "source": page.get("source") or (doc.sitename if doc else None),
        "author": page.get("author") or (doc.author if doc else None),
        "date": page.get("date") or parse_date(doc.date if doc else None),
    }
    found = {k: squash(clean_text(v)) if isinstance(v, str) else v for k, v in found.items()}
    return title, [p for p in drop_residue(paragraphs) if p], {k: v for k, v in found.items() if v}


def _split_run_together(block: str, tree: Any, title: str = "") -> list[str]:
    """The article's own paragraphs, when the extractor ran them into one block.

    On pages it finds odd (a form inside the article, say), trafilatura falls back
    to an extractor that returns the article as a single paragraph. When the page's
    ``<article>`` (or ``<main>``) paragraphs make up nearly all of that block, their
    words in the same order, they are the better split.
    """
    if tree is None:
        return [block]
    words = block.split()
    if title and block.casefold().startswith(title.casefold()):
        words = block[len(title) :].split()  # the headline run into the body
    for container in tree.xpath("//article | //main"):
        texts = [t for t in (squash(_visible_text(p)) for p in container.iter("p")) if t]
        wanted = [w for t in texts for w in t.split()]
        if len(texts) < 2 or len(wanted) < 0.8 * len(words):
            continue
        found = iter(words)
        if all(any(w == x for x in found) for w in wanted):  # a subsequence of the block
            return texts
    return [block]


_INVISIBLE = frozenset(
    {"script", "style", "svg", "math", "noscript", "template", "iframe", "object"}
)


def _visible_text(element: Any) -> str:
    """An element's text as a reader sees it: no script, style or embedded document."""
    parts: list[str] = []

    def walk(e: Any) -> None:
        if not isinstance(e.tag, str) or e.tag in _INVISIBLE:
            return
        parts.append(e.text or "")
        for child in e:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return "".join(parts)


def _body_blocks(body: Any) -> list[str]:
    """Paragraph texts from trafilatura's XML body; list items become paragraphs."""
    blocks: list[str] = []
    for i, element in enumerate(body):
        if i == 0 and element.tag == "head" and element.get("rend") == "h1":
            continue  # the article's own headline, already the title
        if element.tag == "list":
            blocks.extend(squash("".join(item.itertext())) for item in element.iter("item"))
        else:
            blocks.append(squash("".join(element.itertext())))
    return [b for b in blocks if b]


def page_metadata(tree: Any) -> dict[str, Any]:
    """Title, date (with its time and zone), author, site name and canonical URL.

    Read from a parsed page's JSON-LD first, then OpenGraph and ``<meta>``, then ``<time>``.
    """
    out: dict[str, Any] = {}
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        for item in _jsonld_items(script.text or ""):
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if not {t.lower() for t in types if isinstance(t, str)} & _ARTICLE_TYPES:
                continue
            page = item.get("mainEntityOfPage")
            page_url = page.get("@id") if isinstance(page, dict) else page
            out.setdefault("title", _text(item.get("headline")))
            out.setdefault("date", parse_date(_text(item.get("datePublished"))))
            out.setdefault("author", _person(item.get("author")))
            out.setdefault("source", _person(item.get("publisher")))
            out.setdefault("url", _text(item.get("url")) or _text(page_url))

    metas: dict[str, str] = {}
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = meta.get("content").strip()
        if key and value:
            metas.setdefault(key, value)
    canonical = tree.xpath(
        '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href'
    )
    candidates = {
        "title": [metas.get("og:title"), metas.get("twitter:title")],
        "source": [metas.get("og:site_name"), metas.get("application-name")],
        "author": [metas.get("author"), metas.get("article:author"), metas.get("dc.creator")],
        "url": [*canonical[:1], metas.get("og:url")],
        "date": [parse_date(metas.get(k)) for k in _DATE_META]
        + [parse_date(t) for t in tree.xpath("//time/@datetime")],
    }
    for key, values in candidates.items():
        if not out.get(key):
            out[key] = next((v for v in values if v), None)
    if out.get("author") and str(out["author"]).startswith(("http://", "https://")):
        out["author"] = None  # article:author is often a profile URL, not a name
    return {k: (squash(clean_text(v)) if isinstance(v, str) else v) for k, v in out.items() if v}


def _jsonld_items(raw: str) -> Iterable[dict]:
    try:
        data = json.loads(raw)
    except ValueError:
        return []
    stack = data if isinstance(data, list) else [data]
    items: list[dict] = []
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            items.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(graph)
        elif isinstance(item, list):
            stack.extend(item)
    return items


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _person(value: Any) -> str | None:
    if isinstance(value, list):
        names = [_person(v) for v in value]
        return ", ".join(n for n in names if n) or None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


# --------------------------------------------------------------------------- metadata


def parse_date(value: Any) -> datetime | None:
    """A datetime from an ISO string, a TOML date or datetime; None when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, time):
        return None
    try:
        parsed = dateparser.isoparse(str(value).strip())
    except (ValueError, OverflowError):
        try:
            parsed = dateparser.parse(str(value).strip())
        except (ValueError, OverflowError, TypeError):
            return None
    if parsed.year < 1900 or parsed.year > 2200:
        return None
    return parsed


def safe_url(url: Any) -> str | None:
    """Only absolute http(s) URLs are kept: a seed can never smuggle in javascript: or data:."""
    if not isinstance(url, str):
        return None
    url = strip_controls(url).strip()
    if re.match(r"https?://[^\s/?#]+", url, re.I) and not re.search(r"[\s<>\"']", url):
        return url
    return None


_SIDECAR_KEYS = {
    "title": str,
    "date": object,
    "source": str,
    "url": str,
    "author": str,
    "skip": bool,
    "featured": bool,
    "note": str,
}


def parse_sidecar(data: bytes, name: str) -> dict[str, Any]:
    """The editor's metadata for one seed, from its TOML sidecar.

    Keys: title, date, source, url, author, skip, featured, note. A broken sidecar is
    a :class:`SeedError`: publishing without it could publish what the editor skipped.
    """
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SeedError(f"has an unreadable sidecar {name}: {exc}") from exc
    meta: dict[str, Any] = {}
    for key, value in raw.items():
        kind = _SIDECAR_KEYS.get(key)
        if kind is None:
            raise SeedError(f"has an unknown key {key!r} in sidecar {name}")
        if kind is not object and not isinstance(value, kind):
            raise SeedError(f"sidecar {name}: {key!r} must be a {kind.__name__}")
        meta[key] = clean_text(value).strip() if isinstance(value, str) else value
    if "date" in meta:
        parsed = parse_date(meta["date"])
        if parsed is None:
            raise SeedError(f"sidecar {name}: date {meta['date']!r} is not a date")
        meta["date"] = parsed
    if "url" in meta and safe_url(meta["url"]) is None:
        raise SeedError(f"sidecar {name}: url {meta['url']!r} is not an http(s) URL")
    for key in ("title", "source", "author", "note"):
        if key in meta:
            meta[key] = squash(meta[key]) or None
    return meta
