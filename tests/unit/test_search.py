"""The search bundles: stories split by date within a bound, and their folders of
hard links kept in step with the output."""

from __future__ import annotations

import os
import time
from datetime import datetime

from news_digest.search import (
    finish_search_index,
    mirror_pages,
    search_bundles,
    start_search_index,
)


def _write(path, text: str) -> None:
    """As the build writes: a new file put in place by rename (a new inode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _files(root) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file()}


def test_mirror_follows_the_output(tmp_path):
    output, mirror = tmp_path / "output", tmp_path / "mirror"
    for slug in ("a", "b", "c"):
        _write(output / "stories" / slug / "index.html", f"story {slug}")
    _write(output / "index.html", "home")
    mirror_pages(output, mirror, ["stories/a/index.html", "stories/b/index.html"])
    assert _files(mirror) == {"stories/a/index.html": "story a", "stories/b/index.html": "story b"}
    assert (
        os.stat(mirror / "stories/a/index.html").st_ino
        == os.stat(output / "stories/a/index.html").st_ino
    )

    # b edited (replaced), a gone from this year, c added: the mirror follows.
    _write(output / "stories" / "b" / "index.html", "story b, edited")
    mirror_pages(output, mirror, ["stories/b/index.html", "stories/c/index.html"])
    assert _files(mirror) == {
        "stories/b/index.html": "story b, edited",
        "stories/c/index.html": "story c",
    }
    assert not (mirror / "stories" / "a").exists()  # emptied folders go too
    assert _files(output)["stories/a/index.html"] == "story a"  # the output is untouched
    # A story with no page written (nothing to index) is left out, not an error.
    mirror_pages(output, mirror, ["stories/c/index.html", "stories/none/index.html"])
    assert _files(mirror) == {"stories/c/index.html": "story c"}


def _dates(counts: dict[tuple[int, int], int]) -> list[datetime]:
    return [datetime(y, m, 1 + i % 28, i % 24) for (y, m), n in counts.items() for i in range(n)]


def _bundles(dates: list[datetime], limit: int) -> dict[str, list[datetime]]:
    return search_bundles(dates, limit, date=lambda d: d)


def test_a_year_within_the_limit_is_one_bundle():
    dates = _dates({(2019, 12): 3, (2020, 1): 2, (2020, 6): 4})
    bundles = _bundles(dates, limit=10)
    assert list(bundles) == ["2020", "2019"]  # newest first
    assert bundles["2020"] == sorted(bundles["2020"], reverse=True)
    assert sorted(d for found in bundles.values() for d in found) == sorted(dates)


def test_a_bigger_year_is_split_into_runs_of_months_within_the_limit():
    dates = _dates({(2021, 1): 3, (2021, 2): 4, (2021, 3): 2, (2021, 5): 9, (2021, 7): 1})
    bundles = _bundles(dates, limit=8)
    assert {name: len(found) for name, found in bundles.items()} == {
        "2021-07": 1,
        "2021-05": 9,  # a month over the limit is a bundle of its own
        "2021-03": 2,
        "2021-01": 7,
    }
    for found in bundles.values():
        assert found == sorted(found, reverse=True)


def test_stories_added_to_later_months_leave_the_earlier_bundles_as_they_are():
    counts = {(2022, m): 5 for m in range(1, 13)}
    before = _bundles(_dates(counts), limit=12)
    counts[(2022, 12)] += 3  # new stories arrive at the end of the year
    after = _bundles(_dates(counts), limit=12)
    changed = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
    assert changed == {"2022-11", "2022-12"}  # November's bundle split; January's to
    assert len(before) == 6  # September's kept their stories and names
    for limit in (1, 7, 60, 10_000):  # whatever the limit, no story lost or doubled
        found = [d for bundle in _bundles(_dates(counts), limit).values() for d in bundle]
        assert sorted(found) == sorted(_dates(counts))


def test_the_indexer_waits_for_the_pipes_it_is_given(tmp_path):
    """It starts once the feeds job is done (its done_fd), never beside it."""
    done_r, done_w = os.pipe()
    run = start_search_index(tmp_path, "pagefind", "*.html", {}, tmp_path / "m", [done_r])
    os.close(done_r)
    time.sleep(0.5)
    assert run.process.poll() is None, "it waits while the pipe is open"
    os.close(done_w)
    assert run.process.wait(timeout=60) == 0
    assert finish_search_index(run) is None
