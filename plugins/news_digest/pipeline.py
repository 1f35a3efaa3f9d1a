"""The plugin's signal handlers: thin glue from Pelican objects to the pure modules.

``prepare_posts`` (on ``initialized``) turns seeds into posts before Pelican lists
its content; ``start_feeds`` (on ``all_generators_finalized``) writes the feeds and
the story index once every article has been read and cross-linked, beside
Pelican's rendering when there is a core to spare.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from pelican.log import console
from pelican.urlwrappers import Tag

from . import cards, gcpause, linear, tagcache
from .contentcache import check_content_cache
from .crosslinks import StoryRef, clusters, index, registry, related
from .entities import Lexicon, VocabularyError, finish_corpus, load_lexicon
from .feeds import FeedBatch, FeedInfo, FeedItem, newest, newest_of_ordered, pack, write_batch
from .files import files_under, load_state, save_state
from .incremental import (
    Build,
    DigestWriter,
    Fingerprints,
    Outcome,
    OutputJob,
    clone_previous,
    forget_templates,
    load_manifest,
    remove_stale,
    save_manifest,
    site_key,
)
from .index import record_line, story_record, write_index
from .ingest import ingest, workers_for
from .memo import Memo, load_memos, save_memos
from .pages import build_entities, build_sources, write_pages
from .posts import (
    SCAN_FORMAT,
    entity_path,
    has_entity_fields,
    post_files,
    read_entities,
    sync_posts,
)
from .progress import STAGES, say
from .readahead import read_ahead
from .report import build_report, changes, summary, write_report
from .search import finish_search_index, search_bundles, start_search_index, story_glob
from .seeds import find_seeds
from .settings import digest_settings, seeds_path, site_base_url
from .sidejob import Handoff, SideJob, run_inline
from .storypage import annotate, plain_text

logger = logging.getLogger(__name__)


class StrictBuildError(Exception):
    """Raised in strict mode when a seed was skipped or the vocabulary is broken."""

    exitcode = 2


def load_vocabulary(path: Path) -> tuple[Lexicon, str | None, str]:
    """The lexicon with the editor's vocabulary, and the vocabulary text it used; on a
    broken file, the built-in lexicon and the reason (a bad vocabulary must not stop
    the digest)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return load_lexicon(), None, ""
    except (OSError, UnicodeDecodeError) as exc:
        return load_lexicon(), f"cannot be read ({exc})", ""
    try:
        return load_lexicon(text), None, text
    except VocabularyError as exc:
        return load_lexicon(), str(exc), ""


def prepare_posts(pelican: Any) -> None:
    """Read and tag every seed and bring ``content/<DIGEST_POSTS_DIR>/`` in line with them."""
    settings = digest_settings(pelican.settings)
    root = seeds_path(pelican.settings)
    if not Path(root).is_dir():
        logger.warning("news_digest: seeds folder %s does not exist; no stories to publish", root)
    content = Path(pelican.settings["PATH"])
    vocabulary = content / settings["DIGEST_VOCABULARY_FILE"]
    lexicon, vocabulary_problem, vocabulary_text = load_vocabulary(vocabulary)
    if vocabulary_problem:
        logger.warning("news_digest: vocabulary %s ignored: %s", vocabulary, vocabulary_problem)
    scan = find_seeds(root, settings)
    cache_file = Path(pelican.settings["CACHE_PATH"]) / "digest" / "tags.pickle"
    cache = tagcache.load(
        cache_file, tagcache.reader_version(settings), tagcache.vocabulary_version(vocabulary_text)
    )
    workers = workers_for(settings["DIGEST_WORKERS"])
    with STAGES.stage("read and tag seeds"):
        found = ingest(root, scan.seeds, settings, lexicon, cache, workers)
    seeds, problems = found.seeds, sorted(scan.problems + found.problems)
    for rel, reason in problems:
        logger.warning("news_digest: skipped seed %s: %s", rel, reason)
    if (problems or vocabulary_problem) and settings["DIGEST_STRICT"]:
        reasons = [f"{rel}: {reason}" for rel, reason in problems]
        if vocabulary_problem:
            reasons.append(f"{vocabulary.name}: {vocabulary_problem}")
        raise StrictBuildError(
            f"{len(reasons)} problem(s) and DIGEST_STRICT is on: " + "; ".join(reasons)
        )
    published = [s for s in seeds if not s.skip]
    with STAGES.stage("tag corpus pass"):
        tagged = finish_corpus([found.analyses[s.path] for s in published], lexicon)
    tz = ZoneInfo(pelican.settings.get("TIMEZONE") or "UTC")
    rendered_before = dict(cache.posts)
    scan_file = Path(pelican.settings["CACHE_PATH"]) / "digest" / "posts-scan.pickle"
    stored = load_state(scan_file, SCAN_FORMAT, ("posts",), "posts scan", "reading every post")
    scanned = stored["posts"] if stored is not None else {}
    with STAGES.stage("write posts"):
        report = sync_posts(
            seeds,
            unreadable=[rel for rel, _ in problems],
            posts_dir=content / settings["DIGEST_POSTS_DIR"],
            ledger_path=content / settings["DIGEST_LEDGER_FILE"],
            now=datetime.now(tz).replace(microsecond=0),
            tz=tz,
            settings={**pelican.settings, **settings},
            entities={s.path: e for s, e in zip(published, tagged, strict=True)},
            rendered=cache.posts,
            scanned=scanned,
            workers=workers if len(seeds) >= settings["DIGEST_PARALLEL_MIN"] else 1,
        )
        save_state(scan_file, {"format": SCAN_FORMAT, "posts": scanned}, "posts scan")
    if cache.posts != rendered_before:
        cache.changed = True
    tagcache.save(cache, cache_file)
    posts_dir = content / settings["DIGEST_POSTS_DIR"]
    published = len(post_files(posts_dir)) if posts_dir.is_dir() else 0
    pelican.digest_report = (
        build_report(published, len(seeds), problems, report, vocabulary_problem),
        changes(report),
    )


