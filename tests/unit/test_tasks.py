"""The up-to-date check of ``invoke build``: input files by their stat (as git's
index), racily clean ones by their bytes; output files by size and mtime."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tasks():
    spec = importlib.util.spec_from_file_location("digest_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def age(path: Path, seconds: int = 60) -> None:
    """Set a file's modification time back; its change time becomes now."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


def test_a_rewrite_that_keeps_size_and_mtime_still_shows(tasks, tmp_path, monkeypatch):
    story = tmp_path / "a" / "story.txt"
    story.parent.mkdir()
    story.write_text("one", encoding="utf-8")
    age(story)
    # No racy window: every file counts by its stat.
    monkeypatch.setattr(tasks.FILES, "RACY_NS", -(10**12))
    state = tasks._folder_state(tmp_path)
    assert state["racy"] == {}
    assert tasks._folder_state(tmp_path) == state
    mtime = story.stat().st_mtime_ns
    story.write_text("two", encoding="utf-8")
    os.utime(story, ns=(mtime, mtime))
    assert tasks._folder_state(tmp_path) != state


def test_a_racily_clean_file_counts_by_its_bytes(tasks, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("one", encoding="utf-8")
    state = tasks._folder_state(tmp_path)  # just written: racy
    assert list(state["racy"]) == ["story.txt"]
    # Compared by bytes while it is racy in the record, even once it has settled.
    age(story)
    assert tasks._folder_state(tmp_path, state["racy"]) == state
    st = story.stat()
    story.write_text("two", encoding="utf-8")
    os.utime(story, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert tasks._folder_state(tmp_path, state["racy"]) != state
    # A new file, an added folder's file, a removed file: all show.
    story.write_text("one", encoding="utf-8")
    assert tasks._folder_state(tmp_path, state["racy"]) == state
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "more.txt").write_text("x", encoding="utf-8")
    assert tasks._folder_state(tmp_path, state["racy"]) != state
    (tmp_path / "sub" / "more.txt").unlink()
    assert tasks._folder_state(tmp_path, state["racy"]) == state
    story.unlink()
    assert tasks._folder_state(tmp_path, state["racy"]) != state


def test_output_state_sees_files_and_folders_not_links(tasks, tmp_path):
    page = tmp_path / "out" / "index.html"
    page.parent.mkdir()
    page.write_text("<p>hi</p>", encoding="utf-8")
    state = tasks._output_state(tmp_path)
    os.link(page, tmp_path / "elsewhere.html")  # changes the page's ctime only
    (tmp_path / "elsewhere.html").unlink()
    assert tasks._output_state(tmp_path) == state
    (tmp_path / "empty").mkdir()
    assert tasks._output_state(tmp_path) != state
    (tmp_path / "empty").rmdir()
    page.write_text("<p>ho</p>", encoding="utf-8")
    os.utime(page, ns=(0, 0))
    assert tasks._output_state(tmp_path) != state


def test_output_state_is_the_same_listed_on_one_core_or_several(tasks, tmp_path, monkeypatch):
    """Each top-level folder is listed on its own process: the digest is still that of
    one walk (files, folders, followed file links, no linked folders), whatever the
    number of cores."""
    out = tmp_path / "out"
    for rel in ("index.html", "a/index.html", "a/b/c.xml", "z/index.html", "m.txt"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(rel, encoding="utf-8")
    (out / "empty").mkdir()
    (out / "linked").symlink_to(out / "a", target_is_directory=True)  # not entered
    (out / "page.html").symlink_to(out / "m.txt")  # followed
    (out / "gone.html").symlink_to(out / "nothing")  # dangling: skipped
    (out / "a" / "gone.html").symlink_to(out / "nothing")
    lines = "".join(
        f"{rel}\n" if st is None else f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n"
        for rel, st in tasks._tree(out)
    )
    assert "a/b/c.xml" in lines and "page.html" in lines and "linked" not in lines
    one_walk = tasks.hashlib.blake2b(lines.encode(), digest_size=20).hexdigest()
    assert tasks._output_state(out) == one_walk
    monkeypatch.setattr(tasks.os, "cpu_count", lambda: 2)

    def no_shared_memory(method: str):
        raise OSError("no /dev/shm")

    monkeypatch.setattr(tasks.multiprocessing, "get_context", no_shared_memory)
    assert tasks._output_state(out) == one_walk
    monkeypatch.setattr(tasks.os, "cpu_count", lambda: 1)
    assert tasks._output_state(out) == one_walk
    assert tasks._output_state(tmp_path / "missing") == tasks._output_state(out / "empty")


def test_the_check_hands_the_build_the_inputs_it_found(tasks, tmp_path, monkeypatch):
    """When something changed, the build records the inputs the check just walked,
    unless a racily clean file made that walk differ from a fresh one."""
    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    monkeypatch.setattr(tasks, "LAST_BUILD", tmp_path / "cache" / "last-build.json")
    racy_ns = tasks.FILES.RACY_NS
    monkeypatch.setattr(tasks.FILES, "RACY_NS", -(10**12))  # no racy window at first
    for name in tasks.INPUTS:
        (tmp_path / name).mkdir()
        (tmp_path / name / "file.txt").write_text(name, encoding="utf-8")
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<p>site</p>", encoding="utf-8")

    def record() -> None:
        state = {"inputs": tasks._inputs_state("s", []), "output": tasks._output_state(output)}
        tasks.LAST_BUILD.parent.mkdir(exist_ok=True)
        tasks.LAST_BUILD.write_text(json.dumps(state), encoding="utf-8")

    record()
    assert tasks._up_to_date("s", [], output) == (True, None)
    (tmp_path / "seeds" / "file.txt").write_text("edited seed", encoding="utf-8")
    fresh, inputs = tasks._up_to_date("s", [], output)
    assert not fresh and inputs == tasks._inputs_state("s", [])
    # Files written just now are racily clean: the check's walk is not a fresh one.
    monkeypatch.setattr(tasks.FILES, "RACY_NS", racy_ns)
    record()
    (tmp_path / "content" / "new.md").write_text("new", encoding="utf-8")
    assert tasks._up_to_date("s", [], output) == (False, None)
