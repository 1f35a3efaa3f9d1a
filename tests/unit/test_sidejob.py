"""Side jobs run beside the build, at a lower priority, and fail it when they fail."""

from __future__ import annotations

import os

import pytest
from news_digest.sidejob import NICENESS, SideJob, SideJobError


def test_a_side_job_returns_its_value_at_a_lower_priority() -> None:
    job = SideJob("niceness", lambda: os.nice(0))
    assert NICENESS > 0
    assert job.result() == min(19, os.nice(0) + NICENESS)


def test_a_failed_side_job_fails_with_its_traceback() -> None:
    def broken() -> None:
        raise ValueError("no feeds today")

    with pytest.raises(SideJobError, match="no feeds today"):
        SideJob("feeds", broken).result()