def read_posts_ahead(generator: Any) -> None:
    """Before Pelican reads the posts: convert the new ones on every core; give the
    templates their cached story cards."""
    STAGES.since_last("pelican start")
    cards.install(generator)
    with STAGES.stage("convert new posts (parallel)"):
        read_ahead(generator)


def search_shards(articles: list[Any], settings: dict[str, Any]) -> dict[str, list[Any]]:
    """The stories of each search bundle (see search.py), newest bundle first."""
    if not settings["DIGEST_SEARCH"]:
        return {}
    return search_bundles(articles, settings["DIGEST_SEARCH_BUNDLE_MAX"], attrgetter("date"))


def search_todo(generator: Any) -> dict[str, tuple[list[str], bytes]]:
    """The search bundles whose stories changed: {name: (story pages, fingerprint)}."""
    settings = digest_settings(generator.settings)
    build = DigestWriter.build
    if not settings["DIGEST_SEARCH"] or build is None:
        return {}
    output = Path(generator.output_path)
    prints = build.fingerprints
    todo: dict[str, tuple[list[str], bytes]] = {}
    for name, stories in generator.digest.search.items():
        fingerprint = prints.digest("search", name, *map(prints.indexed, stories))
        if not build.manifest.fresh(f"search:{name}", fingerprint, output):
            todo[name] = ([a.save_as for a in stories], fingerprint)
    return todo


def write_stories(generator: Any, write: Any) -> None:
    """Pelican's ``generate_articles``, in two runs: first the stories of the search
    bundles to index again, then the rest. The index starts in between, on the other
    core, while the rest of the site is rendered (start_search); the pages are the
    same in either order. Installed on the generator by :func:`order_stories`."""
    todo = search_todo(generator)
    lists = ("translations", "articles", "hidden_translations", "hidden_articles")
    everything = {name: getattr(generator, name) for name in lists}
    indexed = {id(a) for name in todo for a in generator.digest.search[name]}
    for first in (True, False):
        for name, items in everything.items():
            setattr(generator, name, [a for a in items if (id(a) in indexed) == first])
        try:
            type(generator).generate_articles(generator, write)
        finally:
            for name, items in everything.items():
                setattr(generator, name, items)
        if first:
            start_search(generator, todo)
    stories = [a for items in everything.values() for a in items]
    build = DigestWriter.build
    if build is not None:
        for story in stories:  # before what it reads goes
            build.fingerprints.own(story)
    linear.release_contents(stories, getattr(generator, "readers", None))
    gcpause.trim_heap()


