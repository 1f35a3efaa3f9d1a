"""Every generated page is valid HTML (Nu HTML Checker) and carries what search
engines and link previews read: canonical URL, description, OpenGraph, Twitter
card, NewsArticle JSON-LD; plus sitemap and robots.txt."""

from __future__ import annotations

import json
import subprocess

from bs4 import BeautifulSoup
from jstools import VNU, require
from sitebuild import visible_name

SITE = "https://news.example.org"


def html_pages(site) -> list:
    return sorted(p for p in site.output.rglob("*.html") if "pagefind" not in p.parts)


def test_every_page_is_valid_html(built_sample):
    pages = html_pages(built_sample)
    assert len(pages) > 50
    result = subprocess.run(
        ["java", "-jar", str(require(VNU)), "--format", "json", "--errors-only", "--stdout"]
        + [str(p) for p in pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{m['url'].rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == []


def test_story_page_carries_news_article_json_ld_and_sharing_tags(sample_site):
    sample_site.build(f'SITEURL="{SITE}"')
    slug = "us-will-have-no-military-cooperation-with-russia-in-syria-mattis"
    soup = BeautifulSoup(sample_site.page(f"stories/{slug}/index.html"), "html.parser")
    url = f"{SITE}/stories/{slug}/"
    assert soup.select_one('link[rel="canonical"]')["href"] == url
    meta = {
        (m.get("property") or m.get("name")): m["content"]
        for m in soup.select("meta[content]")
        if m.get("property") or m.get("name")
    }
    assert meta["og:url"] == url and meta["og:type"] == "article"
    assert meta["og:title"] == soup.h1.get_text()
    assert meta["twitter:card"] == "summary"
    lede = soup.select_one(".story-body p").get_text()
    assert meta["description"].rstrip("…") in lede and 50 < len(meta["description"]) <= 160
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "NewsArticle" and data["url"] == url
    assert data["headline"] == soup.h1.get_text()
    assert data["datePublished"] == "2018-07-25T12:00:00+00:00"
    assert data["dateModified"] == data["datePublished"]
    assert data["publisher"] == {"@type": "Organization", "name": "The Digest", "url": f"{SITE}/"}
    about = {(a["@type"], a["name"], a["url"]) for a in data["about"]}
    assert ("Person", "James Mattis", f"{SITE}/people/james-mattis/") in about
    assert ("Place", "Syria", f"{SITE}/places/syria/") in about
    shown = {visible_name(a) for a in soup.select(".story-topics .chip")}
    assert {a["name"] for a in data["about"]} == shown


def test_json_ld_cannot_be_closed_by_a_headline(site):
    site.write_seed(
        "evil.txt",
        "Mayor </script><script>alert(1)</script> of Springfield & co resigns\n\n"
        "The mayor of Springfield resigned on Monday after a long dispute with the council.\n",
    )
    site.build()
    story = next(site.output.glob("stories/*/index.html"))
    soup = BeautifulSoup(story.read_text(encoding="utf-8"), "html.parser")
    blocks = soup.select('script[type="application/ld+json"]')
    assert len(blocks) == 1
    assert "</script>" in json.loads(blocks[0].string)["headline"]
    assert "<" not in blocks[0].string and "&" not in blocks[0].string


def test_sitemap_and_robots_list_the_site(sample_site):
    sample_site.build(f'SITEURL="{SITE}"')
    robots = sample_site.page("robots.txt")
    assert f"Sitemap: {SITE}/sitemap.txt" in robots.splitlines()
    urls = sample_site.page("sitemap.txt").split()
    assert urls == sorted(urls) and len(urls) == len(set(urls))
    assert all(u.startswith(f"{SITE}/") for u in urls)
    pages = {
        f"{SITE}/" + str(p.relative_to(sample_site.output)).removesuffix("index.html")
        for p in html_pages(sample_site)
    }
    assert set(urls) == pages - {f"{SITE}/search/"}
    assert f"{SITE}/people/james-mattis/" in urls and f"{SITE}/topics/" in urls


def test_every_page_has_one_h1_landmarks_and_a_canonical_link(built_sample):
    for path in html_pages(built_sample):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(built_sample.output)
        assert len(soup.find_all("h1")) == 1, where
        for landmark in ("header", "nav", "main", "footer"):
            assert soup.find(landmark), (where, landmark)
        assert soup.select_one('link[rel="canonical"]'), where
        assert soup.select_one('meta[name="description"]')["content"].strip(), where


def test_search_index_covers_every_story_and_can_be_turned_off(sample_site):
    sample_site.build()
    # The sample stories are all from 2018: one year, one bundle (see test_search_years).
    assert [p.name for p in (sample_site.output / "pagefind").iterdir()] == ["2018"]
    entry = json.loads(sample_site.page("pagefind/2018/pagefind-entry.json"))
    stories = len(list((sample_site.output / "stories").iterdir()))
    assert sum(language["page_count"] for language in entry["languages"].values()) == stories
    sample_site.build("DIGEST_SEARCH=false")
    assert not (sample_site.output / "pagefind").exists()
    home = BeautifulSoup(sample_site.page("index.html"), "html.parser")
    assert "Search" not in [a.get_text() for a in home.select("nav a")]
    search = BeautifulSoup(sample_site.page("search/index.html"), "html.parser")
    assert not search.find("script") and "turned off" in search.main.get_text()
