"""The per-year search folders: hard links kept in step with the output."""

from __future__ import annotations

import os
from datetime import datetime

from news_digest.search import mirror_pages, shard_of


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


def test_a_story_belongs_to_the_bundle_of_its_year():
    assert shard_of(datetime(2019, 12, 31, 23, 59)) == "2019"
    assert shard_of(datetime(2020, 1, 1)) == "2020"