def order_stories(generator: Any) -> None:
    """Have Pelican write the stories through :func:`write_stories` (its templates get
    the generator's context, which keeps the full lists)."""
    if hasattr(type(generator), "generate_articles"):
        generator.generate_articles = functools.partial(write_stories, generator)


def start_search(generator: Any, todo: dict[str, tuple[list[str], bytes]]) -> None:
    """Once the story pages of the bundles in ``todo`` are written: index them
    (Pagefind) in the background, one bundle after another."""
    build = DigestWriter.build
    if not todo or build is None:
        return
    settings = digest_settings(generator.settings)
    output = Path(generator.output_path)
    mirror = Path(generator.settings["CACHE_PATH"]) / "digest" / "search"
    bundles = generator.digest.search
    for gone in (p for p in (mirror.iterdir() if mirror.is_dir() else []) if p.is_dir()):
        if gone.name not in bundles:  # a bundle that is no more: its folder goes
            shutil.rmtree(gone)
    # After the side jobs (the feeds): each holds hundreds of megabytes (sidejob.py).
    after = [job.done_fd for job in build.side_jobs]
    indexing = start_search_index(
        output,
        settings["DIGEST_SEARCH_DIR"],
        story_glob(generator.settings["ARTICLE_SAVE_AS"]),
        {name: pages for name, (pages, _) in todo.items()},
        mirror,
        after,
    )
    build.search = (indexing, {name: fingerprint for name, (_, fingerprint) in todo.items()})


def write_search_index(pelican: Any) -> None:
    """Wait for the search index started by :func:`start_search`; report a failure."""
    STAGES.since_last("render other pages, static files")
    build = DigestWriter.build
    if build is None or build.search is None:
        return
    indexing, fingerprints = build.search
    with STAGES.stage("search index (waiting for it)"):
        problem = finish_search_index(indexing)
    output = Path(pelican.output_path)
    for bundle, (name, fingerprint) in zip(
        indexing.bundles, sorted(fingerprints.items()), strict=True
    ):
        files = files_under(bundle, output)
        build.manifest.record(
            f"search:{name}", fingerprint if problem is None else None, files, output
        )
    if problem is None:
        return
    if digest_settings(pelican.settings)["DIGEST_STRICT"]:
        raise StrictBuildError(f"search index not built: {problem}")
    logger.warning("news_digest: search index not built: %s", problem)


def start_build(pelican: Any) -> None:
    """Before Pelican reads anything: make its content cache safe to load, load the
    last build's manifest and, for a build into a staging folder, link the last
    build's pages into it (incremental.clone_previous: also without a manifest, as the
    folder may hold an older site to clear). Nothing is written there before every
    story is read and cross-linked, so with a core to spare the linking runs beside
    the build until then (``wait_for_links``)."""
    STAGES.reset()
    forget_templates()
    with STAGES.stage("load caches"):
        check_content_cache(pelican.settings)
        settings = digest_settings(pelican.settings)
        path = Path(pelican.settings["CACHE_PATH"]) / "digest" / "pages.pickle"
        build = Build(load_manifest(path), path)
        build.cards = cards.Cards(path.with_name("cards"))
    DigestWriter.build = build
    if not settings["DIGEST_PREVIOUS_OUTPUT"]:
        return
    previous = Path(pelican.settings["PATH"]).parent / settings["DIGEST_PREVIOUS_OUTPUT"]
    output = Path(pelican.output_path)
    if workers_for(settings["DIGEST_WORKERS"]) > 1:
        build.linking = SideJob(
            "linking the last build's pages",
            lambda: clone_previous(build.manifest, previous, output),
        )
        return
    with STAGES.stage("link last build's pages"):
        clone_previous(build.manifest, previous, output)


def wait_for_links(build: Build) -> None:
    """Before anything is written into the staging folder: the links are all there."""
    if build.linking is not None:
        with STAGES.stage("link last build's pages (waiting)"):
            job, build.linking = build.linking, None
            job.result()


def digest_writer(pelican: Any) -> type:
    """Pelican's writer, made incremental and atomic (see incremental.py)."""
    return DigestWriter


