"""Pelican's ``strftime``, with each format worked out once instead of on every call.

Pelican formats dates with its own ``strftime`` (``pelican.utils.strftime``) so that
``%-d`` works on every platform: on every call it finds the format's directives with
two regular expressions and calls the C ``strftime`` once for each. Every story's
date is formatted several times a build (its ``locale_date``, then each list its
card is shown in), 50,000 calls at 10,000 stories: 4 s of a cold build, 1 s of a
rebuild. :func:`strftime` gives the very same string: it splits a format once
(cached), then makes one C call per date for all its directives.

:func:`install` puts it in place of Pelican's, which ``SafeDatetime.strftime`` and
the ``strftime`` template filter both call by its module name.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

import pelican.utils
from pelican.utils import SafeDatetime

# Pelican's own, kept where a second import of this module (or install) cannot lose it.
if not hasattr(pelican.utils, "_news_digest_original_strftime"):
    pelican.utils._news_digest_original_strftime = pelican.utils.strftime
PELICAN_STRFTIME = pelican.utils._news_digest_original_strftime
# As in Pelican's strftime: what may be a directive, and which of them are C89's.
CANDIDATE = re.compile("%[-]?.")
C89_DIRECTIVES = "aAbBcdfGHIjmMpSUuVwWxXyYzZ%"
SEPARATOR = "\x1f"  # between directives in the one C call; never in a date's text


@functools.lru_cache(maxsize=512)
def _plan(date_format: str) -> tuple[str, tuple[bool | str, ...], str]:
    """The format with a ``%s`` for each candidate; for each candidate, whether its
    zeros are stripped (a directive) or its literal text; the directives, joined."""
    plan: list[bool | str] = []
    directives = []
    for candidate in CANDIDATE.findall(date_format):
        if candidate[-1] in C89_DIRECTIVES:
            plan.append(len(candidate) == 3)  # noqa: PLR2004 - "%-d": strip the zeros
            directives.append(f"%{candidate[-1]}")
        else:
            plan.append(candidate)
    return CANDIDATE.sub("%s", date_format), tuple(plan), SEPARATOR.join(directives)


def strftime(date: datetime.date, date_format: str) -> str:
    """``pelican.utils.strftime(date, date_format)``, faster."""
    template, plan, joined = _plan(date_format)
    if not joined:
        return template % plan
    if isinstance(date, SafeDatetime):
        expanded = datetime.datetime.strftime(date, joined)
    else:
        expanded = date.strftime(joined)
    parts = iter(expanded.split(SEPARATOR))
    values: list[Any] = []
    for step in plan:
        if step is True:
            values.append(next(parts).lstrip("0") or "0")
        elif step is False:
            values.append(next(parts))
        else:
            values.append(step)
    if next(parts, None) is not None:
        return PELICAN_STRFTIME(date, date_format)  # a directive's text held the separator
    return template % tuple(values)


def install(_pelican: Any = None) -> None:
    """Have Pelican format dates with :func:`strftime`."""
    pelican.utils.strftime = strftime
