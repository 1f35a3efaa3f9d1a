"""Incremental rebuilds give exactly the site a cold build gives, and skip what did not change."""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitebuild import ROOT, Site, make_site

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402

POOL = 60  # generated stories; the site starts with the first START of them
START = 30
ROUNDS = 7


def write(site: Site, story: corpus.Story) -> None:
    corpus.write([story], site.seeds)


def remove(site: Site, story: corpus.Story) -> None:
    path = site.seeds / story.name
    path.unlink()
    Path(f"{path}.meta.toml").unlink(missing_ok=True)


def cold_tree(site: Site, tmp_path: Path, name: str) -> dict[str, str]:
    """A cold build of the same seeds and content, in a fresh project."""
    (tmp_path / name).mkdir()
    fresh = make_site(tmp_path / name, with_sample_seeds=False)
    shutil.rmtree(fresh.seeds)
    shutil.copytree(site.seeds, fresh.seeds)
    shutil.rmtree(fresh.root / "content")
    shutil.copytree(site.root / "content", fresh.root / "content")
    result = fresh.invoke("build")
    assert result.returncode == 0, result.stderr
    return fresh.tree()


def invoke_build(site: Site) -> None:
    result = site.invoke("build")
    assert result.returncode == 0, result.stdout + result.stderr


def built(tmp_path: Path, stories: list[corpus.Story]) -> Site:
    """A project in ``tmp_path/site`` with ``stories`` as its seeds, built once."""
    (tmp_path / "site").mkdir()
    site = make_site(tmp_path / "site", with_sample_seeds=False)
    corpus.write(stories, site.seeds)
    invoke_build(site)
    return site


@pytest.fixture(scope="module")
def pool():
    return corpus.generate(POOL, seed=7)


def test_random_edits_additions_and_removals_rebuild_to_the_cold_site(tmp_path, pool):
    rng = random.Random(11)
    (tmp_path / "site").mkdir()
    site = make_site(tmp_path / "site", with_sample_seeds=False)
    live = {s.name: s for s in pool[:START]}
    waiting = list(pool[START:])
    corpus.write(list(live.values()), site.seeds)
    invoke_build(site)
    assert site.tree() == cold_tree(site, tmp_path, "cold-0")
    done: list[str] = []
    for round_ in range(1, ROUNDS + 1):
        for _ in range(rng.randint(1, 3)):
            action = rng.choice(["edit", "add", "remove", "redate", "retitle", "hand-edit"])
            name = rng.choice(sorted(live))
            story = live[name]
            if action == "edit":
                live[name] = corpus.edited(story, rng)
                write(site, live[name])
            elif action == "add" and waiting:
                story = waiting.pop(0)
                live[story.name] = story
                write(site, story)
            elif action == "remove" and len(live) > 5:
                remove(site, live.pop(name))
            elif action == "redate" and story.sidecar is not None:
                day = rng.randrange(1, 28)
                sidecar = f'date = "2020-02-{day:02d}T{rng.randrange(24):02d}:00:00Z"\n'
                live[name] = corpus.Story(story.name, story.data, sidecar.encode())
                write(site, live[name])
            elif action == "retitle" and story.sidecar is not None:
                title = f'title = "Revised report number {round_}"\n'
                live[name] = corpus.Story(story.name, story.data, story.sidecar + title.encode())
                write(site, live[name])
            elif action == "hand-edit":
                post = rng.choice(sorted(site.posts.glob("*.md")))
                post.write_text(post.read_text(encoding="utf-8") + "\nAn editor's line.\n")
            done.append(action)
        invoke_build(site)
        if round_ in (3, ROUNDS):
            assert site.tree() == cold_tree(site, tmp_path, f"cold-{round_}"), done
    # The vocabulary changes every story's tags.
    vocabulary = site.root / "content" / "entities.toml"
    vocabulary.write_text(
        vocabulary.read_text(encoding="utf-8") + '\n[blocked]\nwords = ["Harbour"]\n'
    )
    invoke_build(site)
    assert site.tree() == cold_tree(site, tmp_path, "cold-vocabulary"), done