def fingerprint_site(generators: list) -> None:
    """Once every generator has read its content: the key every page depends on."""
    build = DigestWriter.build
    if build is None:
        return
    wait_for_links(build)
    if not generators:
        return
    context, settings = generators[0].context, generators[0].settings
    pages = [*context.get("pages", []), *context.get("hidden_pages", [])]
    fix_urls(pages)  # every page's menu lists them
    stories = [*context.get("articles", []), *context.get("hidden_articles", [])]
    build.stories = {a.save_as for a in stories}
    # The search bundles the search page lists count in its own fingerprint
    # (incremental.BUILD_CONTEXT).
    build.fingerprints = Fingerprints(site_key(Path(settings["THEME"]), settings, pages))


def finish_build(pelican: Any) -> None:
    """Remove what the last build wrote and this one did not; save the manifest and
    the stage timings."""
    build = DigestWriter.build
    if build is not None:
        with STAGES.stage("remove stale files, save manifest"):
            removed = remove_stale(build.manifest, Path(pelican.output_path))
            save_manifest(build.manifest, build.path)
            build.cards.save(build.stories)
        manifest = build.manifest
        say(
            f"news_digest: {manifest.written:,} pages and feeds written, "
            f"{manifest.skipped:,} unchanged, {removed:,} files removed"
        )
        DigestWriter.build = None
    STAGES.save(Path(pelican.settings["CACHE_PATH"]) / "digest" / "timings.json")


def write_build_report(pelican: Any) -> None:
    """The build report, in ``api/build-report.json`` and on the terminal."""
    found = getattr(pelican, "digest_report", None)
    if found is None:
        return
    report, changed = found
    settings = digest_settings(pelican.settings)
    write_report(report, Path(pelican.output_path) / settings["DIGEST_REPORT_PATH"])
    console.print(summary(report, changed), markup=False, highlight=False)


def attach_entities(generator: Any, metadata: dict[str, Any]) -> None:
    """Give each story its entities (from its front matter), with their pages' URLs.

    ``topics`` are the salient few a story shows. Entities are not Pelican tags:
    their pages are written by ``pages.py`` (see there for why).
    """
    if not has_entity_fields(metadata):
        return
    settings = generator.__dict__.get("digest_settings")
    if settings is None:  # once per build, not once per story
        settings = generator.__dict__["digest_settings"] = digest_settings(generator.settings)
    entities = read_entities(metadata)
    # An entity's URLs are the same in every story: worked out once per build.
    pages = generator.__dict__.setdefault("digest_entity_pages", {})
    for entity in entities:
        key = (entity["type"], entity["slug"])
        found = pages.get(key)
        if found is None:
            path = entity_path(*key)
            tag = Tag(path, generator.settings)
            tag.slug = path
            found = pages[key] = (path, tag.url, tag.save_as)
        entity["path"], entity["url"], entity["save_as"] = found
    metadata["entities"] = entities
    metadata["topics"] = [
        e for e in entities if e["salience"] >= settings["DIGEST_TAG_MIN_SALIENCE"]
    ][: settings["DIGEST_MAX_TAGS"]]


_ENTITY_LINK = re.compile(r'<a href="\{tag\}([^"]+)">(.*?)</a>', re.S)


@dataclass
class Digest:
    """What the cross-linking pass found, for the writers that follow."""

    leads: list  # one story per cluster, newest first: the home page and the feeds
    entities: dict  # path -> pages.Entity
    sources: list  # pages.Source
    related: dict[str, list[str]]
    clusters: dict[str, list[str]]  # lead slug -> member slugs, lead first
    # For annotate_stories: each story's plain text (in the order of the generator's
    # articles), and the memos with their file, saved once it has used them.
    texts: list[str] = field(default_factory=list)
    memos: dict[str, Memo] = field(default_factory=dict)
    memo_file: Path | None = None
    search: dict[str, list] = field(default_factory=dict)  # search bundle -> stories


def link_stories(generator: Any) -> None:
    """Related stories, clusters and the entity registry, once all stories are read."""
    STAGES.since_last("pelican read")
    with STAGES.stage("cross-link"):
        _link_stories(generator)


def fix_urls(contents: list[Any]) -> None:
    """Pelican formats a story's or page's URL afresh on every access (about 9% of a
    build, DESIGN.md): fix each once, through Pelican's own override attributes."""
    for content in contents:
        if not hasattr(content, "override_url") and not hasattr(content, "override_save_as"):
            content.override_url, content.override_save_as = content.url, content.save_as


