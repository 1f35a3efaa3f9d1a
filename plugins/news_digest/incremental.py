"""Rebuild only what changed: page fingerprints, a manifest of what each page
produced, and a Pelican writer that skips a page whose inputs did not change.

Pelican renders and writes every page on every build. Here every output (a page,
with its pagination; a feed pair; the search bundle) gets a *fingerprint*: a digest
of everything its template can show. A story shows up in other pages as a card
(title, date, source, lede, chips...); its own page also shows its related stories,
its cluster and its neighbours, as cards. So the fingerprint of:

- a story page is the story's own digest and the cards of the stories it shows;
- a list page (home, entity, source, edition, archives) is the cards of its stories;
- everything also depends on the *site key*: theme templates, plugin code,
  settings and the static pages of the menu, so changing any of them rebuilds all.

The manifest (``<CACHE_PATH>/digest/pages.pickle``) maps each output to its
fingerprint and the files it wrote, with their size and mtime. An output is skipped
when its fingerprint is unchanged and its files are still there, untouched, in the
output folder. Files an output no longer produces (a removed story, a shorter
pagination) are deleted. A damaged manifest only means a full render.

Every file goes through an atomic write-if-changed, never an in-place write, so a
build into a staging folder whose files are hard links to the live site's never
changes the live site.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import meta
from pelican import signals
from pelican.contents import Content
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .files import load_state, save_state, write_if_changed
from .posts import has_entity_fields

logger = logging.getLogger(__name__)

FORMAT = 2
# An output the build may skip: (manifest key, fingerprint, make() -> files written).
OutputJob = tuple[str, "bytes | None", Callable[[], list[str]]]
# What became of it: (key, fingerprint, files written, or None when it was fresh).
Outcome = tuple[str, "bytes | None", "list[str] | None"]
PACKAGE = Path(__file__).resolve().parent

# What a story's own digest covers besides its metadata and content: the values the
# pipeline computes for templates (see storypage.annotate).
OWN_ATTRIBUTES = (
    "url",
    "save_as",
    "summary",
    "jsonld",
    "description",
    "words",
    "reading_minutes",
    "featured",
    "edition",
    "status",
    "template",
)
# Settings that change how a build runs, not what it writes: left out of the site key,
# so that `invoke build` (staging folder) and a plain `pelican` run share a manifest.
RUN_SETTINGS = frozenset(
    {
        "OUTPUT_PATH",
        "CACHE_PATH",
        "CACHE_CONTENT",
        "LOAD_CONTENT_CACHE",
        "CHECK_MODIFIED_METHOD",
        "CONTENT_CACHING_LAYER",
        "GZIP_CACHE",
        "DELETE_OUTPUT_DIRECTORY",
        "OUTPUT_RETENTION",
        "WRITE_SELECTED",
        "DEBUG",
        "DIGEST_PREVIOUS_OUTPUT",
        "DIGEST_WORKERS",
        "DIGEST_PARALLEL_MIN",
        "DIGEST_STRICT",
    }
)
# Values the build puts in Pelican's context for templates besides the settings (which
# are in the site key): each counts only in the pages whose templates read it. The
# search bundles, which only the search page lists, change twice a year as stories
# are added: in the site key they re-rendered every page.
BUILD_CONTEXT = ("DIGEST_SEARCH_BUNDLES",)
# Metadata the plugin derives from a story's entity fields and the settings.
DERIVED_METADATA = ("entities", "topics")
# Other stories a story page shows, as cards.
SHOWN_STORIES = ("related_stories", "also_reported", "cluster_lead", "newer", "older")


class Unknown(Exception):
    """A template value we cannot fingerprint: its page is always rendered."""


def _h(*parts: bytes | str) -> bytes:
    data = [p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p for p in parts]
    data.append(b"")  # every part ends with the separator
    return hashlib.blake2b(b"\x1f".join(data), digest_size=16).digest()


def site_key(theme: Path, settings: Mapping[str, Any], pages: Iterable[Any]) -> bytes:
    """What every page depends on: theme templates, this plugin, plain-data settings,
    the static pages in the menu."""
    parts: list[bytes | str] = []
    for root in (theme / "templates", PACKAGE):
        for path in sorted(
            p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ):
            parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    for key in sorted(settings):
        if key in RUN_SETTINGS:
            continue
        try:
            parts += [key, _plain(settings[key])]
        except Unknown:
            continue  # functions, classes: their effect shows in the pages' data
    parts += [own_digest(page) for page in pages]
    return _h(*parts)


def _plain(value: Any) -> str:
    """A repr of plain data (what settings hold), or Unknown."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return repr(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return f"{type(value).__name__}[{','.join(sorted(items) if isinstance(value, (set, frozenset)) else items)}]"
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(
                f"{_plain(k)}:{_plain(v)}"
                for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))
            )
            + "}"
        )
    raise Unknown(type(value).__name__)


