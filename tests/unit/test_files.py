"""files.py: generated files and saved state are replaced only when their bytes change."""

from __future__ import annotations

import os
import pickle

import pytest
from news_digest.files import load_state, save_state, write_if_changed, write_parts_if_changed


def stamp(path):
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def test_parts_equal_to_the_file_leave_it_alone(tmp_path):
    path = tmp_path / "index.json"
    assert write_parts_if_changed(path, [b"[\n", b'{"a": 1}', b"\n]\n"])
    before = stamp(path)
    # The same bytes cut at other places: still the same file.
    assert not write_parts_if_changed(path, [b"[\n{", b'"a": 1}\n]', b"\n"])
    assert not write_if_changed(path, '[\n{"a": 1}\n]\n')
    assert stamp(path) == before


@pytest.mark.parametrize(
    "parts",
    [
        [b"[\n", b'{"a": 2}', b"\n]\n"],  # a byte differs
        [b"[\n", b'{"a": 1}', b"\n]"],  # the file is longer
        [b"[\n", b'{"a": 1}', b"\n]\n\n"],  # the file is shorter
        [],
    ],
)
def test_parts_that_differ_replace_the_file(tmp_path, parts):
    path = tmp_path / "index.json"
    path.write_bytes(b'[\n{"a": 1}\n]\n')
    assert write_parts_if_changed(path, parts)
    assert path.read_bytes() == b"".join(parts)
    assert [p.name for p in tmp_path.iterdir()] == ["index.json"]  # no temporary left


def test_parts_make_a_missing_folder(tmp_path):
    path = tmp_path / "api" / "stories.json"
    assert write_parts_if_changed(path, [b"[]\n"])
    assert path.read_bytes() == b"[]\n"


def test_saved_state_is_rewritten_only_when_it_changes(tmp_path):
    path = tmp_path / "cache" / "memo.pickle"
    state = {"format": 1, "memos": {"lines": {b"k": b"\xe2\x80\x99 line"}}}
    save_state(path, state, "memo")
    before = stamp(path)
    save_state(path, dict(state), "memo")
    assert stamp(path) == before
    assert load_state(path, 1, ("memos",), "memo", "again") == state
    save_state(path, {**state, "memos": {}}, "memo")
    assert stamp(path) != before
    assert pickle.loads(path.read_bytes())["memos"] == {}
    assert sorted(os.listdir(path.parent)) == ["memo.pickle"]


def test_state_that_cannot_be_saved_is_a_warning(tmp_path, caplog):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    save_state(blocker / "memo.pickle", {"format": 1}, "story memo")
    assert "story memo" in caplog.text and "not saved" in caplog.text


def test_state_of_the_same_size_saved_in_quick_succession_is_saved_each_time(tmp_path):
    """Same size, same second: only the bytes tell the saves apart."""
    path = tmp_path / "memo.pickle"
    for value in ("aaaa", "bbbb", "aaaa", "bbbb"):
        save_state(path, {"format": 1, "value": value}, "memo")
        assert load_state(path, 1, (), "memo", "again") == {"format": 1, "value": value}


def test_state_that_cannot_be_pickled_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "memo.pickle"
    save_state(path, {"format": 1}, "memo")
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        save_state(path, {"format": 1, "value": lambda: None}, "memo")
    assert sorted(os.listdir(tmp_path)) == ["memo.pickle"]
    assert load_state(path, 1, (), "memo", "again") == {"format": 1}


def test_cards_kept_by_an_older_version_come_back_as_markup(tmp_path):
    """Cards were once kept as plain strings; they are reused as Markup (one object
    in both caches), without a warning or a full re-render."""
    from markupsafe import Markup
    from news_digest.cards import FORMAT, Cards, _shard_of

    slot = ("stories/a/index.html", "h2", None, "")
    save_state(
        tmp_path / f"{_shard_of(slot):02d}.pickle",
        {"format": FORMAT, "cards": {slot: (b"fp", "<li>card</li>")}},
        "card cache",
    )
    kept = Cards(tmp_path).get(slot)
    assert kept == (b"fp", Markup("<li>card</li>")) and type(kept[1]) is Markup