def _link_stories(generator: Any) -> None:
    settings = digest_settings(generator.settings)
    fix_urls(generator.articles)
    linear.share_tag_links(generator.articles)
    texts = [plain_text(a._content) for a in generator.articles]
    text_of = {id(a): text for a, text in zip(generator.articles, texts, strict=True)}
    articles = [a for a in generator.articles if hasattr(a, "entities")]
    corpus = index(
        StoryRef(
            key=a.slug,
            date=a.date,
            title=a.title,
            text=text_of[id(a)],
            entities=tuple((e["path"], e["salience"]) for e in a.entities),
            source=getattr(a, "source", None),
        )
        for a in articles
    )
    memo_file = Path(generator.settings["CACHE_PATH"]) / "digest" / "memo.pickle"
    memos = load_memos(memo_file)
    groups = clusters(corpus, memos.setdefault("signatures", Memo()))
    lead_of = {key: lead for lead, keys in groups.items() for key in keys}
    related_keys = related(corpus, settings["DIGEST_RELATED_MAX"], exclude=lead_of)
    stats = registry(corpus)
    by_key = {a.slug: a for a in articles}
    for position, article in enumerate(generator.articles):  # hand-written posts too
        article.cluster_lead, article.also_reported, article.related_stories = None, [], []
        # A link to an entity no story carries any more (an editor removed it) would
        # point nowhere: keep its words, drop the link.
        content = _ENTITY_LINK.sub(
            lambda m: m.group(0) if m.group(1) in stats else m.group(2), article._content
        )
        if content != article._content:
            article._content, texts[position] = content, plain_text(content)
    for article in articles:
        lead = lead_of.get(article.slug)
        article.cluster_lead = by_key[lead] if lead and lead != article.slug else None
        article.also_reported = [by_key[k] for k in groups.get(article.slug, [])[1:]]
        article.related_stories = [by_key[k] for k in related_keys.get(article.slug, [])]
    lexicon, _, _ = load_vocabulary(
        Path(generator.settings["PATH"]) / settings["DIGEST_VOCABULARY_FILE"]
    )
    settings_all = {**generator.settings, **settings}
    search = search_shards(generator.articles, settings)
    generator.context["DIGEST_SEARCH_BUNDLES"] = [
        f"{settings['DIGEST_SEARCH_DIR']}/{name}" for name in search
    ]
    generator.digest = Digest(
        leads=[a for a in generator.articles if a.cluster_lead is None],
        entities=build_entities(
            stats, by_key, lexicon, settings_all, memos.setdefault("charts", Memo())
        ),
        sources=build_sources(generator.articles, settings_all),
        related=related_keys,
        clusters=groups,
        texts=texts,
        memos=memos,
        memo_file=memo_file,
        search=search,
    )


def annotate_stories(generators: list) -> None:
    """Reading time, edition, neighbours, description and JSON-LD of every story
    (storypage.annotate), once every generator has read its content. The description
    comes from a story's summary, which Pelican makes from its content and keeps; a
    ``{static}`` link in it is resolved only once the static files are known."""
    generator = next((g for g in generators if hasattr(g, "digest")), None)
    if generator is None:
        return
    digest = generator.digest
    settings = digest_settings(generator.settings)
    big = len(generator.articles) >= settings["DIGEST_PARALLEL_MIN"]
    with STAGES.stage("cross-link"):
        annotate(
            generator.articles,
            site_base_url(generator.settings),
            {**generator.settings, **settings},
            digest.memos.setdefault("described", Memo()),
            digest.texts,
            workers_for(settings["DIGEST_WORKERS"]) if big else 1,
        )
        digest.texts = []  # nothing reads them again: not held through rendering
        if digest.memo_file is not None:
            save_memos(digest.memos, digest.memo_file)
        digest.memos = {}  # this build's values and the last's: not held to the end


def write_digest_pages(generator: Any, writer: Any) -> None:
    """The home page, entity pages, entity index and source pages."""
    STAGES.since_last("render stories and archives")
    digest = generator.digest
    with STAGES.stage("render digest pages"):
        write_pages(generator, writer, digest.leads, digest.entities, digest.sources)


# A feed to write: its manifest key, fingerprint, FeedInfo, stories, RSS and Atom paths
FeedJob = tuple[str, "bytes | None", FeedInfo, list[Any], str, str]


