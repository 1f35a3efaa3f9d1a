"""A story's description and JSON-LD, memoised between builds, are never stale."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from news_digest.memo import Memo
from news_digest.storypage import annotate

SETTINGS = {"SITENAME": "Digest", "DIGEST_READING_WORDS_PER_MINUTE": 200}
ENTITY = {"path": "people/ann-lee", "name": "Ann Lee", "type": "person", "url": "people/ann-lee/"}


def _story() -> SimpleNamespace:
    return SimpleNamespace(
        _content="<p>Ann Lee opened the harbour bridge on Monday.</p>",
        summary="<p>Ann Lee opened the harbour bridge.</p>",
        url="stories/bridge/",
        title="Bridge opens",
        date=datetime(2021, 3, 4, 5, 6, tzinfo=UTC),
        modified=None,
        entities=[ENTITY],
        topics=[ENTITY],
        source="Harbour Times",
        source_url="https://example.org/bridge",
        byline=None,  # so that the source shows as the author
    )


def _shown(story: SimpleNamespace) -> tuple:
    return story.words, story.reading_minutes, story.description, story.jsonld


CHANGES = {
    "_content": "<p>Ann Lee closed the harbour bridge on Tuesday, said the council.</p>",
    "summary": "<p>The bridge is closed.</p>",
    "url": "stories/bridge-2/",
    "title": "Bridge closes",
    "date": datetime(2022, 1, 1, tzinfo=UTC),
    "modified": datetime(2022, 1, 2, tzinfo=UTC),
    "entities": [{**ENTITY, "name": "Ann B. Lee"}],
    "topics": [],
    "source": "Harbour Post",
    "source_url": "https://example.org/bridge-2",
    "byline": "Kim Roe",
}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_a_changed_input_is_computed_again(field: str) -> None:
    memo = Memo()
    annotate([_story()], "https://x.org", SETTINGS, memo)
    changed = _story()
    setattr(changed, field, CHANGES[field])
    expected = copy.deepcopy(changed)
    annotate([expected], "https://x.org", SETTINGS)
    annotate([changed], "https://x.org", SETTINGS, Memo(memo.current))
    assert _shown(changed) == _shown(expected)


def test_the_site_url_and_name_count() -> None:
    memo = Memo()
    annotate([_story()], "https://x.org", SETTINGS, memo)
    for base, settings in [
        ("https://y.org", SETTINGS),
        ("https://x.org", SETTINGS | {"SITENAME": "Other"}),
    ]:
        expected, story = _story(), _story()
        annotate([expected], base, settings)
        annotate([story], base, settings, Memo(memo.current))
        assert _shown(story) == _shown(expected)


def test_an_unchanged_story_is_not_computed_again() -> None:
    memo = Memo()
    first = _story()
    annotate([first], "https://x.org", SETTINGS, memo)
    kept = Memo({key: (1, "kept", "{}") for key in memo.current})
    again = _story()
    annotate([again], "https://x.org", SETTINGS, kept)
    assert (again.description, again.jsonld) == ("kept", "{}")


def test_a_value_that_is_not_plain_data_is_computed_not_kept() -> None:
    class Opaque(str):  # another plugin's string type, that will not pickle
        def __reduce_ex__(self, protocol: object) -> None:
            raise TypeError("not picklable")

    story, expected = _story(), _story()
    story.source = expected.source = Opaque("Harbour Times")
    memo = Memo()
    annotate([story], "https://x.org", SETTINGS, memo)
    annotate([expected], "https://x.org", SETTINGS)
    assert memo.current == {}
    assert _shown(story) == _shown(expected)  # written all the same


def test_stories_described_on_two_cores_are_described_as_on_one() -> None:
    def stories() -> list[SimpleNamespace]:
        out = []
        for i in range(30):
            story = _story()
            story._content = f"<p>Ann Lee opened bridge number {i}.</p>" + "<p>More.</p>" * i
            story.url, story.title = f"stories/bridge-{i}/", f"Bridge {i} opens"
            out.append(story)
        return out

    alone, shared = stories(), stories()
    annotate(alone, "https://x.org", SETTINGS, Memo())
    memo = Memo()
    annotate(shared, "https://x.org", SETTINGS, memo, workers=2)
    assert [_shown(s) for s in shared] == [_shown(s) for s in alone]
    assert len(memo.current) == 30
    again = stories()
    annotate(again, "https://x.org", SETTINGS, Memo(memo.current), workers=2)
    assert [_shown(s) for s in again] == [_shown(s) for s in alone]