def test_a_rebuild_with_nothing_changed_rewrites_no_page(tmp_path, pool):
    site = built(tmp_path, pool[:20])
    tree = site.tree()
    result = site.invoke("build")
    assert "Nothing changed since the last build" in result.stdout
    assert site.tree() == tree
    # Pelican run all the same (no up-to-date check): every page is skipped.
    pages = {p: p.stat() for p in site.output.rglob("*.html")}
    site.build()
    again = {p: p.stat() for p in site.output.rglob("*.html")}
    assert again.keys() == pages.keys()
    rewritten = [
        p
        for p in pages
        if (pages[p].st_ino, pages[p].st_mtime_ns) != (again[p].st_ino, again[p].st_mtime_ns)
    ]
    assert rewritten == []
    timings = (site.root / "cache" / "digest" / "timings.json").read_text()
    assert '"read and tag seeds"' in timings
    # Any change to an input, or to the output, means a real build again.
    (site.output / "index.html").write_text("tampered")
    invoke_build(site)
    assert site.tree() == tree


def test_one_edited_seed_rerenders_its_story_and_not_unrelated_ones(tmp_path, pool):
    site = built(tmp_path, pool[:20])
    before = {p: p.stat().st_ino for p in site.output.rglob("stories/*/index.html")}
    write(site, corpus.edited(pool[5], random.Random(1)))
    invoke_build(site)
    after = {p: p.stat().st_ino for p in site.output.rglob("stories/*/index.html")}
    changed = [p for p in before if before[p] != after.get(p)]
    assert 1 <= len(changed) < len(before) / 2


# Printed by a template changed with show_every_render: each render writes new bytes.
RENDER_MARK = "{% block content %}<!-- {{ range(10**9)|random }} -->"


def show_every_render(site: Site, name: str) -> Path:
    """Make every render of the template ``name`` show: it prints a random number."""
    template = site.root / "theme" / "templates" / name
    template.write_text(template.read_text().replace("{% block content %}", RENDER_MARK, 1))
    return template


def story_listed_on(site: Site, page: Path, pool: list[corpus.Story]) -> corpus.Story:
    """The seed of the first story ``page`` lists, found through the story index."""
    link = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
        'main a[href*="/stories/"]'
    )["href"]
    index = json.loads(site.page("api/stories.json"))
    seed = next(s["seed"] for s in index if s["url"].endswith(link.split("/stories/")[1]))
    return next(s for s in pool if s.name == seed)


def retitled(story: corpus.Story) -> corpus.Story:
    return corpus.Story(story.name, story.data, story.sidecar + b'title = "A retitled report"\n')


def test_one_changed_story_rerenders_only_its_page_of_the_home_page(tmp_path, pool):
    site = built(tmp_path, pool[:45])
    home = _home_pages(site)
    assert len(home) >= 3
    last = home[max(home)]
    story = story_listed_on(site, last, pool)  # on the last (oldest) page
    show_every_render(site, "index.html")
    invoke_build(site)
    before = {n: p.stat().st_ino for n, p in home.items()}
    write(site, retitled(story))
    invoke_build(site)
    assert "A retitled report" in last.read_text(encoding="utf-8")
    assert "<!-- " in last.read_text(encoding="utf-8")
    assert [n for n, p in home.items() if p.stat().st_ino != before[n]] == [max(home)]


def test_one_changed_story_rerenders_only_its_page_of_an_entity(tmp_path, pool):
    """An entity page shows its story count, not its stories (they come through the
    pagination): retitling one story re-renders the one page of a busy entity that
    lists it."""
    site = built(tmp_path, pool[:45])
    paged = [p.parent.parent.parent for p in site.output.glob("*/*/page/2/index.html")]
    entity = max(paged, key=lambda e: len(list(e.glob("page/*/index.html"))))
    pages = [entity / "index.html", *sorted(entity.glob("page/*/index.html"))]
    assert len(pages) >= 2
    story = story_listed_on(site, pages[-1], pool)
    show_every_render(site, "entity.html")
    invoke_build(site)
    before = {p: p.stat().st_ino for p in pages}
    write(site, retitled(story))
    invoke_build(site)
    changed = [p for p in pages if p.stat().st_ino != before[p]]
    assert changed == [pages[-1]]
    assert "A retitled report" in pages[-1].read_text(encoding="utf-8")
    # The manifest groups the pages, to find them fresh at once next time...
    manifest = pickle.loads((site.root / "cache" / "digest" / "pages.pickle").read_bytes())
    _, grouped = manifest["groups"][(entity / "index.html").relative_to(site.output).as_posix()]
    assert {site.output / rel for rel in grouped} == set(pages)
    # ...but a later page changed in the output means the group is not fresh.
    before = {p: p.stat().st_ino for p in pages}
    pages[-1].write_text("tampered", encoding="utf-8")
    invoke_build(site)
    assert [p for p in pages if p.stat().st_ino != before[p]] == [pages[-1]]
    assert "A retitled report" in pages[-1].read_text(encoding="utf-8")