def feed_item(article: Any, base_url: str) -> FeedItem:
    """A Pelican article as a feed item, with absolute links in its content."""
    return FeedItem(
        url=f"{base_url}/{article.url}",
        title=article.title,
        published=article.date,
        updated=getattr(article, "modified", None) or article.date,
        summary_html=article.summary,
        content_html=linear.content_once(article, base_url),
        categories=tuple(sorted(tag.name for tag in getattr(article, "tags", []))),
    )


def feed_batch(jobs: list[FeedJob], base_url: str, output: Path, done: list[Outcome]) -> FeedBatch:
    """The feeds of ``jobs`` as plain data (feeds.FeedBatch), each story's item made
    once however many feeds carry it (a story is in four on average)."""
    positions: dict[int, int] = {}
    stories: list[tuple[FeedItem, bytes]] = []
    feeds = []
    for key, fingerprint, info, articles, rss, atom in jobs:
        mine = []
        for article in articles:
            at = positions.get(id(article))
            if at is None:
                at = positions[id(article)] = len(stories)
                stories.append(pack(feed_item(article, base_url)))
            mine.append(at)
        feeds.append((key, fingerprint, info, mine, rss, atom))
    return FeedBatch(str(output), base_url, stories, feeds, done)


def start_feeds(generators: list) -> None:
    """Once every story is read and cross-linked: the feeds and the story index.

    They need nothing Pelican renders, so with more than one core a side job
    (sidejob.py) fingerprints them and writes those that changed while Pelican
    renders the pages; ``finish_feeds`` records what it did in the manifest. Even
    fingerprinting them is work for the whole corpus, so on a large site the job
    runs beside the build however little changed. Many feeds to write are handed,
    as plain data (feeds.FeedBatch), to a fresh process (sidejob.Handoff)."""
    generator = next((g for g in generators if hasattr(g, "digest")), None)
    if generator is None:
        return
    STAGES.since_last("fingerprint site")
    output = Path(generator.output_path)
    base_url = site_base_url(generator.settings)
    build = DigestWriter.build
    if build is None:
        write_batch(feed_batch(feed_jobs(generator), base_url, output, []))
        story_index_job(generator)[2]()
        return

    settings = digest_settings(generator.settings)

    def produce() -> list[Outcome] | Handoff:
        # The story index here; the feeds found stale written here too, or, when
        # there are many, handed to a fresh process.
        done: list[Outcome] = []
        stale = []
        for job in feed_jobs(generator):
            if build.manifest.unchanged(job[0], job[1], output):
                done.append((job[0], job[1], None))
            else:
                stale.append(job)
        key, fingerprint, make = story_index_job(generator)
        fresh = build.manifest.unchanged(key, fingerprint, output)
        done.append((key, fingerprint, None if fresh else make()))
        batch = feed_batch(stale, base_url, output, done)
        if len(stale) < settings["DIGEST_FEEDS_HANDOFF_MIN"]:
            return write_batch(batch)
        return Handoff(write_batch, batch)

    big = len(generator.articles) >= settings["DIGEST_PARALLEL_MIN"]
    if workers_for(settings["DIGEST_WORKERS"]) > 1 and big:
        # Every story's own digest before the fork: the job needs them all, and so do
        # the story pages here; worked out once, not in both processes.
        with STAGES.stage("fingerprint site"):
            for article in generator.articles:
                build.fingerprints.own(article)
        build.side_jobs.append(SideJob("feeds and story index", produce))
        return
    with STAGES.stage("feeds, story index"):
        build.adopt(run_inline(produce), output)


def finish_feeds(pelican: Any) -> None:
    """Wait for the side job's feeds and story index; record what it did."""
    build = DigestWriter.build
    if build is None or not build.side_jobs:
        return
    output = Path(pelican.output_path)
    with STAGES.stage("feeds, story index (waiting for them)"):
        while build.side_jobs:
            build.adopt(build.side_jobs.pop(0).result(), output)