def _itself(value: Any) -> Any:
    return value


def own_digest(content: Any) -> bytes:
    """Everything a story (or page) shows of itself: metadata, content, computed values.

    A story's ``entities`` and ``topics`` are left out when the plugin worked them
    out from its entity fields (see pipeline.attach_entities): those fields and the
    settings are in the digest already, and the lists cost most of it."""
    metadata = getattr(content, "metadata", {})
    parts: list[bytes | str] = [getattr(content, "_content", "") or ""]
    derived = DERIVED_METADATA if has_entity_fields(metadata) else ()
    for key in sorted(metadata):
        if key not in derived:
            parts += [key, repr(metadata[key])]
    for attr in OWN_ATTRIBUTES:
        parts += [attr, repr(getattr(content, attr, None))]
    return _h(*parts)


class Fingerprints:
    """Digests of this build's stories, memoised: each story is hashed once."""

    def __init__(self, site: bytes) -> None:
        self.site = site
        self._own: dict[int, bytes] = {}
        self._card: dict[int, bytes] = {}
        # By id, holding the object so its id is not reused: the lists of stories
        # passed to several pages (or twice to one), and entities shown as chips.
        self._shared: dict[int, tuple[Any, bytes]] = {}

    def digest(self, *parts: bytes | str) -> bytes:
        """A fingerprint of ``parts`` under this build's site key."""
        return _h(self.site, *parts)

    def own(self, content: Any) -> bytes:
        key = id(content)
        found = self._own.get(key)
        if found is None:
            found = self._own[key] = own_digest(content)
        return found

    def card(self, content: Any) -> bytes:
        """What a list shows of a story: itself, and who else reported it."""
        key = id(content)
        found = self._card.get(key)
        if found is None:
            others = getattr(content, "also_reported", None) or []
            found = self._card[key] = _h(self.own(content), *(self.own(o) for o in others))
        return found

    def story_page(self, content: Any) -> bytes:
        parts: list[bytes | str] = [self.card(content)]
        for attr in SHOWN_STORIES:
            value = getattr(content, attr, None)
            shown = value if isinstance(value, list) else [value] if value is not None else []
            parts += [attr, *(self.card(s) for s in shown)]
        return _h(*parts)

    def indexed(self, content: Any) -> bytes:
        """What the search index holds of a story page: the story and, in its
        "also reported by" line, the other reports of its cluster."""
        lead = getattr(content, "cluster_lead", None)
        return _h(self.card(content), self.card(lead) if lead is not None else b"")

    def value(self, value: Any, depth: int = 0) -> bytes:
        """Digest of a template value; stories in lists count as their cards."""
        parts: list[bytes | str] = []
        self._parts(value, depth, parts)
        return _h(*parts)

    def _parts(self, value: Any, depth: int, out: list[bytes | str]) -> None:
        """What identifies ``value``, appended to ``out`` to be hashed once with the
        rest of its page: hashing each nested value on its own cost a million small
        hashes at 10,000 stories. Containers say their type and length, so that the
        parts of different values never read the same."""
        if value is None or isinstance(value, (str, int, float, bool)):
            out.append(repr(value))
        elif isinstance(value, (datetime, date)):
            out += ("date", value.isoformat())
        elif isinstance(value, Content):
            out += ("story", self.story_page(value) if depth == 0 else self.card(value))
        elif isinstance(value, (list, tuple)):
            if value and isinstance(value[0], Content):
                found = self._shared.get(id(value))
                if found is not None and found[0] is value:
                    out += ("stories", found[1])
                    return
                if all(isinstance(v, Content) for v in value):
                    digest = _h(*map(self.card, value))  # the common case
                    if isinstance(value, list):
                        self._shared[id(value)] = (value, digest)
                    out += ("stories", digest)
                    return
            out += ("list", str(len(value)))
            for item in value:
                self._parts(item, depth + 1, out)
        elif isinstance(value, dict):
            out += ("dict", str(len(value)))
            for k, v in sorted(value.items(), key=lambda kv: str(kv[0])):
                out.append(repr(str(k)))
                self._parts(v, depth + 1, out)
        elif isinstance(value, URLWrapper):
            out += (type(value).__name__, repr(value.name), repr(value.url))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            if depth > 0 and hasattr(value, "appears_with"):
                # An entity inside another page (a chip, "appears with"): what a chip
                # shows, its name, type and link. Not its story count, which changes
                # with every story about it: a page that shows the count is given it as
                # a value of its own (the topics page), so that a story about a busy
                # entity does not re-render the thousands of pages it appears on.
                found = self._shared.get(id(value))
                if found is None or found[0] is not value:
                    chip = (value.path, value.name, value.type, value.url)
                    found = self._shared[id(value)] = (value, _h("entity", *chip))
                out += ("entity", found[1])
                return
            # A field may say what of it a page shows (``metadata={"fingerprint": len}``).
            fields = dataclasses.fields(value)
            out += (type(value).__name__, str(len(fields)))
            for f in fields:
                out.append(f.name)
                self._parts(
                    f.metadata.get("fingerprint", _itself)(getattr(value, f.name)), depth + 1, out
                )
        else:
            raise Unknown(type(value).__name__)

    def page(self, name: str, template: str, kwargs: Mapping[str, Any]) -> bytes | None:
        """A page's fingerprint, or None when it holds a value we cannot digest."""
        parts: list[bytes | str] = [self.site, name, template]
        try:
            for key, value in sorted(kwargs.items()):
                parts.append(key)
                self._parts(value, 0, parts)
        except Unknown as exc:
            logger.debug("news_digest: %s is always rendered (%s in its context)", name, exc)
            return None
        return _h(*parts)


