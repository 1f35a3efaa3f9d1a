"""Posts: Markdown escaping, slugs, hand-edit detection, syncing."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from html import unescape

import markdown
import news_digest.posts as posts_module
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from news_digest.forkmap import fork_map
from news_digest.posts import (
    escape_markdown,
    is_hand_edited,
    linked_paragraph,
    quote_path,
    read_entities,
    render_post,
    scan_posts,
    slug_base,
    sync_posts,
    unique_slug,
)
from news_digest.seeds import Seed, squash, strip_controls
from news_digest.settings import DEFAULTS

SETTINGS = {
    **DEFAULTS,
    "SLUG_REGEX_SUBSTITUTIONS": [
        (r"[^\w\s-]", ""),
        (r"(?u)\A\s*", ""),
        (r"(?u)\s*\Z", ""),
        (r"[-\s]+", "-"),
    ],
}
UTC = UTC


def render_body(escaped: str, extensions=("markdown.extensions.meta",)) -> str:
    """Render as Pelican does: front matter first, then the body paragraph."""
    return markdown.Markdown(extensions=list(extensions), output_format="html5").convert(
        "Title: t\n\n" + escaped
    )


def assert_literal(text: str, html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    assert [t.name for t in soup.find_all(True)] == ["p"]
    assert soup.p.get_text() == squash(text)


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "## also not",
        "- not a list",
        "+ nor this",
        "* nor this",
        "1986. Not a list",
        "3) not either",
        "> not a quote",
        "---",
        "***",
        "=== not setext",
        ": not a definition",
        "`code` and ``more``",
        "**bold** __bold__ *em* _em_",
        "[link](http://x) [ref][1] ![img](x.png) <http://auto.link> <b>tag</b> <!-- c -->",
        "&amp; &copy; &#x41; & AT&T",
        "{filename}/x.md {static}/y.png {tag}z |filename|x",
        "{{ SITENAME }} {% if x %}y{% endif %} {# c #}",
        "back\\slash \\* \\_ \\\\",
        "~~~ fenced ~~~ and ~~strike~~",
        "| a | b |",
        "a  b\tc",
        "*[HTML]: Hyper",
        "[^1]: note",
        "line ending with two spaces  ",
        "x {: .class} y",
        "$x^2$",
    ],
)
def test_escaped_text_renders_as_itself(text):
    assert_literal(text, render_body(escape_markdown(text)))


def test_escaped_text_stays_literal_even_with_markdown_extra():
    for text in (": a definition?", "~~~", "| a | b |", "*[HTML]: x", "text {: #id}", "[^1]"):
        assert_literal(
            text,
            render_body(
                escape_markdown(text), ("markdown.extensions.meta", "markdown.extensions.extra")
            ),
        )


printable = st.characters(blacklist_categories=("Cs", "Cc"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=printable, min_size=1, max_size=80).filter(lambda t: squash(t)))
def test_any_text_renders_as_itself(text):
    text = strip_controls(text)
    html = render_body(escape_markdown(text))
    soup = BeautifulSoup(html, "html.parser")
    assert [t.name for t in soup.find_all(True)] == ["p"]
    # Markdown normalises nothing else: the text comes back exactly.
    assert unescape(soup.p.decode_contents()) == squash(text)


def test_escaping_leaves_ordinary_prose_readable():
    prose = "Bashar al-Assad met officials in 2018. It was, they said (twice), a good meeting!"
    assert escape_markdown(prose) == prose


def test_slugs_are_pelicans_and_never_empty_or_huge():
    assert slug_base(
        "US will have no military cooperation with Russia in Syria: Mattis", SETTINGS
    ) == ("us-will-have-no-military-cooperation-with-russia-in-syria-mattis")
    assert slug_base("Путин и Трамп", SETTINGS) == "putin-i-tramp"
    assert slug_base("!!! ???", SETTINGS) == "story"
    long = slug_base("word " * 1000, SETTINGS)
    assert len(long) <= SETTINGS["DIGEST_SLUG_MAX_LENGTH"] and not long.endswith("-")
    assert unique_slug("a", {"a", "a-2"}) == "a-3"
    assert unique_slug("b", {"a"}) == "b"


def seed(path="a.txt", title="A headline", paragraphs=("One.", "Two."), **kw) -> Seed:
    return Seed(path=path, title=title, paragraphs=paragraphs, seed_hash="h-" + path, **kw)


def test_rendered_post_is_not_hand_edited_until_it_is_edited():
    text = render_post(seed(source="Press TV"), "a-headline", datetime(2018, 7, 25, tzinfo=UTC))
    assert not is_hand_edited(text)
    assert re.search(r"^Date: 2018-07-25T00:00:00\+00:00$", text, re.M)
    assert not is_hand_edited(text.replace("Two.", "Two.").replace("\n", "\n"))
    assert is_hand_edited(text.replace("Two.", "Two!"))
    assert is_hand_edited(text.replace("Source: Press TV\n", ""))
    assert is_hand_edited(re.sub(r"Generator_hash: .*\n", "", text))


def test_front_matter_values_are_single_lines():
    text = render_post(
        seed(title="Head\nline", note="note\nwith\nlines"), "s", datetime(2018, 1, 1, tzinfo=UTC)
    )
    head = text.split("\n\n")[0]
    assert "Title: Head line\n" in head and "Editor_note: note with lines\n" in head


def sync(tmp_path, seeds, unreadable=(), now=datetime(2030, 1, 1, tzinfo=UTC)):
    return sync_posts(
        seeds, list(unreadable), tmp_path / "posts", tmp_path / "ledger.json", now, UTC, SETTINGS
    )


def test_sync_writes_only_what_changed(tmp_path):
    report = sync(tmp_path, [seed("a.txt", "Alpha"), seed("b.txt", "Beta")])
    assert report.written == ["alpha.md", "beta.md"]
    report = sync(tmp_path, [seed("a.txt", "Alpha"), seed("b.txt", "Beta", ("Changed.",))])
    assert report.written == ["beta.md"] and report.unchanged == ["alpha.md"]


def test_sync_keeps_posts_of_unreadable_seeds_and_removes_posts_of_gone_ones(tmp_path):
    sync(tmp_path, [seed("a.txt", "Alpha"), seed("b.txt", "Beta")])
    report = sync(tmp_path, [], unreadable=["a.txt"])
    assert report.removed == ["beta.md"]
    assert sorted(p.name for p in (tmp_path / "posts").iterdir()) == ["alpha.md"]


def test_retitled_seed_moves_to_a_new_slug(tmp_path):
    sync(tmp_path, [seed("a.txt", "Alpha")])
    report = sync(tmp_path, [seed("a.txt", "Gamma")])
    assert report.removed == ["alpha.md"] and report.written == ["gamma.md"]


def test_editor_posts_without_a_seed_are_left_alone_and_reserve_their_slug(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "alpha.md").write_text("Title: Alpha\nSlug: alpha\n\nWritten by an editor.\n")
    sync(tmp_path, [seed("a.txt", "Alpha")])
    assert (
        posts / "alpha.md"
    ).read_text() == "Title: Alpha\nSlug: alpha\n\nWritten by an editor.\n"
    assert (posts / "alpha-2.md").exists()


def test_first_seen_date_is_recorded_once(tmp_path):
    sync(tmp_path, [seed("a.txt", "Alpha")], now=datetime(2030, 1, 1, tzinfo=UTC))
    sync(tmp_path, [seed("a.txt", "Alpha", ("New text.",))], now=datetime(2031, 1, 1, tzinfo=UTC))
    assert "Date: 2030-01-01T00:00:00+00:00" in (tmp_path / "posts" / "alpha.md").read_text()


def test_scan_reads_only_posts_whose_stat_changed(tmp_path, monkeypatch):
    """The posts scan remembers each post by size, times and inode (as git's index),
    so an unchanged post is not read again; a changed one always is."""
    sync(tmp_path, [seed("a.txt", "Alpha"), seed("b.txt", "Beta")])
    posts = tmp_path / "posts"
    known: dict = {}
    first = scan_posts(posts, known)
    # Just written: too recent to trust the stat (a second write in the same clock
    # tick would not show), so nothing is remembered yet.
    assert known == {}
    monkeypatch.setattr("news_digest.files.RACY_NS", 0)  # as if some seconds had passed
    scan_posts(posts, known)
    assert sorted(known) == ["alpha.md", "beta.md"]
    reads = []
    real = __import__("news_digest.posts", fromlist=["_read_post"])._read_post
    monkeypatch.setattr("news_digest.posts._read_post", lambda p: reads.append(p.name) or real(p))
    again = scan_posts(posts, known)
    assert reads == [] and again == first
    # A hand edit of the same size that puts the modification time back: its change
    # time (which no one can set) still shows it.
    alpha = posts / "alpha.md"
    st = alpha.stat()
    alpha.write_text(alpha.read_text().replace("One.", "Uno."))
    os.utime(alpha, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert alpha.stat().st_size == st.st_size
    edited = scan_posts(posts, known)
    assert reads == ["alpha.md"]
    assert [p.hand_edited for p in edited] == [True, False]


def test_damaged_ledger_falls_back_to_the_posts_dates(tmp_path, caplog):
    sync(tmp_path, [seed("a.txt", "Alpha")], now=datetime(2030, 1, 1, tzinfo=UTC))
    (tmp_path / "ledger.json").write_text("{truncated")
    sync(tmp_path, [seed("a.txt", "Alpha", ("New.",))], now=datetime(2031, 1, 1, tzinfo=UTC))
    assert "Date: 2030-01-01T00:00:00+00:00" in (tmp_path / "posts" / "alpha.md").read_text()
    assert "ledger" in caplog.text


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=printable, min_size=2, max_size=60).filter(
        lambda t: squash(t) == t and len(t) > 1
    ),
    st.data(),
)
def test_links_never_change_the_text_or_add_structure(text, data):
    text = strip_controls(text)
    if len(text) < 2:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    html = render_body(linked_paragraph(text, [(start, end, "{tag}people/someone")]))
    soup = BeautifulSoup(html, "html.parser")
    tags = [t.name for t in soup.find_all(True)]
    assert tags == ["p", "a"]
    assert all(a["href"] == "{tag}people/someone" for a in soup.find_all("a"))
    assert soup.p.get_text() == text


def test_bang_before_a_link_is_not_an_image():
    html = render_body(linked_paragraph("Fans cheered!Donald Trump arrived", [(13, 25, "{tag}x")]))
    assert (
        "<img" not in html
        and BeautifulSoup(html, "html.parser").get_text() == "Fans cheered!Donald Trump arrived"
    )


def test_seed_paths_survive_the_front_matter():
    from urllib.parse import unquote

    for path in ("a.txt", "a  b\tc.txt", "Путин (1).html", "x%20y.txt", "new\nline.txt"):
        value = quote_path(path)
        assert value == squash(value) and unquote(value) == path
    assert quote_path("000_9086dd3709b1d972.txt") == "000_9086dd3709b1d972.txt"


def test_read_entities_tolerates_hand_edited_front_matter():
    meta = {
        "people": "Ann Lee; Ann Lee; Bob Roe",
        "places": "Paris",
        "entity_index": '[{"name": "Ann Lee", "type": "person", "salience": null, "mentions": "AL"},'
        ' {"name": "Paris", "type": "place", "salience": "high", "slug": 5}]',
    }
    entities = read_entities(meta)
    assert [(e["name"], e["slug"], e["salience"], e["mentions"]) for e in entities] == [
        ("Ann Lee", "ann-lee", 0.0, []),
        ("Bob Roe", "bob-roe", 0.0, []),
        ("Paris", "paris", 0.0, []),
    ]
    assert read_entities({"entity_index": "{broken"}) == []


def test_posts_rendered_on_two_cores_are_those_of_one(tmp_path, monkeypatch):
    """sync_posts renders and writes the posts to write on forked workers: the files,
    the report (in seed order) and the render cache are the same as on one."""
    shared = []

    def recording_fork_map(function, count, workers):
        shared.append((count, workers))
        return fork_map(function, count, workers)

    monkeypatch.setattr(posts_module, "fork_map", recording_fork_map)
    seeds = [seed(f"{n:02d}.txt", f"Story {n % 7}", (f"Body {n}.",)) for n in range(40)]
    results = []
    for workers in (1, 2):
        folder = tmp_path / str(workers)
        folder.mkdir()
        (folder / "posts").mkdir()
        (folder / "posts" / "story-3.md").write_text("Title: By hand\n\nAn editor's post.\n")
        rendered: dict[str, str] = {}

        def run(some, folder=folder, rendered=rendered, workers=workers):
            posts_dir, ledger = folder / "posts", folder / "ledger.json"
            when = datetime(2030, 1, 1, tzinfo=UTC)
            return sync_posts(
                some, [], posts_dir, ledger, when, UTC, SETTINGS, rendered=rendered, workers=workers
            )

        report, again = run(seeds[:25]), run(seeds[5:])
        files = {p.name: p.read_bytes() for p in sorted((folder / "posts").iterdir())}
        results.append((report, again, list(rendered.items()), files))
    assert results[0] == results[1]
    assert shared == [(25, 1), (15, 1), (25, 2), (15, 2)]  # only what changed, shared out
    report, again, _, files = results[0]
    assert len(report.written) == 25 and "story-3.md" in files
    assert len(again.written) == 15 and len(again.unchanged) == 20 and len(again.removed) == 5
