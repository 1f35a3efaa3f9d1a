"""Search over an archive of several years: one Pagefind bundle per year (or per run
of months, for a year over DIGEST_SEARCH_BUNDLE_MAX stories), merged by the search
page, so a search finds stories of every bundle."""

from __future__ import annotations

import gzip
import json

import pytest
from chromium import serve
from sitebuild import make_site

STORIES = {
    "2016/harbour.txt": (
        "2016-03-04T09:00:00Z",
        "Harbour pilots strike over night shifts in Rotterdam",
        "Harbour pilots in Rotterdam walked out on Friday over night shifts. "
        "The quokkaberry dispute left forty ships waiting outside the port.",
    ),
    "2019/orchard.txt": (
        "2019-09-10T09:00:00Z",
        "Orchard growers in Kent report a record apple harvest",
        "Growers across Kent picked a record apple harvest this autumn. "
        "A quokkaberry blight feared in spring never arrived, the growers said.",
    ),
}


@pytest.fixture(scope="module")
def years_site(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("years"))
    for name, (date, title, body) in STORIES.items():
        site.write_seed(name, f"{title}\n\n{body}\n", sidecar=f'date = {date}\nsource = "Wire"\n')
    site.build()
    return site


def test_one_search_bundle_per_year_of_stories(years_site):
    bundles = sorted(p.name for p in (years_site.output / "pagefind").iterdir())
    assert bundles == ["2016", "2018", "2019"]  # the sample seeds are from 2018
    pages = 0
    for year in bundles:
        entry = json.loads(years_site.page(f"pagefind/{year}/pagefind-entry.json"))
        pages += sum(language["page_count"] for language in entry["languages"].values())
    assert pages == len(list((years_site.output / "stories").iterdir()))


def search(browser, output, count: int) -> list[str]:
    """The titles the search page finds for "quokkaberry", once it shows ``count``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    with serve(output) as base:
        page.goto(base + "/search/?q=quokkaberry")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
        page.wait_for_function(
            f"document.querySelectorAll('.pagefind-ui__result-link').length >= {count}",
            timeout=15_000,
        )
        found = sorted(page.locator(".pagefind-ui__result-link").all_inner_texts())
    context.close()
    return found


def test_search_finds_stories_of_every_year(years_site, browser):
    assert search(browser, years_site.output, 2) == sorted(t for _, t, _ in STORIES.values())


def test_a_year_over_the_bundle_limit_is_split_by_months_and_still_searched(tmp_path, browser):
    site = make_site(tmp_path, with_sample_seeds=False)
    stories = {
        **STORIES,
        "2019/cider.txt": (
            "2019-11-20T09:00:00Z",
            "Cider makers in Kent press the late apples",
            "Cider makers pressed the late apples. No quokkaberry was found in the vats.",
        ),
    }
    for name, (date, title, body) in stories.items():
        site.write_seed(name, f"{title}\n\n{body}\n", sidecar=f'date = {date}\nsource = "Wire"\n')
    site.build("DIGEST_SEARCH_BUNDLE_MAX=1")
    bundles = sorted(p.name for p in (site.output / "pagefind").iterdir())
    assert bundles == ["2016", "2019-09", "2019-11"]
    assert search(browser, site.output, 3) == sorted(t for _, t, _ in stories.values())


def test_an_edited_story_indexes_its_year_only(tmp_path):
    site = make_site(tmp_path)
    for name, (date, title, body) in STORIES.items():
        site.write_seed(name, f"{title}\n\n{body}\n", sidecar=f'date = {date}\nsource = "Wire"\n')
    site.build()
    mirror = site.root / "cache" / "digest" / "search"
    bundles = {p.name: p for p in (site.output / "pagefind").iterdir()}
    inodes = {p: p.stat().st_ino for year in bundles.values() for p in year.rglob("*")}
    date, title, body = STORIES["2019/orchard.txt"]
    site.write_seed(
        "2019/orchard.txt",
        f"{title}\n\n{body} Pears fared worse.\n",
        sidecar=f'date = {date}\nsource = "Wire"\n',
    )
    site.build()
    again = {p: p.stat().st_ino for year in bundles.values() for p in year.rglob("*")}
    changed = {p.relative_to(site.output).parts[1] for p in inodes if again.get(p) != inodes[p]}
    assert changed == {"2019"}
    # Every year keeps its folder of pages for the next time it is indexed.
    assert sorted(p.name for p in mirror.iterdir()) == sorted(bundles)
    fragments = [p.read_bytes() for p in (bundles["2019"] / "fragment").iterdir()]
    assert any(b"Pears" in gzip.decompress(f) for f in fragments)
