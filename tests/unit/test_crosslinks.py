"""Related stories, clusters and the entity registry, without Pelican."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from news_digest.charts import mentions_chart
from news_digest.crosslinks import StoryRef, clusters, registry, related, signature
from sitebuild import ROOT

T0 = datetime(2021, 5, 3, 9, tzinfo=UTC)
TEXT = (
    "A powerful storm flooded the port of Gdansk on Tuesday, forcing the evacuation of dockside "
    "warehouses as gales swept across the Baltic coast of Poland. Emergency services said water "
    "rose more than a metre in parts of the harbour, and the weather service warned of further "
    "gales overnight. Ferries between Gdansk and Sweden were cancelled, and the port authority "
    "said work would resume once the water receded."
)


def story(key, hours, entities, text=None, title=None):
    return StoryRef(
        key,
        T0 + timedelta(hours=hours),
        title or f"Title of {key}",
        text or f"Body {key} " * 30,
        tuple(entities),
    )


def test_related_ranks_by_shared_salient_rare_entities_and_breaks_ties_by_date_then_key():
    stories = [
        story("a", 0, [("places/gdansk", 1.0), ("places/poland", 0.5)]),
        story("b", 1, [("places/gdansk", 0.9)]),  # shares the rare, salient entity
        story("c", 2, [("places/poland", 0.9), ("places/europe", 0.2)]),
        story("d", 3, [("places/poland", 0.9), ("places/europe", 0.2)]),  # ties with c, newer
        story("e", 4, [("places/peru", 1.0)]),  # shares nothing
    ]
    out = related(stories, 5)
    assert out["a"] == ["b", "d", "c"]
    assert "e" not in out["a"] and out["e"] == []
    assert related(list(reversed(stories)), 5) == out  # input order does not matter


def test_related_leaves_out_stories_of_the_same_cluster():
    stories = [story(k, i, [("people/x", 1.0)]) for i, k in enumerate("abc")]
    assert related(stories, 5, exclude={"a": "a", "b": "a"})["a"] == ["c"]


def test_near_copies_cluster_and_different_events_do_not():
    shared = [("places/gdansk", 1.0), ("places/poland", 0.8), ("places/baltic-sea", 0.5)]
    stories = [
        story("first", 0, shared, TEXT, "Storm floods the port of Gdansk"),
        story(
            "copy",
            2,
            shared,
            TEXT.replace("Tuesday", "Tuesday morning"),
            "Storm floods Gdansk port",
        ),
        story("later", 24 * 5, shared, TEXT, "Storm floods the port of Gdansk"),  # days later
        story(
            "other",
            1,
            shared,
            "Poland beat Sweden in a football match in Gdansk " * 5,
            "Poland win",
        ),
    ]
    assert clusters(stories) == {"first": ["first", "copy"]}


def test_same_headline_about_the_same_entities_clusters():
    entities = [("people/a", 1.0), ("places/b", 0.9)]
    stories = [
        story("x", 0, entities, "one text entirely " * 20, "Minister resigns over budget row"),
        story("y", 5, entities, "another text wholly " * 20, "Minister resigns over budget row"),
    ]
    assert clusters(stories) == {"x": ["x", "y"]}


def test_signature_is_stable_across_processes():
    """CRC-32, not hash(): the same bits whatever PYTHONHASHSEED a build runs with."""
    code = f"from news_digest.crosslinks import signature; print(signature({TEXT!r}))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "plugins")},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert outputs == {f"{signature(TEXT)}\n"}
    assert signature(TEXT) == signature(TEXT.upper())
    assert signature("a b") == 0


def test_registry_lists_stories_newest_first_with_months_and_company():
    stories = [
        story("old", 0, [("people/x", 1.0), ("places/y", 0.5)]),
        story("new", 24 * 40, [("people/x", 1.0), ("places/y", 0.4), ("places/z", 0.2)]),
    ]
    stats = registry(stories)
    assert stats["people/x"].stories == ["new", "old"]
    assert stats["people/x"].months == {"2021-05": 1, "2021-06": 1}
    assert stats["people/x"].appears_with == [("places/y", 2), ("places/z", 1)]


def test_chart_has_a_bar_per_month_and_a_text_equivalent():
    svg = mentions_chart({"2021-01": 2, "2021-03": 1}, "Stories about X over time")
    assert svg.count("<rect") == 3  # February shows as an empty bar
    assert '<title id="chart-title">Stories about X over time</title>' in svg
    assert "2021-01: 2, 2021-03: 1" in svg
    long = mentions_chart({"2010-01": 1, "2020-12": 4}, "X")
    assert long.count("<rect") == 11  # one bar a year over a long span
    assert mentions_chart({}, "X") == ""
