"""Cross-links in a built site: inline entity links, every link resolves, related
stories, entity pages and feeds, clusters, daily editions and sources."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import feedparser
from bs4 import BeautifulSoup
from news_digest.entities import load_lexicon, tag_corpus
from news_digest.seeds import find_seeds, read_seed
from news_digest.settings import DEFAULTS
from shipped_seed import SEED_POST


def soup_of(site, rel: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(rel), "html.parser")


def target(site, href: str):
    """The output file a site-relative or localhost URL points to, or None if external."""
    parsed = urlparse(href)
    if parsed.scheme in ("http", "https") and parsed.netloc != "localhost:8000":
        return None
    if parsed.scheme in ("mailto", "tel"):
        return None
    path = parsed.path
    if not path.startswith("/"):
        return "relative"
    file = site.output / path.lstrip("/")
    return file / "index.html" if path.endswith("/") else file


def test_every_internal_link_on_every_page_resolves(built_sample):
    broken, checked = [], 0
    for page in sorted(built_sample.output.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag):
                href = element.get(attr)
                if not href or href.startswith("#"):
                    continue
                file = target(built_sample, href)
                if file is None:
                    continue
                checked += 1
                if file == "relative" or not file.is_file():
                    broken.append((page.relative_to(built_sample.output).as_posix(), href))
    assert checked > 500
    assert broken == []


def test_first_mention_of_every_entity_links_to_its_page(built_sample):
    """The tagger's first body mention of each entity is the one link to its page."""
    settings = {**DEFAULTS}
    scan = find_seeds(built_sample.seeds, settings)
    seeds = [read_seed(built_sample.seeds, rel, settings) for rel in scan.seeds]
    tagged = tag_corpus(
        [(s.title, s.paragraphs) for s in seeds],
        load_lexicon((built_sample.root / "content" / "entities.toml").read_text(encoding="utf-8")),
    )
    index = {s["title"]: s for s in json.loads(built_sample.page("api/stories.json"))}
    for seed, entities in zip(seeds, tagged, strict=True):
        story = index[seed.title]
        soup = soup_of(built_sample, f"stories/{story['slug']}/index.html")
        body = soup.select_one(".story-body")
        links = body.find_all("a")
        assert not soup.select("h1 a")  # never in the headline
        assert not any(a.find_parent("a") for a in links)  # never inside another link
        paragraphs = body.find_all("p")
        expected = set()
        for entity in entities:
            if entity.first is None or entity.first.paragraph < 0:
                continue  # only in the headline: no link
            url = next(e["url"] for e in story["entities"] if e["name"] == entity.label)
            href = urlparse(url).path
            expected.add(href)
            linked = [a for a in links if a["href"] == href]
            assert len(linked) == 1, (story["slug"], entity.name)
            assert linked[0].get_text() == entity.first.surface
            assert linked[0].find_parent("p") is paragraphs[entity.first.paragraph]
            assert target(built_sample, href).is_file()
        assert {a["href"] for a in links} == expected


def test_related_stories_share_an_entity_and_are_deterministic(built_sample, sample_site):
    stories = {s["slug"]: s for s in json.loads(built_sample.page("api/stories.json"))}
    assert any(s["related"] for s in stories.values())
    for slug, story in stories.items():
        mine = {e["url"] for e in story["entities"]}
        assert len(story["related"]) <= 5
        assert slug not in story["related"]
        for other in story["related"]:
            assert mine & {e["url"] for e in stories[other]["entities"]}, (slug, other)
        page = soup_of(built_sample, f"stories/{slug}/index.html")
        shown = [a["href"] for a in page.select(".related a")]
        assert shown == [f"/stories/{r}/" for r in story["related"]]
    sample_site.build()
    again = {s["slug"]: s["related"] for s in json.loads(sample_site.page("api/stories.json"))}
    assert again == {slug: s["related"] for slug, s in stories.items()}


def test_entity_pages_and_feeds(built_sample):
    stories = json.loads(built_sample.page("api/stories.json"))
    by_url: dict[str, list[dict]] = {}
    for story in stories:  # newest first
        for entity in story["entities"]:
            by_url.setdefault(entity["url"], []).append(story)
    for url, carriers in by_url.items():
        path = urlparse(url).path.strip("/")
        soup = soup_of(built_sample, f"{path}/index.html")
        assert len(soup.find_all("h1")) == 1
        feeds = {link["type"]: link["href"] for link in soup.find_all("link", rel="alternate")}
        assert feeds["application/rss+xml"] == f"/{path}/rss.xml"
        assert f"/{path}/atom.xml" in {
            link["href"] for link in soup.find_all("link", rel="alternate")
        }
        for kind in ("rss", "atom"):
            parsed = feedparser.parse(built_sample.page(f"{path}/{kind}.xml"))
            assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
            assert [e.link for e in parsed.entries] == [s["url"] for s in carriers][:50]
    mattis = soup_of(built_sample, "people/james-mattis/index.html")
    assert mattis.h1.get_text(strip=True) == "James Mattis"
    assert (
        mattis.select_one("svg.mentions-chart title").get_text()
        == "Stories about James Mattis over time"
    )
    assert mattis.select(".appears-with a")