def test_an_added_story_leaves_the_pages_that_show_its_entities_as_chips(tmp_path, pool):
    """A chip ("appears with") shows an entity's name, type and link, not its story
    count: a new story re-renders its own entities' pages, not every page that lists
    one of them as a chip. The topics page, which shows the counts, is updated."""
    site = built(tmp_path, pool[:30])
    show_every_render(site, "entity.html")
    invoke_build(site)
    pages = {
        p.parent.relative_to(site.output).as_posix(): p
        for kind in ("people", "places", "organizations")
        for p in site.output.glob(f"{kind}/*/index.html")
    }
    before = {rel: p.stat().st_ino for rel, p in pages.items()}
    write(site, pool[30])
    invoke_build(site)
    index = json.loads(site.page("api/stories.json"))
    seed = pool[30].name
    new = next(s for s in index if s["seed"] == seed)
    mine = {rel for rel in pages for e in new["entities"] if e["url"].rstrip("/").endswith(rel)}
    assert mine
    shown_with_mine = {
        rel
        for rel, p in pages.items()
        if rel not in mine and any(f"/{m}/" in a["href"] for a in _appears_with(p) for m in mine)
    }
    assert shown_with_mine  # the case this test is about
    changed = {rel for rel, p in pages.items() if p.stat().st_ino != before[rel]}
    assert changed == mine
    topics = BeautifulSoup(site.page("topics/index.html"), "html.parser")
    for rel in mine:
        stories = sum(any(e["url"].rstrip("/").endswith(rel) for e in s["entities"]) for s in index)
        chip = topics.select_one(f'a.chip[href$="/{rel}/"]')
        assert chip.find_next_sibling("span", class_="count").get_text().split()[0] == str(stories)


def _appears_with(page: Path) -> list:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return soup.select(".appears-with a.chip")


def _home_pages(site: Site) -> dict[int, Path]:
    pages = {int(p.parent.name): p for p in site.output.glob("page/*/index.html")}
    return pages | {1: site.output / "index.html"}


def _oldest(story: corpus.Story, minute: int) -> corpus.Story:
    """``story`` dated before every other, in the same year (a new year would add a
    search bundle)."""
    date = f'date = "{corpus.START:%Y-%m-%d}T00:{minute:02d}:00Z"\n'
    return corpus.Story(story.name, story.data, date.encode())


def test_an_added_old_story_leaves_the_newer_home_pages(tmp_path, pool):
    """A page's fingerprint has the item count only when the template shows it: a
    story added at the end of the list re-renders the last page, not every page."""
    site = built(tmp_path, pool[:45])
    template = show_every_render(site, "index.html")
    invoke_build(site)
    home = _home_pages(site)
    assert len(home) >= 3
    texts = [s for s in pool[45:] if s.sidecar is not None]
    before = {n: p.stat().st_ino for n, p in home.items()}
    write(site, _oldest(texts[0], 30))
    invoke_build(site)
    assert _home_pages(site) == home  # as many pages as before
    assert [n for n, p in home.items() if p.stat().st_ino != before[n]] == [max(home)]
    # A theme that shows the count gets every page rendered again when it changes.
    shown = "<p>{{ articles_paginator.count }} stories</p>"
    template.write_text(template.read_text().replace(RENDER_MARK, RENDER_MARK + shown, 1))
    invoke_build(site)
    write(site, _oldest(texts[1], 10))
    invoke_build(site)
    counts = {re.search(r"<p>(\d+) stories</p>", p.read_text()).group(1) for p in home.values()}
    assert len(counts) == 1


def _bundles(site: Site) -> list[str]:
    search = BeautifulSoup(site.page("search/index.html"), "html.parser").select_one("#search")
    return search["data-bundle-paths"].split()