# A paginated template that shows how many items the whole list holds.
SHOWS_ITEM_COUNT = re.compile(r"paginator\s*(?:\.\s*count\b|\[\s*['\"]count['\"])")


@dataclasses.dataclass(frozen=True)
class TemplateFacts:
    """What a template, with every template it extends and includes, reads and shows."""

    variables: frozenset[str]  # from its context, by Jinja's own analysis
    shows_item_count: bool  # whether its text matches SHOWS_ITEM_COUNT


_TEMPLATES: dict[tuple[int, str], TemplateFacts | None] = {}


def template_facts(env: Any, name: str | None) -> TemplateFacts | None:
    """The facts of a template, worked out once per build; None when they cannot be
    known (a template chosen at run time), and then every value counts."""
    if name is None:
        return None
    key = (id(env), name)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = None  # a template that includes itself: unknown
        try:
            text = env.loader.get_source(env, name)[0]
            ast = env.parse(text)
        except Exception:  # noqa: BLE001 - unknown: fingerprint everything
            return None
        variables = set(meta.find_undeclared_variables(ast))
        counts = bool(SHOWS_ITEM_COUNT.search(text))
        for ref in meta.find_referenced_templates(ast):
            more = template_facts(env, ref)
            if more is None:
                return None
            variables |= more.variables
            counts = counts or more.shows_item_count
        _TEMPLATES[key] = TemplateFacts(frozenset(variables), counts)
    return _TEMPLATES[key]


def forget_templates() -> None:
    """At the start of a build: templates are looked at again (``pelican
    --autoreload`` builds many times in one process, and a template's id may be
    reused by the next build's)."""
    _TEMPLATES.clear()


