"""Side jobs run beside the build, at a lower priority, and fail it when they fail."""

from __future__ import annotations

import os
import select
import sys
import tempfile
import time
from pathlib import Path

import pytest
from news_digest import sidejob
from news_digest.sidejob import NICENESS, Handoff, SideJob, SideJobError


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


FORKED = False  # set by the tests below; a fresh interpreter imports this module anew


def _where_am_i(data: str) -> tuple[bool, str, int]:
    return FORKED, data, os.getpid()


def _wait_for(path: str) -> str:
    while not os.path.exists(path):
        time.sleep(0.02)
    return path


def _fail(data: str) -> None:
    raise ValueError(data)


def test_a_handoff_runs_the_rest_of_the_job_in_a_fresh_interpreter(monkeypatch):
    """The forked process becomes a fresh interpreter (the same process, exec'd):
    it does not have the build's memory, and sends the handed-off function's value."""
    monkeypatch.setattr(sys.modules[__name__], "FORKED", True)
    # As in a build: Pelican imports the plugin from PLUGIN_PATHS, not from sys.path.
    found = [p for p in sys.path if (Path(p or ".") / "news_digest").is_dir()]
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in found])

    def part() -> Handoff:
        assert FORKED
        return Handoff(_where_am_i, "données")

    job = SideJob("handoff", part)
    pid = job._process.pid
    assert job.result() == (False, "données", pid)
    assert not list(Path(tempfile.gettempdir()).glob("news-digest-job-*"))  # no leftovers


def test_done_fd_ends_when_the_handed_off_job_does(tmp_path):
    """The search indexer waits for the whole job, not for its forked part."""
    go = tmp_path / "go"
    job = SideJob("waits", lambda: Handoff(_wait_for, str(go)))
    ready, _, _ = select.select([job.done_fd], [], [], 1.5)
    assert ready == [], "the fresh interpreter is still waiting"
    go.write_text("")
    ready, _, _ = select.select([job.done_fd], [], [], 30)
    assert ready == [job.done_fd]
    assert job.result() == str(go)


def test_a_handoff_that_cannot_start_is_done_in_the_fork(monkeypatch):
    """No room for the data (a full temporary folder): the work is done all the same,
    in the forked process, as before handoffs."""
    monkeypatch.setattr(sys.modules[__name__], "FORKED", True)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sidejob.tempfile, "mkstemp", full)
    job = SideJob("handoff", lambda: Handoff(_where_am_i, "data"))
    assert job.result() == (True, "data", job._process.pid)


def test_a_failed_handoff_fails_the_job_with_its_traceback():
    with pytest.raises(SideJobError, match="no feeds after all"):
        SideJob("feeds", lambda: Handoff(_fail, "no feeds after all")).result()
    with pytest.raises(SideJobError, match="pickle"):  # data that cannot be handed over
        SideJob("feeds", lambda: Handoff(_fail, lambda: None)).result()