def test_entity_description_and_link_from_the_vocabulary(built_sample):
    soup = soup_of(built_sample, "organizations/islamic-state/index.html")
    assert "Jihadist militant group" in soup.select_one(".entity-description").get_text()
    link = soup.find("a", href="https://en.wikipedia.org/wiki/Islamic_State")
    assert link and "noopener" in link["rel"]


def test_entity_index_lists_every_entity_by_type_and_count(built_sample):
    stories = json.loads(built_sample.page("api/stories.json"))
    counts: dict[str, int] = {}
    for story in stories:
        for entity in story["entities"]:
            counts[urlparse(entity["url"]).path] = counts.get(urlparse(entity["url"]).path, 0) + 1
    soup = soup_of(built_sample, "topics/index.html")
    sections = soup.select("main section")
    assert [s.h2.get_text() for s in sections] == ["People", "Places", "Organisations"]
    listed = {}
    for section in sections:
        numbers = [int(c.get_text().split()[0]) for c in section.select(".count")]
        assert numbers == sorted(numbers, reverse=True)
        for li in section.select("li"):
            listed[li.a["href"]] = int(li.select_one(".count").get_text().split()[0])
    assert listed == counts


def test_daily_editions_and_sources(built_sample):
    edition = soup_of(built_sample, "archives/2018/07/25/index.html")
    titles = {a.get_text(strip=True) for a in edition.select(".story-item .story-title a")}
    assert "Trump and Juncker agree to work towards cutting EU–US tariffs" in titles
    assert "US will have no military cooperation with Russia in Syria: Mattis" in titles
    sources = soup_of(built_sample, "sources/index.html")
    names = [a.get_text(strip=True) for a in sources.select("main li a")]
    assert names == sorted(names, key=str.lower) and "Press TV" in names
    press_tv = soup_of(built_sample, "sources/press-tv/index.html")
    assert [a.get_text(strip=True) for a in press_tv.select(".story-item .story-title a")] == [
        "US will have no military cooperation with Russia in Syria: Mattis"
    ]


STORY = """Storm floods the port of Gdansk as Baltic gales hit Poland

A powerful storm flooded the port of Gdansk on Tuesday, forcing the evacuation of dockside warehouses as gales swept across the Baltic coast of Poland.

Emergency services in Gdansk said water rose more than a metre in parts of the harbour, and the Polish weather service warned of further gales overnight.

Ferries between Gdansk and Sweden were cancelled, and the port authority said work would resume once the water receded.

{source}
"""


def test_near_identical_reports_from_two_sources_form_one_cluster(site):
    site.write_seed("a.txt", STORY.format(source="World Desk"), "date = 2022-01-04T09:00:00Z\n")
    site.write_seed(
        "b.txt",
        STORY.format(source="Baltic Courier").replace("on Tuesday", "on Tuesday morning"),
        "date = 2022-01-04T11:00:00Z\n",
    )
    site.write_seed(
        "c.txt",
        "Chess champion wins in Oslo\n\nA Norwegian chess player won a tournament in Oslo.\n\nWorld Desk\n",
        "date = 2022-01-04T12:00:00Z\n",
    )
    site.build()
    stories = {s["slug"]: s for s in json.loads(site.page("api/stories.json"))}
    lead = "storm-floods-the-port-of-gdansk-as-baltic-gales-hit-poland"
    twin = lead + "-2"
    assert stories[lead]["cluster"] == lead and stories[twin]["cluster"] == lead
    assert stories["chess-champion-wins-in-oslo"]["cluster"] is None
    home = soup_of(site, "index.html")
    titles = [a.get_text(strip=True) for a in home.select(".story-item .story-title a")]
    assert titles.count("Storm floods the port of Gdansk as Baltic gales hit Poland") == 1
    also = home.select_one(".also-reported a")
    assert also.get_text() == "Baltic Courier" and also["href"] == f"/stories/{twin}/"
    for feed in ("feeds/rss.xml", "feeds/atom.xml", "places/gdansk/rss.xml"):
        parsed = feedparser.parse(site.page(feed))
        assert parsed.bozo == 0
        links = [e.link for e in parsed.entries]
        assert f"http://localhost:8000/stories/{twin}/" not in links
        if "gdansk" in feed:
            assert links == [f"http://localhost:8000/stories/{lead}/"]
    assert twin not in stories[lead]["related"]
    # The duplicate's own page still exists and points to the other report.
    twin_page = soup_of(site, f"stories/{twin}/index.html")
    assert twin_page.select_one(".also-reported a")["href"] == f"/stories/{lead}/"


def test_a_removed_entity_loses_its_inline_link(sample_site):
    sample_site.build()
    post = sample_site.posts / f"{SEED_POST}.md"
    text = post.read_text(encoding="utf-8")
    # Joe Votel is in no other story: deleting him leaves no page to link to.
    post.write_text(text.replace("; Joe Votel", ""), encoding="utf-8")
    sample_site.build()
    assert not (sample_site.output / "people/joe-votel").exists()
    body = soup_of(sample_site, f"stories/{SEED_POST}/index.html").select_one(".story-body")
    assert "General Joe Votel" in body.get_text()
    assert not body.find("a", href="/people/joe-votel/")
