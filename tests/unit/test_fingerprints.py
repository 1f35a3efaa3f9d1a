"""Page fingerprints: values whose pages differ never share one; what a page does not
show (an entity's story count in a chip) does not count."""

from __future__ import annotations

import os
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from news_digest.incremental import Fingerprints, Manifest, Unknown, clone_previous
from news_digest.pages import Entity

PLAIN = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=5), st.dates().map(date.isoformat)
)
VALUES = st.recursive(
    PLAIN,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=12,
)


def _normal(value: object) -> object:
    """What a template sees of a value: tuples and lists read the same."""
    if isinstance(value, (list, tuple)):
        return ("seq", [_normal(v) for v in value])
    if isinstance(value, dict):
        return ("map", sorted((str(k), _normal(v)) for k, v in value.items()))
    return (type(value).__name__, value)


@given(VALUES, VALUES)
def test_different_values_different_fingerprints(a: object, b: object) -> None:
    prints = Fingerprints(b"site")
    same = prints.page("p", "t", {"x": a}) == prints.page("p", "t", {"x": b})
    assert same == (_normal(a) == _normal(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (["a", "b"], ["a b"]),
        ([["a"], "b"], [["a", "b"]]),
        ({"a": 1}, ["a", 1]),
        ([], {}),
        ("1", 1),
        ([None], [[]]),
        (date(2021, 1, 2), "2021-01-02"),
    ],
)
def test_nesting_is_never_ambiguous(a: object, b: object) -> None:
    prints = Fingerprints(b"site")
    assert prints.page("p", "t", {"x": a}) != prints.page("p", "t", {"x": b})


def _entity(count: int, name: str = "Ann Lee") -> Entity:
    return Entity(
        path="people/ann-lee",
        name=name,
        type="person",
        slug="ann-lee",
        url="people/ann-lee/",
        save_as="people/ann-lee/index.html",
        articles=[object()] * count,
    )


def test_a_chip_is_its_name_type_and_link_only() -> None:
    prints = Fingerprints(b"site")
    assert prints.page("p", "t", {"chips": [_entity(1)]}) == Fingerprints(b"site").page(
        "p", "t", {"chips": [_entity(5)]}
    )
    assert prints.page("p", "t", {"chips": [_entity(1)]}) != Fingerprints(b"site").page(
        "p", "t", {"chips": [_entity(1, "Ann B. Lee")]}
    )
    # On its own page, the entity's story count shows.
    assert prints.page("p", "t", {"entity": _entity(1)}) != Fingerprints(b"site").page(
        "p", "t", {"entity": _entity(2)}
    )


def test_the_site_key_and_the_page_count() -> None:
    assert Fingerprints(b"a").page("p", "t", {}) != Fingerprints(b"b").page("p", "t", {})
    prints = Fingerprints(b"a")
    assert prints.page("p", "t", {}) != prints.page("q", "t", {})
    assert prints.page("p", "t", {"x": 1}) != prints.page("p", "t", {"y": 1})


def test_an_unknown_value_means_always_rendered() -> None:
    assert Fingerprints(b"a").page("p", "t", {"x": object()}) is None
    with pytest.raises(Unknown):
        Fingerprints(b"a").value(object())


def test_a_group_of_pages_is_fresh_only_when_each_page_stands(tmp_path) -> None:
    """A pagination found fresh at once carries every page over; one page changed,
    gone or not recorded in the output means the pages are looked at one by one."""
    last = Manifest({})
    pages = ["e/index.html", "e/page/2/index.html", "e/page/3/index.html"]
    for number, rel in enumerate(pages):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"page {number}")
        last.record(rel, bytes([number]) * 16, [rel], tmp_path)
    last.record_group("e/index.html", b"whole", pages)

    def next_build() -> Manifest:
        return Manifest(last.current, previous_groups=last.groups)

    manifest = next_build()
    assert manifest.fresh_group("e/index.html", b"other", tmp_path) is None
    assert manifest.fresh_group("f/index.html", b"whole", tmp_path) is None
    assert manifest.current == {} and manifest.groups == {}
    assert manifest.fresh_group("e/index.html", b"whole", tmp_path) == pages
    assert manifest.current == last.current and manifest.groups == last.groups
    assert manifest.skipped == 3 and manifest.stale() == []

    unrecorded = {k: v for k, v in last.current.items() if k != pages[1]}
    manifest = Manifest(unrecorded, previous_groups=last.groups)
    assert manifest.fresh_group("e/index.html", b"whole", tmp_path) is None
    assert next_build().fresh_group("e/index.html", b"whole", tmp_path) == pages
    (tmp_path / pages[2]).write_text("edited by hand")
    assert next_build().fresh_group("e/index.html", b"whole", tmp_path) is None
    (tmp_path / pages[2]).unlink()
    assert next_build().fresh_group("e/index.html", b"whole", tmp_path) is None


def test_the_staging_folder_becomes_the_live_sites_outputs(tmp_path) -> None:
    """Empty or holding an older site, the staging folder ends with exactly the last
    build's outputs, each the live site's very file; only those that differed are
    linked again."""
    live, staging = tmp_path / "output", tmp_path / "output.staging"
    outputs = ["index.html", "s/a/index.html", "s/b/index.html", "feeds/all.xml"]
    for rel in [*outputs, "theme/site.css"]:  # a static file: not an output
        (live / rel).parent.mkdir(parents=True, exist_ok=True)
        (live / rel).write_text(f"live {rel}")
    last = Manifest({})
    for rel in [*outputs, "s/gone/index.html"]:  # gone: deleted from the live site
        last.current[rel] = (b"x", ((rel, 0, 0),))
    manifest = Manifest(last.current)

    assert clone_previous(manifest, live, staging) == 4  # into a new folder

    older = tmp_path / "older"
    staging.rename(older)
    (older / "s" / "b" / "index.html").unlink()
    (older / "s" / "b" / "index.html").write_text("an older page")
    (older / "feeds" / "all.xml").unlink()
    (older / "s" / "old" / "deep").mkdir(parents=True)
    (older / "s" / "old" / "deep" / "index.html").write_text("no longer made")
    (older / "s" / "gone").mkdir()
    (older / "s" / "gone" / "index.html").write_text("gone from the live site")
    (older / "theme").mkdir()
    # A static file, which Pelican copies in place: never a link to the live one.
    os.link(live / "theme" / "site.css", older / "theme" / "site.css")
    (older / "empty" / "since" / "a crash").mkdir(parents=True)
    (older / "s" / "a" / "index.html").unlink()  # a folder where a page goes
    (older / "s" / "a" / "index.html" / "x").mkdir(parents=True)
    older.rename(staging)

    assert clone_previous(manifest, live, staging) == 3  # s/a, s/b and the feed
    held = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*"))
    assert held == [
        "feeds",
        "feeds/all.xml",
        "index.html",
        "s",
        "s/a",
        "s/a/index.html",
        "s/b",
        "s/b/index.html",
    ]
    for rel in outputs:
        assert (staging / rel).stat().st_ino == (live / rel).stat().st_ino
    assert (live / "s" / "b" / "index.html").read_text() == "live s/b/index.html"
    assert (live / "theme" / "site.css").read_text() == "live theme/site.css"
    # Never when one folder holds the other: nothing is linked, nothing deleted.
    assert clone_previous(manifest, live, live) == 0
    assert clone_previous(manifest, live, live / "s") == 0
    assert clone_previous(manifest, staging / "s", staging) == 0
    assert (live / "s" / "a" / "index.html").exists()
    assert (staging / "s" / "a" / "index.html").exists()
