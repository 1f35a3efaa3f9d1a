"""The shipped sample seeds, built into a real site: pages, sources, paragraphs, feeds."""

from __future__ import annotations

from datetime import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup

# Hand-checked against the seed files: headline, source, paragraph count, the
# start of the first and last paragraphs.
GOLD = {
    "000_9086dd3709b1d972.txt": (
        "US will have no military cooperation with Russia in Syria: Mattis",
        "Press TV",
        12,
        "Defense Secretary James Mattis says",
        "Crimea decided to join Russia",
    ),
    "2018-07-06-nassib-crossing.txt": (
        "Syrian government forces retake Nassib border crossing with Jordan",
        "World Desk",
        5,
        "Syrian government forces took control",
        "Jordan kept its border closed",
    ),
    "2018-07-11-nato-summit-brussels.txt": (
        "Trump presses NATO allies on defence spending at Brussels summit",
        "Digest Wire",
        5,
        "Leaders of NATO's 29 member states",
        "NATO Secretary General Jens Stoltenberg",
    ),
    "2018-07-12-daraa-flag.txt": (
        "Government flag raised in Daraa, where Syria's uprising began",
        "Baltic Courier",
        5,
        "Syrian government forces raised the national flag",
        "Russia's military has supported",
    ),
    "2018-07-13-gru-indictment.txt": (
        "US indicts 12 Russian intelligence officers over 2016 election hacking",
        "World Desk",
        5,
        "A federal grand jury",
        "The announcement came three days",
    ),
    "2018-07-13-trump-may-chequers.txt": (
        "Trump meets Theresa May at Chequers and the Queen at Windsor",
        "Digest Wire",
        5,
        "US President Donald Trump held talks",
        "Tens of thousands of people marched",
    ),
    "2018-07-15-world-cup-final-moscow.html": (
        "France beat Croatia 4-2 to win World Cup final in Moscow",
        "Harbour Times",
        5,
        "France won the football World Cup",
        "Putin flew to Helsinki the next day",
    ),
    "2018-07-16-helsinki-summit.html": (
        "Trump and Putin hold first summit in Helsinki",
        "Capital Observer",
        5,
        "US President Donald Trump and Russian President Vladimir Putin held",
        "Putin said he and Trump had agreed",
    ),
    "2018-07-17-trump-misspoke.txt": (
        "Trump says he misspoke on Russian interference after Helsinki",
        "Digest Wire",
        5,
        "US President Donald Trump said on Tuesday",
        "Trump also said that the interference",
    ),
    "2018-07-19-putin-invited-washington.html": (
        "White House says Putin invited to Washington for autumn talks",
        "Northern Ledger",
        3,
        "President Donald Trump has asked",
        "Director of National Intelligence Dan Coats",
    ),
    "2018-07-20-russia-refugee-proposal.txt": (
        "Russia says it has sent US proposals on return of Syrian refugees",
        "Baltic Courier",
        4,
        "Russia's Defence Ministry said on Friday",
        "The United States has not publicly",
    ),
    "2018-07-22-white-helmets-evacuation.txt": (
        "Israel evacuates White Helmets rescuers from southern Syria",
        "World Desk",
        4,
        "Israel evacuated several hundred members",
        "The White Helmets, who rescue people",
    ),
    "2018-07-25-pompeo-senate-crimea.txt": (
        "Pompeo questioned by senators on Helsinki summit; US restates Crimea policy",
        "Digest Wire",
        4,
        "Secretary of State Mike Pompeo defended",
        "Committee chairman Bob Corker",
    ),
    "2018-07-25-sweida-attacks.html": (
        "Islamic State attacks kill more than 200 in Syria's Sweida province",
        "World Desk",
        4,
        "A series of suicide bombings",
        "It was one of the deadliest attacks",
    ),
    "2018-07-25-trump-juncker-trade.html": (
        "Trump and Juncker agree to work towards cutting EU–US tariffs",
        "Harbour Times",
        4,
        "US President Donald Trump and European Commission President Jean-Claude Juncker",
        "Trump had threatened to impose tariffs",
    ),
}


