"""Rendering seeds as Markdown posts in ``content/digest/``, and keeping them in sync.

Every post the plugin writes carries a ``Generator_hash`` of its own text. A post
whose text no longer matches that hash was edited by hand: it is kept as it is,
never overwritten or removed. Otherwise a post is rewritten only when its bytes
would change, and removed when its seed is gone or skipped.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from .entities import Entity
from .files import settled, stat_stamp, write_if_changed
from .forkmap import fork_map
from .memo import value_bytes
from .seeds import Seed, squash

logger = logging.getLogger(__name__)

HASH_KEY = "Generator_hash"

# --------------------------------------------------------------------------- escaping

# Characters that start Markdown syntax anywhere in a line are backslash-escaped;
# "&" and "<" become entities so that no entity, tag, comment or autolink can form;
# "~" and "|" so that fenced code and tables cannot either, should an editor enable them.
_MD_INLINE = str.maketrans(
    {c: "\\" + c for c in "\\`*_{}[]"}
    | {"&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;", "|": "&#124;"}
)
_MD_INLINE_CHARS = re.compile(r"[\\`*_{}\[\]&<>~|]")
# What makes a block of its own at the start of a paragraph: headings, lists,
# rules, setext underlines, definition lists, ordered-list numbers ("1986. ").
_MD_LINE_START = re.compile(r"^(?:([#+-])|([=:])|(\d+)([.)]))")


def escape_markdown(text: str) -> str:
    """Text that Markdown renders back as exactly ``text``, on one line.

    No seed text can become Markdown structure, raw HTML, an entity, Pelican link
    syntax (``{filename}``) or template syntax. Only characters that could start
    syntax where they stand are escaped, so a post stays readable for editors.
    """
    return escape_line_start(escape_inline(squash(text)))


def escape_inline(text: str) -> str:
    """The escapes that apply anywhere in a line (spaces kept as they are)."""
    # One translate; most paragraphs need none (the search is much the cheaper).
    return text.translate(_MD_INLINE) if _MD_INLINE_CHARS.search(text) else text


def escape_line_start(text: str) -> str:
    """The escapes that apply only at the start of a paragraph ("# ", "1986. ")."""
    return _MD_LINE_START.sub(_escape_line_start, text)


def linked_paragraph(text: str, links: Sequence[tuple[int, int, str]]) -> str:
    """A paragraph escaped like :func:`escape_markdown`, with Markdown links on the
    given (start, end, target) spans. Targets are ours (entity paths), never seed text;
    overlapping spans keep the first."""
    out, pos = [], 0
    for start, end, target in sorted(links):
        if start < pos:
            continue
        before = escape_inline(text[pos:start])
        if before.endswith("!"):
            before = before[:-1] + "\\!"  # "!" right before a link would make it an image
        out.append(before)
        out.append(f"[{escape_inline(text[start:end])}]({target})")
        pos = end
    out.append(escape_inline(text[pos:]))
    return escape_line_start("".join(out))


def _escape_line_start(m: re.Match) -> str:
    if m.group(1):
        return "\\" + m.group(1)
    if m.group(2):
        return f"&#{ord(m.group(2))};"
    return m.group(3) + "\\" + m.group(4)


# --------------------------------------------------------------------------- slugs


def slug_base(title: str, settings: Mapping[str, Any]) -> str:
    """Pelican's own slug of a headline, cut at a word boundary; never empty."""
    slug = slugify(title, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", ()))
    limit = settings["DIGEST_SLUG_MAX_LENGTH"]
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug.strip("-") or "story"


def unique_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is free first."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def slug_matches_base(slug: str, base: str) -> bool:
    return slug == base or re.fullmatch(re.escape(base) + r"-\d+", slug) is not None


# --------------------------------------------------------------------------- rendering


ENTITY_FIELDS = {"person": "People", "place": "Places", "organization": "Organizations"}


ENTITY_DIRS = {"person": "people", "place": "places", "organization": "organizations"}


def entity_path(kind: str, slug: str) -> str:
    """An entity's page path (its Pelican tag slug): one folder per type, so a person
    and a place of the same name never collide."""
    return f"{ENTITY_DIRS[kind]}/{slug}"


@functools.lru_cache(maxsize=1 << 16)
def entity_slug(name: str) -> str:
    """An entity's slug: Pelican's slug of its canonical name, so display names can change."""
    return slugify(name, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]) or "entity"