@functools.lru_cache(maxsize=1024)
def _uses(used: frozenset[str], key: str) -> bool:
    """Whether a template reads ``key``, itself or through Pelican's pagination
    variables (``articles`` gives ``articles_page``, ``articles_paginator``...).
    Asked for each value of each page: kept (a frozenset keeps its hash)."""
    return key in used or any(name.startswith(f"{key}_") for name in used)


@dataclasses.dataclass
class Manifest:
    """Output -> (fingerprint, files with size and mtime), for the last build and this one."""

    previous: dict[str, tuple[bytes | None, tuple[tuple[str, int, int], ...]]]
    current: dict[str, tuple[bytes | None, tuple[tuple[str, int, int], ...]]] = dataclasses.field(
        default_factory=dict
    )
    # Name -> (fingerprint, its outputs' keys): a whole pagination, checked at once.
    previous_groups: dict[str, tuple[bytes, tuple[str, ...]]] = dataclasses.field(
        default_factory=dict
    )
    groups: dict[str, tuple[bytes, tuple[str, ...]]] = dataclasses.field(default_factory=dict)
    skipped: int = 0  # outputs left as they were
    written: int = 0  # outputs rendered (or built) again

    def fresh(self, key: str, fingerprint: bytes | None, output: Path) -> bool:
        """Whether ``key`` can be skipped: same fingerprint, files still as written.
        If so, it is carried over into this build's manifest."""
        if not self.unchanged(key, fingerprint, output):
            return False
        self.carry(key)
        return True

    def unchanged(self, key: str, fingerprint: bytes | None, output: Path) -> bool:
        """Whether ``key``'s last output stands (as ``fresh``, without carrying it)."""
        entry = self.previous.get(key)
        if fingerprint is None or entry is None or entry[0] != fingerprint:
            return False
        base = os.fspath(output)
        for rel, size, mtime in entry[1]:
            try:
                st = os.stat(f"{base}/{rel}")
            except OSError:
                return False
            if st.st_size != size or st.st_mtime_ns != mtime:
                return False
        return True

    def carry(self, key: str) -> None:
        """Keep the last build's entry for ``key``, found fresh (by a side job)."""
        self.current[key] = self.previous[key]
        self.skipped += 1

    def fresh_group(self, name: str, fingerprint: bytes, output: Path) -> list[str] | None:
        """The keys of group ``name`` when the group's fingerprint is unchanged and
        each of its outputs still stands as the last build left it; they are carried
        over. None otherwise."""
        entry = self.previous_groups.get(name)
        if entry is None or entry[0] != fingerprint:
            return None
        for key in entry[1]:
            if key not in self.previous or not self.unchanged(key, self.previous[key][0], output):
                return None
        for key in entry[1]:
            self.carry(key)
        self.groups[name] = entry
        return list(entry[1])

    def record_group(self, name: str, fingerprint: bytes, keys: Iterable[str]) -> None:
        """Group the outputs ``keys`` under ``name``, each recorded on its own too."""
        self.groups[name] = (fingerprint, tuple(keys))

    def files(self, key: str) -> list[str]:
        return [rel for rel, _, _ in self.current.get(key, (None, ()))[1]]

    def record(
        self, key: str, fingerprint: bytes | None, files: Iterable[str], output: Path
    ) -> None:
        stats = []
        for rel in sorted(set(files)):
            st = os.stat(output / rel)
            stats.append((rel, st.st_size, st.st_mtime_ns))
        self.current[key] = (fingerprint, tuple(stats))
        self.written += 1

    def stale(self) -> list[str]:
        """Files the last build produced and this one (so far) did not."""
        now = {rel for _, files in self.current.values() for rel, _, _ in files}
        return sorted({rel for _, files in self.previous.values() for rel, _, _ in files} - now)


def load_manifest(path: Path) -> Manifest:
    """The last build's manifest; empty (a full render) when missing or damaged."""
    stored = load_state(
        path, FORMAT, ("entries", "groups"), "page manifest", "rendering every page"
    )
    if stored is None:
        return Manifest({})
    return Manifest(stored["entries"], previous_groups=stored["groups"])


def save_manifest(manifest: Manifest, path: Path) -> None:
    state = {"format": FORMAT, "entries": manifest.current, "groups": manifest.groups}
    save_state(path, state, "page manifest")