def feed_jobs(generator: Any) -> list[FeedJob]:
    """The digest's own RSS and Atom feeds, and one pair per entity: the newest
    stories, full text, one story per cluster (near-duplicates never twice)."""
    settings = digest_settings(generator.settings)
    base_url = site_base_url(generator.settings)
    limit = settings["DIGEST_FEED_MAX_ITEMS"]
    language = settings["DIGEST_FEED_LANGUAGE"]
    digest = generator.digest
    info = FeedInfo(
        title=generator.settings.get("SITENAME", "News digest"),
        site_url=base_url + "/",
        description=generator.settings.get("SITESUBTITLE", ""),
        language=language,
    )
    build = DigestWriter.build
    jobs: list[FeedJob] = []

    def feed(info: FeedInfo, stories: list, rss: str, atom: str) -> None:
        fingerprint = None
        if build is not None:
            prints = build.fingerprints
            fingerprint = prints.digest("feed", repr(info), *(prints.own(a) for a in stories))
        jobs.append((f"feed:{rss}", fingerprint, info, stories, rss, atom))

    chosen = newest(digest.leads, limit, date=attrgetter("date"), ident=attrgetter("url"))
    feed(info, chosen, settings["DIGEST_FEED_RSS_PATH"], settings["DIGEST_FEED_ATOM_PATH"])
    sitename = generator.settings.get("SITENAME", "News digest")
    for entity in digest.entities.values():
        # One story per cluster: a later report gives way to its lead when the lead
        # is about this entity too (near-duplicates never twice in a feed).
        mine = set(entity.articles)
        stories = newest_of_ordered(
            (a for a in entity.articles if a.cluster_lead not in mine),  # newest first
            limit,
            date=attrgetter("date"),
            ident=attrgetter("url"),
        )
        info = FeedInfo(
            title=f"{entity.name} · {sitename}",
            site_url=f"{base_url}/{entity.url}",
            description=f"Stories about {entity.name} in {sitename}",
            language=language,
        )
        feed(info, stories, entity.feeds["rss"], entity.feeds["atom"])
    return jobs


def story_index_job(generator: Any) -> OutputJob:
    """``api/stories.json``: every story with all its entities, for other tools."""
    path = digest_settings(generator.settings)["DIGEST_INDEX_PATH"]
    build = DigestWriter.build
    fingerprint, keys = None, None
    if build is not None:
        prints, related = build.fingerprints, generator.digest.related
        # A story's line shows the story, its related stories and its cluster.
        keys = [
            prints.digest(prints.own(a), repr(related.get(a.slug)), repr(_cluster(a)))
            for a in generator.articles
        ]
        fingerprint = prints.digest("index", *keys)
    return f"index:{path}", fingerprint, lambda: _write_story_index(generator, path, keys)


def _cluster(article: Any) -> str | None:
    return (
        (article.cluster_lead or article).slug
        if article.cluster_lead or article.also_reported
        else None
    )


def _write_story_index(generator: Any, path: str, keys: list[bytes] | None) -> list[str]:
    """The index; with ``keys`` (each story's line's fingerprint), the lines of
    unchanged stories come from the last build's (memo.py)."""
    base_url = site_base_url(generator.settings)
    digest = generator.digest

    def line(article: Any) -> str:
        story = {
            "slug": article.slug,
            "url": f"{base_url}/{article.url}",
            "title": article.title,
            "date": article.date,
            "source": getattr(article, "source", None),
            "seed": unquote(article.seed) if getattr(article, "seed", None) else None,
            "entities": getattr(article, "entities", []),
            "related": digest.related.get(article.slug, []),
            "cluster": _cluster(article),
        }
        return record_line(story_record(story, lambda e: _entity_urls(e, digest, base_url)))

    memo_file = Path(generator.settings["CACHE_PATH"]) / "digest" / "index-memo.pickle"
    memos = load_memos(memo_file) if keys is not None else {}
    lines = memos.setdefault("lines", Memo())
    write_index(
        (
            (
                a.date,
                a.slug,
                lines.lookup(keys[i], functools.partial(line, a)) if keys is not None else line(a),
            )
            for i, a in enumerate(generator.articles)
        ),
        Path(generator.output_path) / path,
    )
    if keys is not None:
        save_memos(memos, memo_file)
    return [path]


def _entity_urls(entity: dict, digest: Digest, base_url: str) -> dict[str, Any]:
    page = digest.entities.get(entity["path"])
    feeds = page.feeds if page else {}
    return {
        "slug": entity["slug"],
        "url": f"{base_url}/{entity['url']}",
        "feeds": {kind: f"{base_url}/{path}" for kind, path in feeds.items()},
    }
