"""The compiled strftime gives exactly Pelican's string, for any format and date."""

from __future__ import annotations

import datetime
import importlib
from zoneinfo import ZoneInfo

import pelican.utils
from hypothesis import example, given
from hypothesis import strategies as st
from news_digest import dates
from pelican.utils import SafeDatetime

PIECES = st.one_of(
    st.sampled_from([f"%{c}" for c in "aAbBcdfGHIjmMpSUuVwWxXyYzZ%"]),
    st.sampled_from([f"%-{c}" for c in "dHIjmMSyUW"]),
    st.sampled_from(["%q", "%-q", "%-", "%s", "%(", "%%-d", "\x1f", ", ", " ", "h"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="%\x00"), max_size=4),
)
FORMATS = st.lists(PIECES, max_size=8).map("".join)
ZONES = st.sampled_from([None, datetime.UTC, ZoneInfo("Europe/London"), ZoneInfo("Asia/Kolkata")])


@st.composite
def moments(draw: st.DrawFn) -> datetime.date:
    naive = draw(
        st.datetimes(
            min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2200, 1, 1)
        )
    )
    kind = draw(st.sampled_from(["safe", "datetime", "date"]))
    if kind == "date":
        return naive.date()
    moment = naive.replace(tzinfo=draw(ZONES))
    if kind == "safe":
        return SafeDatetime(*moment.timetuple()[:6], moment.microsecond, tzinfo=moment.tzinfo)
    return moment


@given(moments(), FORMATS)
@example(SafeDatetime(2021, 3, 4, 5, 6, 7), "%-d %B %Y, %H:%M %Z")
@example(datetime.date(2021, 1, 1), "%-d %-m %y %%")
@example(SafeDatetime(2021, 10, 10, 0, 0, 0), "%-H:%-M:%-S")
def test_same_string_as_pelican(moment: datetime.date, date_format: str) -> None:
    try:
        expected = dates.PELICAN_STRFTIME(moment, date_format)
    except (ValueError, TypeError) as exc:  # a stray "%" in the template
        try:
            dates.strftime(moment, date_format)
        except type(exc):
            return
        raise AssertionError("Pelican's strftime raised, ours did not") from exc
    assert dates.strftime(moment, date_format) == expected


class SeparatorZone(datetime.tzinfo):
    """A zone whose name holds the separator of the one C call."""

    def utcoffset(self, dt: object) -> datetime.timedelta:
        return datetime.timedelta(0)

    def dst(self, dt: object) -> None:
        return None

    def tzname(self, dt: object) -> str:
        return "A\x1fB"


def test_a_directive_holding_the_separator_falls_back() -> None:
    moment = SafeDatetime(2021, 3, 4, tzinfo=SeparatorZone())
    assert dates.strftime(moment, "%Z %-d") == "A\x1fB 4"


def test_install_reaches_pelican_dates() -> None:
    try:
        dates.install()
        assert SafeDatetime(2021, 3, 4).strftime("%-d %B") == "4 March"
        assert pelican.utils.strftime is dates.strftime
    finally:
        pelican.utils.strftime = dates.PELICAN_STRFTIME


def test_a_second_import_keeps_pelicans_own() -> None:
    try:
        dates.install()
        again = importlib.reload(dates)
        assert again.PELICAN_STRFTIME.__module__ == "pelican.utils"
        moment = SafeDatetime(2021, 3, 4, tzinfo=SeparatorZone())
        assert again.strftime(moment, "%Z %-d") == "A\x1fB 4"  # the fallback is Pelican's
    finally:
        pelican.utils.strftime = dates.PELICAN_STRFTIME
