"""The tag cache and parallel ingest: same results as reading afresh, damage survived."""

from __future__ import annotations

import logging
import os
import pickle

import pytest
from news_digest import ingest as ingest_module
from news_digest import tagcache
from news_digest.entities import finish_corpus, load_lexicon
from news_digest.ingest import ingest
from news_digest.settings import DEFAULTS

LEX = load_lexicon()

STORY = (
    "Merkel meets Macron in Paris\n\n"
    "German Chancellor Angela Merkel met French President Emmanuel Macron in Paris on "
    "Monday. Merkel said the European Union must act.\n\nReuters\n"
)


def write_seeds(root, count=6):
    for i in range(count):
        (root / f"s{i}.txt").write_text(STORY.replace("Monday", f"day {i}"), encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "skipped.txt").write_text(STORY, encoding="utf-8")
    (root / "skipped.txt.meta.toml").write_text("skip = true\n", encoding="utf-8")
    return sorted(p.name for p in root.iterdir() if not p.name.endswith(".toml"))


def entities_of(found):
    published = [s for s in found.seeds if not s.skip]
    return [(s.path, finish_corpus([found.analyses[s.path]], LEX)[0]) for s in published]


def test_cached_and_parallel_ingest_equal_a_fresh_serial_one(tmp_path):
    rels = write_seeds(tmp_path)
    fresh = ingest(str(tmp_path), rels, DEFAULTS, LEX, tagcache.TagCache("r", "v"), workers=1)
    assert fresh.fresh == len(rels)
    assert fresh.problems == [("empty.txt", "is empty")]
    assert [s.path for s in fresh.seeds if s.skip] == ["skipped.txt"]

    eager = {**DEFAULTS, "DIGEST_PARALLEL_MIN": 1}
    cache = tagcache.TagCache("r", "v")
    parallel = ingest(str(tmp_path), rels, eager, LEX, cache, workers=2)
    assert parallel.seeds == fresh.seeds and parallel.problems == fresh.problems
    assert entities_of(parallel) == entities_of(fresh)

    cached = ingest(str(tmp_path), rels, eager, LEX, cache, workers=2)
    assert cached.fresh == 0
    assert cached.seeds == fresh.seeds and entities_of(cached) == entities_of(fresh)


def test_an_edited_seed_is_read_again_and_a_removed_one_forgotten(tmp_path):
    rels = write_seeds(tmp_path)
    cache = tagcache.TagCache("r", "v")
    ingest(str(tmp_path), rels, DEFAULTS, LEX, cache)
    (tmp_path / "s0.txt").write_text(STORY.replace("Paris", "Berlin"), encoding="utf-8")
    (tmp_path / "s1.txt").unlink()
    rels.remove("s1.txt")
    again = ingest(str(tmp_path), rels, DEFAULTS, LEX, cache)
    assert again.fresh == 1
    assert next(s for s in again.seeds if s.path == "s0.txt").title.endswith("Berlin")
    assert len(cache.seeds) == len(rels)


def test_a_seed_whose_stat_is_unchanged_is_not_read_for_its_key(tmp_path, monkeypatch):
    """Seeds are found in the cache by their stat (as git's index); an edit shows
    even when it keeps the size and puts the modification time back."""
    rels = write_seeds(tmp_path)
    cache = tagcache.TagCache("r", "v")
    ingest(str(tmp_path), rels, DEFAULTS, LEX, cache)
    assert cache.stats == {}  # just written: too recent to trust a stat
    monkeypatch.setattr("news_digest.files.RACY_NS", 0)  # as if some seconds had passed
    ingest(str(tmp_path), rels, DEFAULTS, LEX, cache)
    assert sorted(cache.stats) == rels
    hashed = []
    real = ingest_module.seed_key
    monkeypatch.setattr(
        ingest_module, "seed_key", lambda rel, *a: hashed.append(rel) or real(rel, *a)
    )
    again = ingest(str(tmp_path), rels, DEFAULTS, LEX, cache)
    assert hashed == [] and again.fresh == 0
    sidecar = tmp_path / "skipped.txt.meta.toml"
    st = sidecar.stat()
    sidecar.write_text("skip = false", encoding="utf-8")  # as long as "skip = true\n"
    os.utime(sidecar, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert sidecar.stat().st_size == st.st_size
    third = ingest(str(tmp_path), rels, DEFAULTS, LEX, cache)
    assert hashed == ["skipped.txt"]
    assert not next(s for s in third.seeds if s.path == "skipped.txt").skip


def test_the_cache_survives_a_round_trip_and_drops_what_a_new_version_voids(tmp_path):
    rels = write_seeds(tmp_path)
    path = tmp_path / "cache" / "tags.pickle"
    cache = tagcache.TagCache("r1", "v1")
    ingest(str(tmp_path), rels, DEFAULTS, LEX, cache)
    cache.posts = {"render key": "generator hash"}
    tagcache.save(cache, path)
    same = tagcache.load(path, "r1", "v1")
    assert same.seeds == cache.seeds and same.analyses == cache.analyses and not same.changed
    assert same.posts == cache.posts
    new_vocabulary = tagcache.load(path, "r1", "v2")
    assert new_vocabulary.seeds == cache.seeds and new_vocabulary.analyses == {}
    assert new_vocabulary.posts == cache.posts  # a post's key holds its entities
    new_reader = tagcache.load(path, "r2", "v1")
    assert new_reader.seeds == {} and new_reader.analyses == {}
    assert new_reader.posts == {}  # a post's key holds its seed by the hash of its bytes


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated mid-write
        lambda data: b"",
        lambda data: b"\x00garbage" * 100,
        lambda data: pickle.dumps(["not", "a", "cache"]),
        lambda data: pickle.dumps({"format": tagcache.FORMAT, "seeds": 1, "analyses": 2}),
    ],
)
def test_a_damaged_cache_warns_and_starts_empty(tmp_path, caplog, damage):
    rels = write_seeds(tmp_path)
    path = tmp_path / "tags.pickle"
    cache = tagcache.TagCache("r", "v")
    ingest(str(tmp_path), rels, DEFAULTS, LEX, cache)
    tagcache.save(cache, path)
    path.write_bytes(damage(path.read_bytes()))
    with caplog.at_level(logging.WARNING):
        loaded = tagcache.load(path, "r", "v")
    assert loaded.seeds == {} and loaded.changed
    assert "tag cache" in caplog.text and str(path) in caplog.text
    again = ingest(str(tmp_path), rels, DEFAULTS, LEX, loaded)
    assert again.fresh == len(rels)


def test_versions_change_with_the_vocabulary_and_reader_settings():
    assert tagcache.vocabulary_version("") == tagcache.vocabulary_version("")
    assert tagcache.vocabulary_version("") != tagcache.vocabulary_version("[aliases]\n")
    bigger = {**DEFAULTS, "DIGEST_MAX_SEED_BYTES": 1}
    assert tagcache.reader_version(DEFAULTS) != tagcache.reader_version(bigger)
