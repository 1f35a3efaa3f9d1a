"""Pelican's content cache is loaded only when whole and made with the same reader settings."""

from __future__ import annotations

import gzip
import logging
import pickle

from news_digest.contentcache import STAMP, check_content_cache


def settings(tmp_path, **extra):
    return {
        "CACHE_PATH": str(tmp_path / "cache"),
        "LOAD_CONTENT_CACHE": True,
        "GZIP_CACHE": True,
        "MARKDOWN": {"output_format": "html5"},
        "TIMEZONE": "UTC",
        **extra,
    }


def write_cache(tmp_path, name="ArticlesGenerator-Readers"):
    path = tmp_path / "cache" / name
    with gzip.open(path, "wb") as f:
        pickle.dump({"post.md": (b"stamp", ("<p>x</p>", {}))}, f)
    return path


def test_the_first_build_stamps_the_cache_and_the_next_keeps_it(tmp_path):
    assert check_content_cache(settings(tmp_path)) == []
    assert (tmp_path / "cache" / STAMP).is_file()
    cache = write_cache(tmp_path)
    assert check_content_cache(settings(tmp_path)) == []
    assert cache.is_file()


def test_other_reader_settings_empty_the_cache(tmp_path):
    check_content_cache(settings(tmp_path))
    cache = write_cache(tmp_path)
    assert check_content_cache(settings(tmp_path, TIMEZONE="Europe/Paris")) == [cache.name]
    assert not cache.exists()


def test_a_truncated_or_garbled_cache_is_removed_with_a_warning(tmp_path, caplog):
    check_content_cache(settings(tmp_path))
    truncated = write_cache(tmp_path)
    truncated.write_bytes(truncated.read_bytes()[:-12])
    garbled = write_cache(tmp_path, "PagesGenerator-Readers")
    garbled.write_bytes(b"not gzip at all")
    with caplog.at_level(logging.WARNING):
        removed = check_content_cache(settings(tmp_path))
    assert sorted(removed) == sorted([truncated.name, garbled.name])
    assert caplog.text.count("content cache") == 2 and "reading every post again" in caplog.text


def test_an_uncompressed_cache_cut_short_is_removed(tmp_path, caplog):
    plain = settings(tmp_path, GZIP_CACHE=False)
    check_content_cache(plain)
    path = tmp_path / "cache" / "ArticlesGenerator-Readers"
    whole = pickle.dumps({"post.md": (b"stamp", ("<p>x.</p>" * 50, {}))}, protocol=5)
    path.write_bytes(whole)
    assert check_content_cache(plain) == []
    path.write_bytes(whole[: len(whole) // 2])
    with caplog.at_level(logging.WARNING):
        assert check_content_cache(plain) == [path.name]
    assert "content cache" in caplog.text and not path.exists()


def test_nothing_happens_when_the_cache_is_not_loaded(tmp_path):
    assert check_content_cache(settings(tmp_path, LOAD_CONTENT_CACHE=False)) == []
    assert not (tmp_path / "cache").exists()