def remove_stale(manifest: Manifest, output: Path) -> int:
    """Delete what the last build wrote and this one did not; prune empty folders."""
    return remove_files(output, manifest.stale())


def remove_files(output: Path, files: Iterable[str]) -> int:
    """Delete ``files`` (relative to ``output``) and the folders they leave empty."""
    removed = 0
    for rel in files:
        path = output / rel
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        parent = path.parent
        while parent != output and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed


def clone_previous(manifest: Manifest, previous: Path, output: Path) -> int:
    """Make the staging folder ``output`` hold exactly the last build's outputs, as
    hard links to the live site's (``previous``), so unchanged pages need not be
    written again; return how many were linked. Only files written by this plugin's
    atomic writes are linked: nothing will ever write into them in place.

    The folder may start empty, or hold the site before the last, which ``invoke
    build`` keeps for this (or what a crashed build left): then only the files that
    differ from the live site's are linked again, and every other file goes (static
    files, which Pelican copies in place; outputs no longer made), and every folder
    left empty. At 10,000 stories that is a few hundred links, where linking 100,000
    files afresh and deleting the replaced site took 15 s of the other core and the
    disk, during this build and the next. Neither folder may hold the other."""
    live_root, staging_root = previous.resolve(), output.resolve()
    if live_root == staging_root:
        return 0  # a build into the live site itself
    if live_root in staging_root.parents or staging_root in live_root.parents:
        logger.warning(
            "news_digest: not linking the pages of %s into %s: one folder holds the other",
            previous,
            output,
        )
        return 0
    # Plain strings and directory listings, no stat: pathlib cost half of this.
    source, target = os.fspath(previous), os.fspath(output)
    wanted = {rel for _, files in manifest.previous.values() for rel, _, _ in files}
    live, _ = _listing(source)
    held, folders = _listing(target)
    # What each folder holds once the files that go are gone, to remove those left
    # empty (by this, or by a crash) without trying every folder.
    holds = Counter(os.path.dirname(rel) for rel in folders)
    for rel, inode in held.items():
        if rel not in wanted or live.get(rel) != inode:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{target}/{rel}")
        else:
            wanted.discard(rel)  # the live site's very file already
            holds[os.path.dirname(rel)] += 1
    made = set(folders)
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        if holds[folder] == 0:
            try:
                os.rmdir(f"{target}/{folder}")
            except OSError:
                continue
            made.discard(folder)
            holds[os.path.dirname(folder)] -= 1
    linked = 0
    for rel in sorted(wanted):
        if rel not in live:
            continue  # gone from the live site: rendered again
        folder = os.path.dirname(rel)
        try:
            if folder and folder not in made:
                os.makedirs(f"{target}/{folder}", exist_ok=True)
                made.add(folder)
            os.link(f"{source}/{rel}", f"{target}/{rel}", follow_symlinks=False)
            linked += 1
        except OSError:
            continue  # on another file system, or in the way: rendered again
    return linked


def _listing(root: str) -> tuple[dict[str, int], list[str]]:
    """Every file under ``root`` by relative path, with its inode number as the
    folder lists it, and every folder; symbolic links are files, never followed."""
    files: dict[str, int] = {}
    folders: list[str] = []
    todo = [("", root)]
    while todo:
        prefix, folder = todo.pop()
        try:
            with os.scandir(folder) as found:
                for entry in found:
                    rel = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(rel)
                        todo.append((f"{rel}/", entry.path))
                    else:
                        files[rel] = entry.inode()
        except (FileNotFoundError, NotADirectoryError):
            continue
    return files, folders