def entity_fields(entities: Sequence[Entity]) -> list[tuple[str, str | None]]:
    """Front matter for a story's entities.

    ``People``/``Places``/``Organizations`` list every entity, most salient first,
    separated by "; ": the lists an editor trims by hand. ``Entity_index`` keeps
    each one's salience and mentions as JSON for the machine-readable index.
    """
    fields: list[tuple[str, str | None]] = []
    for kind, key in ENTITY_FIELDS.items():
        names = [e.label.replace(";", ",") for e in entities if e.type == kind]
        fields.append((key, "; ".join(names) or None))
    index = [
        {
            "name": e.label.replace(";", ","),
            "type": e.type,
            "slug": entity_slug(e.name),
            "salience": e.salience,
            "mentions": list(e.mentions),
        }
        for e in entities
    ]
    fields.append(
        ("Entity_index", json.dumps(index, ensure_ascii=False, sort_keys=True) if index else None)
    )
    return fields


def has_entity_fields(metadata: Mapping[str, Any]) -> bool:
    """Whether a post, as Pelican read it, has entities for :func:`read_entities`."""
    return "entity_index" in metadata or any(
        key.lower() in metadata for key in ENTITY_FIELDS.values()
    )


def read_entities(metadata: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A post's entities as Pelican read them: the inverse of :func:`entity_fields`.

    The ``People``/``Places``/``Organizations`` lists decide which entities the
    story has, so an editor's deletion there wins; ``Entity_index`` adds salience
    and mentions. An entity the editor added by hand gets salience 0, no mentions.
    """
    try:
        index = json.loads(metadata.get("entity_index") or "[]")
    except ValueError:
        index = []
    data = {
        (e.get("name"), e.get("type")): e
        for e in (index if isinstance(index, list) else [])
        if isinstance(e, dict)
    }
    out, seen = [], set()
    for kind, key in ENTITY_FIELDS.items():
        for name in (n.strip() for n in str(metadata.get(key.lower()) or "").split(";")):
            known = data.get((name, kind), {})
            slug = known.get("slug") if isinstance(known.get("slug"), str) else None
            slug = slug or entity_slug(name)
            if not name or (kind, slug) in seen:
                continue  # a name listed twice, or two names for one page: once
            seen.add((kind, slug))
            try:
                salience = min(1.0, max(0.0, float(known.get("salience", 0.0))))
            except (TypeError, ValueError):
                salience = 0.0
            mentions = known.get("mentions")
            mentions = (
                [m for m in mentions if isinstance(m, str)] if isinstance(mentions, list) else []
            )
            # One string per entity in the build, not one per story that names it
            # (76,000 entities of 10,000 stories).
            out.append(
                {
                    "name": sys.intern(name),
                    "type": kind,
                    "slug": sys.intern(slug),
                    "salience": salience,
                    "mentions": mentions,
                }
            )
    out.sort(key=lambda e: (-e["salience"], e["name"], e["type"]))
    return out


def render_post(seed: Seed, slug: str, date: datetime, entities: Sequence[Entity] = ()) -> str:
    """The Markdown post for a seed: front matter, then the escaped paragraphs."""
    fields: list[tuple[str, str | None]] = [
        ("Title", seed.title),
        ("Date", date.isoformat()),
        ("Slug", slug),
        ("Source", seed.source),
        ("Source_url", seed.url),
        ("Byline", seed.author),
        ("Summary", escape_markdown(seed.paragraphs[0])),
        ("Featured", "true" if seed.featured else None),
        ("Editor_note", seed.note),
        *entity_fields(entities),
        ("Seed", quote_path(seed.path)),
        ("Seed_hash", seed.seed_hash),
    ]
    # Markdown's meta extension reads one line per key: values are squashed onto one.
    head = "".join(f"{k}: {squash(v)}\n" for k, v in fields if v)
    # The first mention of each entity links to its page, with Pelican's {tag} syntax
    # so that the link follows TAG_URL wherever it points.
    links: dict[int, list[tuple[int, int, str]]] = {}
    for e in entities:
        if e.first is not None and e.first.paragraph >= 0:
            target = "{tag}" + entity_path(e.type, entity_slug(e.name))
            links.setdefault(e.first.paragraph, []).append((e.first.start, e.first.end, target))
    body = "\n\n".join(
        linked_paragraph(squash(p), links.get(i, ())) for i, p in enumerate(seed.paragraphs)
    )
    text = f"{head}\n{body}\n"
    return _with_hash(text)


_RENDERER = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def render_key(seed: Seed, slug: str, date: datetime, entities: Sequence[Entity]) -> str:
    """Everything :func:`render_post` reads, and this module's code, as one digest.

    A seed stands in by its path and ``seed_hash`` (its bytes and its sidecar's):
    with one version of the seed reader they make the same Seed, and the keys are
    kept per reader version (tagcache.py). Its text is not hashed again."""
    stands_for = (seed.path, seed.seed_hash)
    inputs = (_RENDERER, stands_for, slug, date.isoformat(), tuple(map(_plain, entities)))
    return hashlib.sha256(value_bytes(inputs)).hexdigest()


def _plain(entity: Entity) -> tuple:
    """An entity as plain tuples (a named tuple pickles through Python code)."""
    first = tuple(entity.first) if entity.first is not None else None
    return (*entity[:4], first, *entity[5:])


def _with_hash(text: str) -> str:
    head, _, body = text.partition("\n\n")
    return f"{head}\n{HASH_KEY}: {_digest(text)}\n\n{body}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def quote_path(path: str) -> str:
    """A seed path as a front-matter value: whitespace, control characters and "%"
    percent-encoded, so that the one-line format changes no path (double spaces, tabs,
    newlines). Anything else, non-Latin letters included, stays readable."""
    return "".join(
        quote(c, safe="") if c == "%" or c.isspace() or not c.isprintable() else c for c in path
    )


def read_front_matter(text: str) -> dict[str, str]:
    """Front matter keys (lower-cased, as Pelican sees them) of a Markdown post."""
    meta: dict[str, str] = {}
    for line in text.split("\n"):
        if not line.strip():
            break
        match = re.match(r"([A-Za-z0-9_-]+):\s*(.*)$", line)
        if match:
            meta.setdefault(match.group(1).lower(), match.group(2).strip())
    return meta


def is_hand_edited(text: str) -> bool:
    """True when a post's text is not what the plugin wrote (its hash no longer matches)."""
    lines = text.split("\n")
    recorded = None
    for i, line in enumerate(lines):
        if not line.strip():
            break
        if line.startswith(HASH_KEY + ":"):
            recorded = line.split(":", 1)[1].strip()
            del lines[i]
            break
    return recorded is None or recorded != _digest("\n".join(lines))


# --------------------------------------------------------------------------- syncing


@dataclass
class Post:
    """A post file found in the posts folder."""

    path: Path
    slug: str
    seed: str | None
    seed_hash: str | None
    date: str | None
    hand_edited: bool
    generator_hash: str | None = None


@dataclass
class SyncReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_hand_edited: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# The format of a saved scan (see scan_posts): bump it when _read_post's fields change.
SCAN_FORMAT = 1


def scan_posts(posts_dir: Path, known: dict[str, tuple] | None = None) -> list[Post]:
    """Every post in ``posts_dir``, by name.

    ``known`` is what the last scan found, by file name, with each file's size,
    times and inode: a post whose stat is unchanged is not read again (as git's
    index). It is updated in place to hold this scan's posts."""
    previous = dict(known or {})
    if known is not None:
        known.clear()
    now = time.time_ns()
    posts = []
    for name, full in post_files(posts_dir):
        path = posts_dir / name
        try:
            st = os.stat(full)
        except FileNotFoundError:
            continue
        stamp = stat_stamp(st)
        entry = previous.get(name)
        fields = entry[1] if entry is not None and entry[0] == stamp else _read_post(path)
        if known is not None and settled(st, now):
            known[name] = (stamp, fields)
        posts.append(Post(path, *fields))
    return posts


def post_files(posts_dir: Path) -> list[tuple[str, str]]:
    """(name, path) of every post file in ``posts_dir``, by name."""
    with os.scandir(posts_dir) as entries:
        return sorted((e.name, e.path) for e in entries if e.name.endswith(".md") and e.is_file())


def _read_post(path: Path) -> tuple:
    """A post's fields after its path (see Post), from its text."""
    text = path.read_text(encoding="utf-8", errors="replace")
    meta = read_front_matter(text)
    # Pelican slugs a post without "Slug:" from its title: reserve that slug.
    title_slug = (
        slugify(meta["title"], regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
        if meta.get("title") and not meta.get("slug")
        else ""
    )
    return (
        meta.get("slug") or title_slug or path.stem,
        unquote(meta["seed"]) if meta.get("seed") else None,
        meta.get("seed_hash"),
        meta.get("date"),
        is_hand_edited(text),
        meta.get(HASH_KEY.lower()),
    )


def load_ledger(path: Path) -> dict[str, str]:
    """First-seen dates by seed path. A damaged ledger is rebuilt from the posts' dates."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning(
            "news_digest: first-seen ledger %s is unreadable (%s); rebuilding it", path, exc
        )
        return {}
    if not isinstance(data, dict):
        logger.warning(
            "news_digest: first-seen ledger %s is not a JSON object; rebuilding it", path
        )
        return {}
    return {str(k): str(v) for k, v in data.items()}


def _iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        logger.warning("news_digest: first-seen ledger has an unreadable date %r; ignored", value)
        return None


def _post_date(post: Post | None) -> datetime | None:
    """The date an existing post carries: the first-seen date when the ledger was lost."""
    try:
        return datetime.fromisoformat(post.date) if post and post.date else None
    except ValueError:
        return None


def _render_and_write(
    seed: Seed, slug: str, when: datetime, found: Sequence[Entity], target: Path
) -> tuple[str, bool]:
    """A seed's post, written if its bytes changed: (its generator hash, written?)."""
    text = render_post(seed, slug, when, found)
    return read_front_matter(text)[HASH_KEY.lower()], write_if_changed(target, text)


def sync_posts(
    seeds: Iterable[Seed],
    unreadable: Iterable[str],
    posts_dir: Path,
    ledger_path: Path,
    now: datetime,
    tz: tzinfo,
    settings: Mapping[str, Any],
    entities: Mapping[str, Sequence[Entity]] | None = None,
    rendered: dict[str, str] | None = None,
    scanned: dict[str, tuple] | None = None,
    workers: int = 1,
) -> SyncReport:
    """Bring ``posts_dir`` in line with the seeds.

    ``unreadable`` are seed paths that exist but failed to read this time: their
    posts are left alone, so a bad edit to a seed never loses the published story.
    ``now`` is the first-seen date given to new seeds that carry no date.
    ``entities`` are each seed's tagged entities, by seed path. ``rendered`` maps
    what a post was rendered from (:func:`render_key`) to its ``Generator_hash``: a
    post whose inputs did not change is not rendered again. It is updated in place
    to hold this build's posts only. ``scanned`` is the last scan of the posts
    folder (see :func:`scan_posts`), updated in place. The posts to write are
    rendered and written on ``workers`` processes (forkmap.py).
    """
    entities = entities or {}
    seeds = sorted(seeds, key=lambda s: s.path)
    report = SyncReport()
    existing = scan_posts(posts_dir, scanned) if posts_dir.is_dir() else []
    present = {s.path for s in seeds} | set(unreadable)
    ledger = load_ledger(ledger_path)
    ledger_before = dict(ledger)
    previous = dict(rendered or {})
    used: dict[str, str] = {}
    outcomes: list[tuple[str, str | None]] = []  # each seed's post, and its key if rendered
    todo: list[tuple[Seed, str, datetime, Sequence[Entity], Path]] = []

    posts: list[Post] = []
    for post in existing:
        if post.seed is not None and post.seed not in present:
            if post.hand_edited:
                logger.warning(
                    "news_digest: seed %s is gone; kept its hand-edited post %s",
                    post.seed,
                    post.path.name,
                )
                report.kept_hand_edited.append(post.path.name)
            else:
                post.path.unlink()
                report.removed.append(post.path.name)
                continue
        posts.append(post)
    by_seed = {p.seed: p for p in posts if p.seed}
    taken = {p.slug for p in posts} | {p.path.stem for p in posts}

    for seed in seeds:
        post = by_seed.get(seed.path)
        if seed.path not in ledger:
            ledger[seed.path] = (seed.date or _post_date(post) or now).isoformat()
        if post is not None and post.hand_edited:
            if post.seed_hash != seed.seed_hash:
                logger.warning(
                    "news_digest: seed %s changed, but its post %s is hand-edited; "
                    "kept it as it is",
                    seed.path,
                    post.path.name,
                )
            else:
                logger.info("news_digest: kept hand-edited post %s", post.path.name)
            report.kept_hand_edited.append(post.path.name)
            continue
        if seed.skip:
            if post is not None:
                post.path.unlink()
                taken.discard(post.slug)
                report.removed.append(post.path.name)
            report.skipped.append(seed.path)
            continue
        base = slug_base(seed.title, settings)
        if post is not None and slug_matches_base(post.slug, base):
            slug = post.slug
        else:
            if post is not None:
                taken.discard(post.slug)
            slug = unique_slug(base, taken)
        taken.add(slug)

        when = seed.date or _iso(ledger[seed.path]) or _post_date(post) or now
        when = when if when.tzinfo else when.replace(tzinfo=tz)
        target = posts_dir / f"{slug}.md"
        if post is not None and post.path != target:
            post.path.unlink()
            report.removed.append(post.path.name)
        found = entities.get(seed.path, ())
        key = render_key(seed, slug, when, found)
        if post is not None and post.path == target and previous.get(key) == post.generator_hash:
            used[key] = previous[key]  # the same inputs gave this very file
            outcomes.append((target.name, None))
            continue
        used[key] = ""  # the rendered post's hash, below (this keeps the order)
        outcomes.append((target.name, key))
        todo.append((seed, slug, when, found, target))

    # Rendering and writing the posts is the same work for each: on every core.
    rendered_now = dict(
        zip(
            (key for _, key in outcomes if key is not None),
            fork_map(lambda i: _render_and_write(*todo[i]), len(todo), workers),
            strict=True,
        )
    )
    for name, key in outcomes:
        if key is None:
            report.unchanged.append(name)
            continue
        used[key], changed = rendered_now[key]
        (report.written if changed else report.unchanged).append(name)

    if ledger != ledger_before:
        write_if_changed(ledger_path, json.dumps(ledger, indent=1, sort_keys=True) + "\n")
    if rendered is not None:
        rendered.clear()
        rendered.update(used)
    return report