def test_a_new_search_bundle_rerenders_the_search_page_not_every_page(tmp_path, pool):
    """Only the search page lists the search bundles: a story in a year the site has
    no bundle for yet adds one, and the search page shows it; the other pages stay."""
    site = built(tmp_path, pool[:20])
    show_every_render(site, "article.html")
    show_every_render(site, "entity.html")
    invoke_build(site)
    bundles = _bundles(site)
    pages = {p: p.stat().st_ino for p in site.output.rglob("*.html")}
    story = next(s for s in pool[20:] if s.sidecar is not None)
    early = f'date = "{corpus.START.year - 3}-03-01T10:00:00Z"\n'.encode()
    write(site, corpus.Story(story.name, story.data, early))
    invoke_build(site)
    assert len(_bundles(site)) == len(bundles) + 1
    assert (
        pages[site.output / "search" / "index.html"]
        != (site.output / "search" / "index.html").stat().st_ino
    )
    kept = [p for p, inode in pages.items() if p.exists() and p.stat().st_ino == inode]
    assert len(kept) > len(pages) * 3 / 4


def test_kept_cards_are_reused_while_their_story_and_the_theme_stay_the_same(tmp_path, pool):
    """Story cards are kept between builds (cards.py): a story added on top re-renders
    every home page, and the other stories' cards come from the cache; a change to
    the theme renders them all again."""
    site = built(tmp_path, pool[:30])
    # One of the home page's cards (headed h3, with the time only), marked.
    path, stored, slot = min(
        (path, stored, slot)
        for path in (site.root / "cache" / "digest" / "cards").glob("*.pickle")
        for stored in [pickle.loads(path.read_bytes())]
        for slot in stored["cards"]
        if slot[1:3] == ("h3", "%H:%M %Z")
    )
    fingerprint, html = stored["cards"][slot]
    stored["cards"][slot] = (fingerprint, html.replace("story-item", "story-item kept-card", 1))
    path.write_bytes(pickle.dumps(stored))
    write(site, pool[30])  # the newest story: every home page shifts by one
    invoke_build(site)
    home = _home_pages(site)
    assert len(home) >= 2
    assert "kept-card" in "".join(p.read_text(encoding="utf-8") for p in home.values())
    card = site.root / "theme" / "templates" / "partials" / "story_item.html"
    card.write_text(card.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    invoke_build(site)
    assert "kept-card" not in "".join(p.read_text(encoding="utf-8") for p in home.values())


def test_damaged_caches_and_manifest_mean_a_full_rebuild_with_warnings(tmp_path, pool):
    site = built(tmp_path, pool[:12])
    cache = site.root / "cache"
    damaged = [cache / "digest" / "tags.pickle", cache / "digest" / "pages.pickle"]
    damaged += sorted(cache.glob("*-Readers"))
    assert len(damaged) == 4
    for path in damaged:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    # A seed changed too, or `invoke build` would see nothing to do.
    write(site, corpus.edited(pool[3], random.Random(2)))
    result = site.invoke("build")
    assert result.returncode == 0, result.stderr
    log = " ".join((result.stdout + result.stderr).split())
    assert "tag cache" in log and "page manifest" in log and "content cache" in log
    assert site.tree() == cold_tree(site, tmp_path, "cold")
    again = site.build()  # the caches were rebuilt: no more warnings
    assert "WARNING" not in again.stdout + again.stderr


def test_invoke_build_and_a_plain_pelican_run_share_the_manifest(tmp_path, pool):
    site = built(tmp_path, pool[:8])
    pages = {p: p.stat().st_ino for p in site.output.rglob("*.html")}
    site.build("DIGEST_WORKERS=1")  # into output/ directly, other run settings
    assert {p: p.stat().st_ino for p in site.output.rglob("*.html")} == pages


def test_a_strict_build_links_the_unchanged_pages_too(tmp_path, pool):
    """`invoke build --strict` passes both its settings to Pelican (which keeps only
    the last ``-e``), so it too links the pages that did not change."""
    site = built(tmp_path, pool[:8])
    pages = {p: p.stat().st_ino for p in site.output.rglob("*.html")}
    write(site, corpus.edited(pool[2], random.Random(4)))
    result = site.invoke("build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    kept = [p for p, inode in pages.items() if p.exists() and p.stat().st_ino == inode]
    assert len(kept) > len(pages) / 2


def test_a_build_failing_late_leaves_the_live_site_untouched(tmp_path, pool):
    """The staging folder starts as hard links to the live site; a build that has
    already rewritten pages there and then fails changes no byte of the live site."""
    site = built(tmp_path, pool[:10])
    good = site.tree()
    inodes = {p: p.stat().st_ino for p in site.output.rglob("*") if p.is_file()}
    write(site, corpus.edited(pool[4], random.Random(3)))  # its story page will be rewritten
    template = site.root / "theme" / "templates" / "entity.html"  # rendered after the stories
    template.write_text(
        template.read_text().replace("{% block content %}", "{% block content %}{{ 1 // 0 }}")
    )
    result = site.invoke("build")
    assert result.returncode != 0 and "unchanged" in result.stderr
    assert site.tree() == good
    assert {p: p.stat().st_ino for p in site.output.rglob("*") if p.is_file()} == inodes
    assert not (site.root / "output.staging").exists()
    template.write_text(template.read_text().replace("{{ 1 // 0 }}", ""))
    invoke_build(site)
    assert site.tree() == cold_tree(site, tmp_path, "cold")


def test_a_build_on_every_core_equals_a_build_on_one(tmp_path, pool):
    """Seeds read and tagged, and posts converted, in worker processes (as for any
    large batch) give the very site one process gives. The feeds job hands the first
    build's feeds to a fresh process, and writes the rebuild's few itself."""
    sites = []
    for name, settings in (("one", "DIGEST_WORKERS=1"), ("all", "DIGEST_PARALLEL_MIN=1")):
        (tmp_path / name).mkdir()
        site = make_site(tmp_path / name, with_sample_seeds=False)
        corpus.write(pool[:25], site.seeds)
        workers = "DIGEST_WORKERS=2" if name == "all" else "DIGEST_WORKERS=1"
        site.build(settings, workers, "DIGEST_FEEDS_HANDOFF_MIN=10")
        sites.append(site)
    assert sites[0].tree() == sites[1].tree()
    assert sorted(p.name for p in sites[0].posts.iterdir()) == sorted(
        p.name for p in sites[1].posts.iterdir()
    )
    # A rebuild: the side job finds most feeds fresh and rewrites the edited story's;
    # the build records what it did exactly as the inline run does.
    for site, (name, settings) in zip(
        sites, (("one", "DIGEST_WORKERS=1"), ("all", "DIGEST_PARALLEL_MIN=1")), strict=True
    ):
        write(site, corpus.edited(pool[4], random.Random(3)))
        site.build(settings, "DIGEST_WORKERS=2" if name == "all" else "DIGEST_WORKERS=1")
    assert sites[0].tree() == sites[1].tree()
    # (Fingerprints differ: settings hold each project's own paths.)
    kept = [
        {key: [rel for rel, _, _ in entry[1]] for key, entry in manifest(site).items()}
        for site in sites
    ]
    assert kept[0] == kept[1]
    assert any(key.startswith("feed:") for key in kept[1])


def manifest(site: Site) -> dict:
    """The page manifest a build left: output -> (fingerprint, files with stats)."""
    stored = pickle.loads((site.root / "cache" / "digest" / "pages.pickle").read_bytes())
    return stored["entries"]


def _run_on_a_terminal(site: Site, env: dict[str, str]) -> str:
    """``invoke build`` with its output on a pseudo-terminal, as an editor sees it."""
    master, slave = os.openpty()
    args = [sys.executable, "-m", "invoke", "build"]
    proc = subprocess.Popen(args, cwd=site.root, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed: the build is over
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    assert proc.returncode == 0
    return b"".join(chunks).decode(errors="replace")


def test_progress_shows_on_a_terminal_and_stays_out_of_ci_logs(tmp_path, pool):
    (tmp_path / "site").mkdir()
    site = make_site(tmp_path / "site", with_sample_seeds=False)
    corpus.write(pool[:6], site.seeds)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"TERM": "xterm"}
    shown = " ".join(_run_on_a_terminal(site, env).split())
    assert "pages and feeds written" in shown and "unchanged" in shown
    corpus.write(pool[6:7], site.seeds)  # so that the next build has work to do
    quiet = " ".join(_run_on_a_terminal(site, env | {"CI": "true"}).split())
    assert "1 posts written" in quiet
    assert "pages and feeds written" not in quiet
    assert "pages and feeds written" not in site.build().stdout  # a pipe
