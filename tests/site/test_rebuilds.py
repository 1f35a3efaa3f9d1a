"""Rebuilding: byte-identical output, hand edits kept, removed seeds gone, stable dates."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup
from sitebuild import Site, make_site

STORY = "Ministers meet in Vienna to discuss gas supplies\n\nEnergy ministers met in Vienna on Monday.\n\nThey discussed supplies for the winter.\n\nWorld Desk\n"


def test_rebuilding_gives_byte_identical_output(sample_site, tmp_path_factory):
    sample_site.build()
    first = sample_site.tree()
    posts_before = {p.name: p.read_bytes() for p in sample_site.posts.glob("*.md")}
    sample_site.build()
    assert sample_site.tree() == first
    assert {p.name: p.read_bytes() for p in sample_site.posts.glob("*.md")} == posts_before
    # A fresh checkout of the same seeds builds the very same site.
    other = make_site(tmp_path_factory.mktemp("other"))
    other.build()
    assert other.tree() == first


def test_hand_edited_post_survives_rebuild(site):
    seed = site.write_seed("vienna.txt", STORY, "date = 2020-01-06T10:00:00Z\n")
    site.build()
    post = site.posts / "ministers-meet-in-vienna-to-discuss-gas-supplies.md"
    edited = post.read_text(encoding="utf-8").replace(
        "They discussed supplies for the winter.",
        "They discussed gas supplies for the coming winter.",
    )
    post.write_text(edited, encoding="utf-8")
    # The seed changes too: the hand edit still wins.
    seed.write_text(STORY.replace("Monday", "Tuesday"), encoding="utf-8")
    result = site.build()
    assert post.read_text(encoding="utf-8") == edited
    assert "hand-edited" in result.stdout + result.stderr
    page = site.page("stories/ministers-meet-in-vienna-to-discuss-gas-supplies/index.html")
    assert "They discussed gas supplies for the coming winter." in page
    # Removing the seed does not remove a hand-edited post either.
    seed.unlink()
    site.build()
    assert post.read_text(encoding="utf-8") == edited


def test_changed_seed_rewrites_its_post_and_unchanged_seed_does_not(site):
    seed = site.write_seed("vienna.txt", STORY, "date = 2020-01-06T10:00:00Z\n")
    site.write_seed(
        "other.txt", "Another headline here\n\nA paragraph of text.\n", "date = 2020-01-05\n"
    )
    site.build()
    post = site.posts / "ministers-meet-in-vienna-to-discuss-gas-supplies.md"
    other = site.posts / "another-headline-here.md"
    other_mtime = other.stat().st_mtime_ns
    seed.write_text(STORY.replace("Monday", "Tuesday"), encoding="utf-8")
    site.build()
    assert "Energy ministers met in Vienna on Tuesday." in post.read_text(encoding="utf-8")
    assert other.stat().st_mtime_ns == other_mtime


def test_removed_seed_disappears(site):
    site.write_seed("vienna.txt", STORY, "date = 2020-01-06T10:00:00Z\n")
    gone = site.write_seed(
        "gone.txt", "A story that will be withdrawn\n\nSome text.\n", "date = 2020-01-07\n"
    )
    site.build()
    assert (site.output / "stories/a-story-that-will-be-withdrawn/index.html").exists()
    gone.unlink()
    site.build()
    assert not (site.output / "stories/a-story-that-will-be-withdrawn/index.html").exists()
    assert not (site.posts / "a-story-that-will-be-withdrawn.md").exists()
    assert "withdrawn" not in site.page("index.html")
    titles = [e.title for e in feedparser.parse(site.page("feeds/rss.xml")).entries]
    assert titles == ["Ministers meet in Vienna to discuss gas supplies"]


def test_undated_seed_keeps_its_first_seen_date(site):
    site.write_seed("undated.txt", "A story with no date anywhere\n\nIt says nothing of when.\n")
    site.build()
    page = site.page("stories/a-story-with-no-date-anywhere/index.html")
    first = BeautifulSoup(page, "html.parser").select_one(".dateline time")["datetime"]
    ledger = json.loads((site.root / "content" / "first-seen.json").read_text(encoding="utf-8"))
    assert ledger["undated.txt"] == first
    # The seed changes, the posts folder is wiped: the date stays what it was.
    site.write_seed(
        "undated.txt", "A story with no date anywhere\n\nIt says nothing of when, still.\n"
    )
    for post in site.posts.glob("*.md"):
        post.unlink()
    site.build()
    page = site.page("stories/a-story-with-no-date-anywhere/index.html")
    assert BeautifulSoup(page, "html.parser").select_one(".dateline time")["datetime"] == first


def test_same_headline_gives_two_posts(site):
    site.write_seed(
        "a.txt", "Storm hits the coast\n\nFirst report of the storm.\n", "date = 2020-02-01\n"
    )
    site.write_seed(
        "b.txt", "Storm hits the coast\n\nSecond report of the storm.\n", "date = 2020-02-02\n"
    )
    site.build()
    assert sorted(p.name for p in site.posts.glob("*.md")) == [
        "storm-hits-the-coast-2.md",
        "storm-hits-the-coast.md",
    ]
    first = site.page("stories/storm-hits-the-coast/index.html")
    second = site.page("stories/storm-hits-the-coast-2/index.html")
    assert "First report" in first and "Second report" in second
    # Adding a third with the same headline never moves the existing two.
    site.write_seed("0.txt", "Storm hits the coast\n\nThird report.\n", "date = 2020-02-03\n")
    site.build()
    assert "First report" in site.page("stories/storm-hits-the-coast/index.html")
    assert "Second report" in site.page("stories/storm-hits-the-coast-2/index.html")
    assert "Third report" in site.page("stories/storm-hits-the-coast-3/index.html")


def test_skip_flag_unpublishes_and_featured_is_recorded(site):
    seed = site.write_seed("vienna.txt", STORY, "date = 2020-01-06T10:00:00Z\nfeatured = true\n")
    site.build()
    post = site.posts / "ministers-meet-in-vienna-to-discuss-gas-supplies.md"
    assert re.search(r"^Featured: true$", post.read_text(encoding="utf-8"), re.M)
    (seed.parent / "vienna.txt.meta.toml").write_text("skip = true\n", encoding="utf-8")
    site.build()
    assert not post.exists()
    assert not (site.output / "stories/ministers-meet-in-vienna-to-discuss-gas-supplies").exists()
    assert seed.read_text(encoding="utf-8") == STORY  # the seed itself is never touched


def test_invoke_build_is_atomic(site):
    site.write_seed("vienna.txt", STORY, "date = 2020-01-06T10:00:00Z\n")
    assert site.invoke("build").returncode == 0
    good = site.tree()
    assert "stories/ministers-meet-in-vienna-to-discuss-gas-supplies/index.html" in good
    # A build that fails midway (a template error, after some pages were written)...
    site.write_seed("other.txt", "Another story\n\nMore text.\n", "date = 2020-01-07\n")
    template = site.root / "theme" / "templates" / "article.html"
    broken = template.read_text().replace(
        "{% block content %}", "{% block content %}{{ 1 // article.title|length // 0 }}"
    )
    template.write_text(broken)  # ZeroDivisionError while rendering a story
    result = site.invoke("build")
    assert result.returncode != 0
    assert "unchanged" in result.stderr
    # ...leaves the last good site exactly as it was, and no staging folder behind.
    assert site.tree() == good
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith("output")) == ["output"]


def test_an_interrupted_build_never_replaces_the_site(site):
    site.write_seed("vienna.txt", STORY, "date = 2020-01-06T10:00:00Z\n")
    assert site.invoke("build").returncode == 0
    good = site.tree()
    # Pelican reports Ctrl-C and exits 0 from it: the build must still count as failed.
    site.write_seed("other.txt", "Another story\n\nMore text.\n", "date = 2020-01-07\n")
    settings = site.root / "pelicanconf.py"
    settings.write_text(
        settings.read_text() + "\nimport os, signal\nos.kill(os.getpid(), signal.SIGINT)\n"
    )
    result = site.invoke("build")
    assert result.returncode != 0
    assert "unchanged" in result.stderr
    assert site.tree() == good
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith("output")) == ["output"]


def test_a_hand_written_post_never_collides_with_a_seed(site):
    site.posts.mkdir(parents=True)
    (site.posts / "note.md").write_text(
        "Title: Ministers meet in Vienna to discuss gas supplies\nDate: 2020-01-05\n\nAn editor's own words.\n",
        encoding="utf-8",
    )
    site.write_seed("vienna.txt", STORY, "date = 2020-01-06T10:00:00Z\n")
    site.build()
    mine = site.page("stories/ministers-meet-in-vienna-to-discuss-gas-supplies/index.html")
    seeded = site.page("stories/ministers-meet-in-vienna-to-discuss-gas-supplies-2/index.html")
    assert "An editor's own words." in mine
    assert "Energy ministers met in Vienna" in seeded


def test_a_file_a_hand_written_post_links_is_published(site):
    """Pelican publishes the files a story links with {static} or {attach}, even
    outside STATIC_PATHS (the plugin only skips that scan for stories naming neither)."""
    site.posts.mkdir(parents=True)
    (site.root / "content" / "files").mkdir()
    (site.root / "content" / "files" / "chart.png").write_bytes(b"\x89PNG not really")
    (site.root / "content" / "files" / "report.txt").write_text("report", encoding="utf-8")
    (site.posts / "note.md").write_text(
        "Title: Charts of the week\nDate: 2020-01-05\n\n"
        "![Chart]({static}/files/chart.png) and [the report]({attach}/files/report.txt).\n",
        encoding="utf-8",
    )
    site.write_seed("vienna.txt", STORY, "date = 2020-01-06T10:00:00Z\n")
    site.build()
    assert (site.output / "files" / "chart.png").read_bytes() == b"\x89PNG not really"
    page = site.page("stories/charts-of-the-week/index.html")
    assert "{static}" not in page and "{attach}" not in page  # the links were resolved
    assert "files/chart.png" in page
    assert list(site.output.rglob("report.txt"))


def test_the_replaced_site_is_kept_for_the_next_build_to_start_from(site, tmp_path_factory):
    site.write_seed("vienna.txt", STORY, "date = 2020-01-06T10:00:00Z\n")
    assert site.invoke("build").returncode == 0
    site.write_seed("other.txt", "Another story\n\nMore text.\n", "date = 2020-01-07\n")
    assert site.invoke("build").returncode == 0
    kept = site.root / ".output.previous"
    assert (kept / "stories").is_dir()
    assert not list(site.root.glob(".output.old-*")) and not (site.root / "output.staging").exists()
    pages = {p: p.stat().st_ino for p in site.output.rglob("*.html")}
    # Whatever the kept site holds, the next site holds only what the build makes.
    (kept / "stray.html").write_text("not the site's", encoding="utf-8")
    (kept / "stories" / "stray").mkdir()
    (kept / "stories" / "stray" / "index.html").write_text("nor this", encoding="utf-8")
    (kept / "index.html").unlink()
    (kept / "index.html").write_text("an older home page", encoding="utf-8")
    site.write_seed("third.txt", "A third story\n\nMore text.\n", "date = 2020-01-08\n")
    assert site.invoke("build").returncode == 0
    assert not (site.output / "stray.html").exists()
    assert not (site.output / "stories" / "stray").exists()
    assert "an older home page" not in site.page("index.html")
    assert site.tree() == cold_tree(site, tmp_path_factory.mktemp("cold"))
    # The pages the new story does not change are the live site's files, linked.
    same = [p for p, inode in pages.items() if p.exists() and p.stat().st_ino == inode]
    assert len(same) > len(pages) / 2
    # With the live site deleted by hand, the kept site is not a starting point.
    shutil.rmtree(site.output)
    (kept / "stray.html").write_text("not the site's", encoding="utf-8")
    assert site.invoke("build").returncode == 0
    assert not (site.output / "stray.html").exists()
    assert site.tree() == cold_tree(site, tmp_path_factory.mktemp("cold"))
    # A leftover of a crash between the renames is deleted in the background.
    (site.root / ".output.old-1").mkdir()
    (site.root / ".output.old-1" / "index.html").write_text("old", encoding="utf-8")
    site.write_seed("fourth.txt", "A fourth story\n\nMore text.\n", "date = 2020-01-09\n")
    assert site.invoke("build").returncode == 0
    deadline = time.monotonic() + 60
    while list(site.root.glob(".output.old-*")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(site.root.glob(".output.old-*")) == []
    assert (site.output / "stories").is_dir()


def test_publishing_again_starts_from_the_kept_site(site, monkeypatch):
    """``invoke publish`` (publishconf.py, which asks Pelican to empty its output
    folder) builds from the kept site as ``invoke build`` does, and nothing else in
    the kept site reaches the published one."""
    monkeypatch.setenv("DIGEST_SITEURL", "https://news.example.org")
    site.write_seed("vienna.txt", STORY, "date = 2020-01-06T10:00:00Z\n")
    for day, name in enumerate(["other", "third", "fourth"], start=7):
        if (site.root / ".output.previous").is_dir():
            (site.root / ".output.previous" / "stray.html").write_text("?", encoding="utf-8")
        site.write_seed(
            f"{name}.txt", f"The {name} story\n\nMore text.\n", f"date = 2020-01-{day:02d}\n"
        )
        result = site.invoke("publish")
        assert result.returncode == 0, result.stdout + result.stderr
    assert (site.root / ".output.previous" / "stories").is_dir()
    assert "https://news.example.org/stories/the-fourth-story/" in site.page("index.html")
    assert not (site.output / "stray.html").exists()


def cold_tree(site: Site, where: Path) -> dict[str, str]:
    """The site a cold build of the same seeds and posts gives."""
    fresh = make_site(where, with_sample_seeds=False)
    shutil.rmtree(fresh.seeds)
    shutil.copytree(site.seeds, fresh.seeds)
    shutil.rmtree(fresh.root / "content")
    shutil.copytree(site.root / "content", fresh.root / "content")
    assert fresh.invoke("build").returncode == 0
    return fresh.tree()
