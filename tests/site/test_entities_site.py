"""Entities in a built site: front matter, tag pages, api/stories.json, editors' control."""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import urlparse

from bs4 import BeautifulSoup
from shipped_seed import ORGANIZATIONS, PEOPLE, PLACES, SEED_POST
from sitebuild import visible_name


def front_matter(path) -> dict[str, str]:
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def stories(site) -> list[dict]:
    return json.loads(site.page("api/stories.json"))


def local(site, url: str):
    """The output file a site URL points to."""
    path = urlparse(url).path.lstrip("/")
    target = site.output / path
    return target / "index.html" if path.endswith("/") or not path else target


def test_shipped_seed_front_matter_lists_its_entities_by_type(built_sample):
    meta = front_matter(built_sample.posts / f"{SEED_POST}.md")
    assert set(meta["People"].split("; ")) == PEOPLE
    assert set(meta["Places"].split("; ")) == PLACES
    assert set(meta["Organizations"].split("; ")) == ORGANIZATIONS
    for bad in ("State", "Friday", "Meanwhile"):
        assert bad not in re.split(
            r"; ", meta["People"] + "; " + meta["Places"] + "; " + meta["Organizations"]
        )


def test_stories_json_schema(built_sample):
    data = stories(built_sample)
    assert isinstance(data, list) and len(data) == 15
    dates = [datetime.fromisoformat(s["date"]) for s in data]
    assert dates == sorted(dates, reverse=True)
    seeds = {
        p.relative_to(built_sample.seeds).as_posix()
        for p in built_sample.seeds.iterdir()
        if not p.name.endswith(".meta.toml")
    }
    for story in data:
        assert set(story) == {
            "slug",
            "url",
            "title",
            "date",
            "source",
            "seed",
            "entities",
            "related",
            "cluster",
        }
        assert all(isinstance(r, str) for r in story["related"])
        assert story["seed"] in seeds
        assert local(built_sample, story["url"]).is_file()
        assert datetime.fromisoformat(story["date"]).tzinfo is not None
        for entity in story["entities"]:
            assert set(entity) == {"name", "type", "slug", "url", "salience", "mentions", "feeds"}
            assert set(entity["feeds"]) == {"rss", "atom"}
            assert all(local(built_sample, u).is_file() for u in entity["feeds"].values())
            assert entity["type"] in ("person", "place", "organization")
            assert 0 <= entity["salience"] <= 1
            assert entity["mentions"] and all(isinstance(m, str) for m in entity["mentions"])
            assert local(built_sample, entity["url"]).is_file(), entity["url"]
        saliences = [e["salience"] for e in story["entities"]]
        assert saliences == sorted(saliences, reverse=True)
    seed = next(s for s in data if s["slug"] == SEED_POST)
    assert seed["source"] == "Press TV" and seed["seed"] == "000_9086dd3709b1d972.txt"
    by_name = {e["name"]: e for e in seed["entities"]}
    assert by_name["Islamic State"]["mentions"] == ["Daesh"]
    assert {"US", "United States"} <= set(by_name["United States"]["mentions"])
    assert by_name["United States"]["slug"] == "united-states"


def test_every_entity_has_a_page_listing_exactly_its_stories(built_sample):
    data = stories(built_sample)
    carriers: dict[str, set[str]] = {}
    for story in data:
        for entity in story["entities"]:
            carriers.setdefault(entity["url"], set()).add(story["title"])
    for url, titles in carriers.items():
        soup = BeautifulSoup(local(built_sample, url).read_text(encoding="utf-8"), "html.parser")
        listed = {a.get_text(strip=True) for a in soup.select("main .story-item .story-title a")}
        assert listed == titles, url


def test_story_page_shows_its_salient_topics(built_sample):
    page = built_sample.page(f"stories/{SEED_POST}/index.html")
    soup = BeautifulSoup(page, "html.parser")
    chips = [visible_name(a) for a in soup.select(".story-topics a.chip")]
    assert "James Mattis" in chips and "Syria" in chips
    assert "Joe Votel" not in chips  # mentioned once, late: in the data, not shown
    assert len(chips) <= 8


def test_editor_deleting_an_entity_keeps_that_edit(sample_site):
    sample_site.build()
    post = sample_site.posts / f"{SEED_POST}.md"
    text = post.read_text(encoding="utf-8")
    edited = text.replace("; Washington;", ";")
    assert edited != text
    post.write_text(edited, encoding="utf-8")
    sample_site.build()
    assert post.read_text(encoding="utf-8") == edited
    seed = next(s for s in stories(sample_site) if s["slug"] == SEED_POST)
    assert "Washington" not in {e["name"] for e in seed["entities"]}
    washington = sample_site.page("places/washington/index.html")
    assert "no military cooperation" not in washington


def test_vocabulary_change_retags_affected_stories(sample_site):
    sample_site.build()
    vocabulary = sample_site.root / "content" / "entities.toml"
    vocabulary.write_text(
        'blocked = ["Crimea"]\n\n[entities."Mike Pompeo"]\ndisplay = "Michael R. Pompeo"\n',
        encoding="utf-8",
    )
    sample_site.build()
    meta = front_matter(sample_site.posts / f"{SEED_POST}.md")
    assert "Crimea" not in meta["Places"]
    assert "Michael R. Pompeo" in meta["People"]
    for story in stories(sample_site):
        assert all(e["name"] != "Crimea" for e in story["entities"])
    pompeo = [
        e for s in stories(sample_site) for e in s["entities"] if e["name"] == "Michael R. Pompeo"
    ]
    assert pompeo and {e["slug"] for e in pompeo} == {"mike-pompeo"}  # slugs stay put
    assert not (sample_site.output / "places/crimea").exists()


def test_broken_vocabulary_is_a_warning_or_a_strict_failure(sample_site):
    (sample_site.root / "content" / "entities.toml").write_text("blocked = = 1\n", encoding="utf-8")
    result = sample_site.build()
    out = result.stdout + result.stderr
    assert "entities.toml" in out and "not valid TOML" in out
    assert (sample_site.output / f"stories/{SEED_POST}/index.html").exists()
    assert sample_site.build("DIGEST_STRICT=true", check=False).returncode != 0