class _AtomicText(io.StringIO):
    """A file for Pelican's writer that lands atomically, and only if its bytes changed."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def close(self) -> None:
        if not self.closed:
            text = self.getvalue()
            if self.path != os.devnull:
                write_if_changed(Path(self.path), text)
        super().close()


class DigestWriter(Writer):
    """Pelican's writer, skipping pages whose fingerprint is unchanged (see module doc)."""

    build: Build | None = None  # set by the pipeline before Pelican writes anything

    def __init__(self, output_path: str, settings: dict | None = None) -> None:
        super().__init__(output_path, settings)
        self._produced: list[str] = []
        self._fresh_pages: set[str] = set()  # paths of pagination pages left as they are

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        """As Pelican's, but the file is written atomically and only when it changed."""
        if filename in self._fresh_pages:  # see _Pages: not rendered, not written
            self._fresh_pages.discard(filename)
            self._written_files.add(filename)
            return _AtomicText(os.devnull)
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            filename = os.devnull
        elif filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it'
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        self._produced.append(filename)
        return _AtomicText(filename)

    def _left_as_they_are(
        self, name: str, url: str | None, paginated: dict, template_name: str, pages: _Pages
    ) -> bool:
        """Whether every page of a pagination is fresh. If so, they are carried over
        and reported written, as Pelican's writer would, without its loop: that
        builds a context for each page before _Pages finds it need not be rendered
        (most of 20,000 entity pages at 10,000 stories). Otherwise the fingerprints
        worked out are left for _Pages.

        First the whole pagination at once (``_Pages.whole``, as the last build
        grouped it): an entity page's 70 pages at one stat each, no paginator."""
        manifest = pages.build.manifest
        if pages.whole is not None:
            carried = manifest.fresh_group(name, pages.whole, pages.output)
            if carried is not None:
                self._report_written(carried)
                return True
        per_page = (
            self.settings["PAGINATED_TEMPLATES"][template_name]
            or self.settings["DEFAULT_PAGINATION"]
        )
        # As Pelican's writer pages them; the page it names is the last paginator's.
        paginators = {
            key: Paginator(name, url, val, self.settings, per_page)
            for key, val in paginated.items()
        }
        last = list(paginators)[-1]
        found = []
        for number in range(1, next(iter(paginators.values())).num_pages + 1):
            context: dict[str, Any] = {f"{k}_page": p.page(number) for k, p in paginators.items()}
            rel = context["output_file"] = context[f"{last}_page"].save_as
            fingerprint = pages.known[rel] = pages.fingerprint(context)
            if not manifest.unchanged(rel, fingerprint, pages.output):
                return False
            found.append(rel)
        for rel in found:
            manifest.carry(rel)
        if pages.whole is not None:
            manifest.record_group(name, pages.whole, found)
        self._report_written(found)
        return True

    def _report_written(self, pages: list[str]) -> None:
        """Pages carried over from the last build, reported as Pelican's writer would."""
        shown = {"article": None, "page": None}
        for rel in pages:
            path = sanitised_join(self.output_path, rel)
            self._written_files.add(path)
            signals.content_written.send(path, context=shown)

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):  # noqa: D102, PLR0913
        if not name:
            return
        build = type(self).build
        output = Path(self.output_path)
        fingerprint, pages = None, None
        if build is not None:
            facts = template_facts(template.environment, template.name)
            values = {"relative_urls": relative_urls, "url": url}
            values |= {
                k: v for k, v in kwargs.items() if facts is None or _uses(facts.variables, k)
            }
            values |= {
                k: context.get(k)
                for k in BUILD_CONTEXT
                if k not in kwargs and (facts is None or k in facts.variables)
            }
            if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
                # Each page of the pagination on its own (see _Pages).
                base = build.fingerprints.page(name, template.name or "", values)
                if base is not None:
                    counted = facts is None or facts.shows_item_count
                    pages = _Pages(
                        template, base, paginated, build, output, self._fresh_pages, counted
                    )
                    if self._left_as_they_are(name, url, paginated, template_name, pages):
                        return
            if pages is None:
                values["paginated"] = paginated
                fingerprint = build.fingerprints.page(name, template.name or "", values)
                if build.manifest.fresh(name, fingerprint, output):
                    shown = {"article": kwargs.get("article"), "page": kwargs.get("page")}
                    for rel in build.manifest.files(name):
                        path = str(output / rel)
                        self._written_files.add(path)
                        signals.content_written.send(path, context=shown)
                    return
        self._produced = []
        super().write_file(
            name,
            pages or template,
            context,
            relative_urls,
            paginated,
            template_name,
            override_output,
            url,
            **kwargs,
        )
        if pages is not None:
            for rel, page_print in pages.rendered:
                build.manifest.record(rel, page_print, [rel], output)
            if pages.whole is not None and all(p is not None for p in pages.known.values()):
                build.manifest.record_group(name, pages.whole, pages.known)
        elif build is not None:
            files = [os.path.relpath(p, output) for p in self._produced if p != os.devnull]
            build.manifest.record(name, fingerprint, files, output)


