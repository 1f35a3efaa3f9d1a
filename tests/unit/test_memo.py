"""Per-story values kept between builds by a digest of their text."""

from __future__ import annotations

import logging

from news_digest.crosslinks import signature
from news_digest.memo import Memo, load_memos, save_memos, value_bytes


def test_values_come_back_by_text_and_unused_ones_are_dropped(tmp_path):
    path = tmp_path / "memo.pickle"
    first = Memo()
    assert first.get("Harbour pilots strike in Rotterdam", signature) == signature(
        "Harbour pilots strike in Rotterdam"
    )
    first.get("A story that will go", len)
    save_memos({"signatures": first}, path)

    def never(text: str) -> int:
        raise AssertionError(f"computed again: {text}")

    again = load_memos(path)["signatures"]
    assert again.get("Harbour pilots strike in Rotterdam", never) == signature(
        "Harbour pilots strike in Rotterdam"
    )
    assert again.get("Harbour pilots strike in Antwerp", len) == len(
        "Harbour pilots strike in Antwerp"
    )  # another text: computed
    save_memos({"signatures": again}, path)
    assert len(load_memos(path)["signatures"].previous) == 2  # the unused one is gone


def test_a_damaged_memo_is_a_warning_and_a_fresh_start(tmp_path, caplog):
    path = tmp_path / "memo.pickle"
    save_memos({"words": Memo({b"k" * 16: 3})}, path)
    path.write_bytes(path.read_bytes()[:10])
    with caplog.at_level(logging.WARNING):
        assert load_memos(path) == {}
    assert "story memo" in caplog.text


def test_memos_of_other_plugin_code_are_dropped(tmp_path, monkeypatch):
    path = tmp_path / "memo.pickle"
    memo = Memo()
    memo.lookup(b"k" * 16, lambda: 3)
    save_memos({"words": memo}, path)
    assert load_memos(path)["words"].previous == {b"k" * 16: 3}
    monkeypatch.setattr("news_digest.memo.code_version", lambda: "another version")
    assert load_memos(path) == {}


def test_value_bytes_are_the_value_not_how_its_strings_are_shared():
    word = "".join(["per", "son"])
    shared = ("person", "person")
    apart = ("person", word)
    assert shared[0] is shared[1] and apart[0] is not apart[1]
    assert value_bytes(shared) == value_bytes(apart)
    assert value_bytes(("a", ("b",))) != value_bytes((("a", "b"),))
    assert value_bytes({"a": 1.0}) != value_bytes({"a": 1})


def test_lookup_all_computes_only_what_is_missing_and_keeps_it() -> None:
    memo = Memo({b"kept": "old"})
    asked = []

    def compute(positions: list[int]) -> list[str]:
        asked.append(positions)
        return [f"new {i}" for i in positions]

    values = memo.lookup_all([b"kept", b"new", None, b"kept"], compute)
    assert values == ["old", "new 1", "new 2", "old"]
    assert asked == [[1, 2]]
    assert memo.current == {b"kept": "old", b"new": "new 1"}  # None: computed, not kept
