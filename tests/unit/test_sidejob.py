"""Side jobs run beside the build, at a lower priority, and fail it when they fail."""

from __future__ import annotations

import os
import select

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


def test_done_fd_ends_when_the_job_does() -> None:
    """Another process (the search indexer) waits for a job by reading its done_fd."""
    go_r, go_w = os.pipe()
    job = SideJob("waits", lambda: os.read(go_r, 1))
    ready, _, _ = select.select([job.done_fd], [], [], 0.3)
    assert ready == [], "the job is still running"
    os.write(go_w, b"x")
    ready, _, _ = select.select([job.done_fd], [], [], 30)
    assert ready == [job.done_fd]
    assert os.read(job.done_fd, 1) == b""  # the end of the file: the job has exited
    assert job.result() == b"x"
    os.close(go_r)
    os.close(go_w)