def story_pages(site) -> dict[str, BeautifulSoup]:
    """Story pages by headline."""
    pages = {}
    for path in sorted((site.output / "stories").glob("*/index.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        pages[soup.h1.get_text(strip=True)] = soup
    return pages


def test_gold_covers_every_shipped_seed(built_sample):
    seeds = sorted(
        p.relative_to(built_sample.seeds).as_posix()
        for p in built_sample.seeds.rglob("*")
        if p.is_file() and not p.name.endswith(".meta.toml")
    )
    assert seeds == sorted(GOLD)


@pytest.mark.parametrize("seed", sorted(GOLD))
def test_every_seed_has_a_story_page(built_sample, seed):
    title, source, count, first, last = GOLD[seed]
    pages = story_pages(built_sample)
    assert title in pages, f"no story page headed {title!r}"
    soup = pages[title]
    assert len(soup.find_all("h1")) == 1
    assert soup.select_one(".dateline .source").get_text(strip=True) == source
    paragraphs = [p.get_text() for p in soup.select(".story-body p")]
    assert len(paragraphs) == count
    assert paragraphs[0].startswith(first)
    assert paragraphs[-1].startswith(last)


def test_one_story_page_per_seed(built_sample):
    assert len(story_pages(built_sample)) == len(GOLD)


def test_scraping_residue_is_not_published(built_sample):
    residue = (
        "You might also like",
        "Advertisement",
        "Share this",
        "Read more",
        "newsletter",
        "cookies",
        "Most read",
        "Comments (12)",
        "More from Sport",
    )
    for path in built_sample.output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json"}:
            text = path.read_text(encoding="utf-8")
            for phrase in residue:
                assert phrase not in text, f"{phrase!r} in {path.relative_to(built_sample.output)}"


def test_shipped_seed_source_and_date_from_sidecar(built_sample):
    soup = story_pages(built_sample)[GOLD["000_9086dd3709b1d972.txt"][0]]
    assert soup.select_one(".dateline .source").get_text(strip=True) == "Press TV"
    assert soup.select_one(".dateline time")["datetime"] == "2018-07-25T12:00:00+00:00"


def test_html_seed_metadata(built_sample):
    soup = story_pages(built_sample)["Trump and Putin hold first summit in Helsinki"]
    link = soup.select_one(".dateline .source a")
    assert link["href"] == "https://www.example.org/world/helsinki-summit-trump-putin"
    assert "noopener" in link["rel"]
    assert soup.select_one(".dateline time")["datetime"] == "2018-07-16T18:40:00+03:00"
    assert soup.select_one(".byline").get_text(strip=True) == "Foreign Staff"


def test_home_lists_newest_first_with_source_date_and_lede(built_sample):
    soup = BeautifulSoup(built_sample.page("index.html"), "html.parser")
    items = soup.select("main .story-item")
    assert len(items) == len(GOLD)
    # Editions (days) newest first; in each, featured stories first, then newest first.
    editions = soup.select("main section.edition")
    days = [e.h2.get_text() for e in editions]
    assert days[0] == "Wednesday 25 July 2018" and len(days) == len(set(days))
    order = []
    for edition in editions:
        stories = edition.select(".story-item")
        featured = ["is-featured" in s["class"] for s in stories]
        assert featured == sorted(featured, reverse=True)
        dates = [datetime.fromisoformat(s.time["datetime"]) for s in stories]
        assert dates[sum(featured) :] == sorted(dates[sum(featured) :], reverse=True)
        order += dates
    assert [d.date() for d in order] == sorted((d.date() for d in order), reverse=True)
    first = items[0]
    assert (
        first.select_one(".story-title").get_text(strip=True)
        == "Trump and Juncker agree to work towards cutting EU–US tariffs"
    )
    assert first.select_one(".source").get_text(strip=True) == "Harbour Times"
    assert (
        first.select_one(".lede").get_text(strip=True).startswith("US President Donald Trump and")
    )


def test_every_page_has_feed_autodiscovery(built_sample):
    for path in built_sample.output.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        links = {(link["type"], link["href"]) for link in soup.find_all("link", rel="alternate")}
        assert ("application/rss+xml", "/feeds/rss.xml") in links, path
        assert ("application/atom+xml", "/feeds/atom.xml") in links, path


@pytest.mark.parametrize("feed", ["feeds/rss.xml", "feeds/atom.xml"])
def test_feeds_are_valid_and_ordered(built_sample, feed):
    parsed = feedparser.parse(built_sample.page(feed))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    entries = parsed.entries
    assert len(entries) == len(GOLD)
    dates = [e.published_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    stories = {soup.h1.get_text(strip=True) for soup in story_pages(built_sample).values()}
    assert {e.title for e in entries} == stories
    for entry in entries:
        assert entry.id == entry.link
        assert entry.link.startswith("http://localhost:8000/stories/")
        assert "<p>" in entry.content[0].value  # full HTML content
        assert entry.published.endswith(("+0000", "+00:00", "+0300", "+03:00"))
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [f"http://localhost:8000/{feed}"]


def test_rss_has_content_encoded_and_permalink_guid(built_sample):
    rss = built_sample.page("feeds/rss.xml")
    assert "<content:encoded>" in rss
    assert '<guid isPermaLink="true">' in rss
    assert "lastBuildDate>Wed, 25 Jul 2018 22:00:00 +0000<" in rss


def test_feed_max_items_keeps_the_newest(sample_site):
    sample_site.build("DIGEST_FEED_MAX_ITEMS=3")
    for feed in ("feeds/rss.xml", "feeds/atom.xml"):
        parsed = feedparser.parse(sample_site.page(feed))
        assert parsed.bozo == 0
        assert [e.title for e in parsed.entries] == [
            "Trump and Juncker agree to work towards cutting EU–US tariffs",
            "Islamic State attacks kill more than 200 in Syria's Sweida province",
            "Pompeo questioned by senators on Helsinki summit; US restates Crimea policy",
        ]


def test_featured_flag_and_editor_note(built_sample):
    posts = {p.name: p.read_text(encoding="utf-8") for p in built_sample.posts.glob("*.md")}
    assert "Featured: true" in posts["trump-and-putin-hold-first-summit-in-helsinki.md"]
    soup = story_pages(built_sample)[
        "Islamic State attacks kill more than 200 in Syria's Sweida province"
    ]
    assert "Casualty figures from Sweida rose" in soup.select_one(".editor-note").get_text()
