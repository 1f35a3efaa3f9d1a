"""Small SVG charts drawn at build time (no JavaScript), for entity pages."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

WIDTH, HEIGHT, GAP = 320, 64, 2
MAX_BARS = 36


def _month_span(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def mentions_chart(months: Mapping[str, int], label: str) -> str:
    """A bar chart of stories per month (per year when the span is long), as inline SVG.

    Every month of the span gets a bar, so gaps show. The chart has a text
    equivalent in its ``<title>``/``<desc>`` for screen readers.
    """
    if not months:
        return ""
    span = _month_span(min(months), max(months))
    buckets: list[tuple[str, int]]
    if len(span) > MAX_BARS:
        years: dict[str, int] = {}
        for month in span:
            years[month[:4]] = years.get(month[:4], 0) + months.get(month, 0)
        buckets = sorted(years.items())
    else:
        buckets = [(m, months.get(m, 0)) for m in span]
    peak = max(count for _, count in buckets) or 1
    bar = max(2.0, (WIDTH - GAP * (len(buckets) - 1)) / len(buckets))
    width = bar * len(buckets) + GAP * (len(buckets) - 1)
    rects = []
    for i, (period, count) in enumerate(buckets):
        height = round((HEIGHT - 12) * count / peak, 1) if count else 0
        x = round(i * (bar + GAP), 1)
        rects.append(
            f'<rect x="{x}" y="{HEIGHT - 12 - height}" width="{round(bar, 1)}" height="{height}">'
            f"<title>{escape(period)}: {count}</title></rect>"
        )
    summary = ", ".join(f"{period}: {count}" for period, count in buckets if count)
    first, last = buckets[0][0], buckets[-1][0]
    return (
        f'<svg class="mentions-chart" viewBox="0 0 {round(width, 1)} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{escape(label)}</title>'
        f'<desc id="chart-desc">Stories per {"year" if len(span) > MAX_BARS else "month"}: {escape(summary)}</desc>'
        f'<g fill="currentColor">{"".join(rects)}</g>'
        f'<text x="0" y="{HEIGHT - 1}" font-size="10" fill="currentColor">{escape(first)}</text>'
        f'<text x="{round(width, 1)}" y="{HEIGHT - 1}" font-size="10" text-anchor="end" '
        f'fill="currentColor">{escape(last)}</text></svg>'
    )