class _Pages:
    """A paginated template for Pelican's writer that renders only the pages that
    changed. Each page is an output of its own, fingerprinted by what the whole
    pagination shares (``base``: name, template, the other values) and what is its own:
    its number and the page count (its neighbours' links, "page 3 of 9"), the item
    count only when the template shows it (``articles_paginator.count``: else every
    added story would re-render every page), and the cards of its stories. So one
    edited story re-renders the page that lists it, not every page of a 500-page home
    page. A page left as it is gets no render and no write (``DigestWriter._open_w``);
    Pelican still reports it written.

    ``whole`` fingerprints all the pages at once: the base and the cards of every
    list, in order, decide each page's number, count and stories (the page size and
    URL patterns are settings, in the site key). The manifest groups the pages under
    it, so that a pagination none of whose stories changed is found fresh without
    paging it (Manifest.fresh_group)."""

    def __init__(
        self,
        template: Any,
        base: bytes,
        paginated: Mapping[str, Any],
        build: Build,
        output: Path,
        fresh: set[str],
        counted: bool = True,
    ) -> None:
        self.template, self.base, self.keys = template, base, sorted(paginated)
        self.counted = counted  # whether the template shows the whole list's item count
        self.build, self.output = build, output
        self.fresh = fresh  # the writer's: paths of fresh pages it must not write
        self.rendered: list[tuple[str, bytes | None]] = []
        self.known: dict[str, bytes | None] = {}  # fingerprints worked out, by page
        prints = build.fingerprints
        try:
            lists = [part for k in self.keys for part in (k, prints.value(paginated[k], 1))]
            self.whole: bytes | None = _h(base, "whole", *lists)
        except Unknown:
            self.whole = None

    def fingerprint(self, context: Mapping[str, Any]) -> bytes | None:
        prints = self.build.fingerprints
        parts: list[bytes | str] = [self.base, context["output_file"]]
        try:
            for key in self.keys:
                page = context[f"{key}_page"]
                total = page.paginator.count if self.counted else None
                counts = (page.number, page.paginator.num_pages, total)
                parts += [key, repr(counts), prints.value(tuple(page.object_list), 1)]
        except Unknown:
            return None
        return _h(*parts)

    def render(self, context: Mapping[str, Any]) -> str:
        rel = context["output_file"]
        if rel not in self.known:
            self.known[rel] = self.fingerprint(context)
        fingerprint = self.known[rel]
        if self.build.manifest.fresh(rel, fingerprint, self.output):
            self.fresh.add(sanitised_join(str(self.output), rel))
            return ""
        self.rendered.append((rel, fingerprint))
        return self.template.render(context)


@dataclasses.dataclass
class Build:
    """This build's incremental state: the manifest and the story fingerprints."""

    manifest: Manifest
    path: Path  # where the manifest is saved
    fingerprints: Fingerprints = dataclasses.field(default_factory=lambda: Fingerprints(b""))
    search: Any = None  # (search.Indexing, {bundle: fingerprint}) while Pagefind runs
    side_jobs: list = dataclasses.field(default_factory=list)  # SideJobs returning Outcomes
    linking: Any = None  # the SideJob linking the last build's pages into staging
    cards: Any = None  # cards.Cards: story cards kept between builds
    stories: set[str] = dataclasses.field(default_factory=set)  # the stories' save_as

    def adopt(self, outcomes: Iterable[Outcome], output: Path) -> None:
        """Record in this manifest what a job did (pipeline.start_feeds): each
        output it wrote, or found fresh (``None``) and so carries over."""
        for key, fingerprint, files in outcomes:
            if files is None:
                self.manifest.carry(key)
            else:
                self.manifest.record(key, fingerprint, files, output)
