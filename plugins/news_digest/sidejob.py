"""Work that runs beside the build on another core, in a forked process.

Pelican renders pages in one process. Writing the feeds and the story index needs
the same finished data but nothing Pelican does while rendering, so on a machine
with more than one core it runs in a forked copy of the build at the same time;
the build collects its result (the files written) before it records the manifest.
A job's failure fails the build, with the job's traceback.

A job runs at a lower priority (``NICENESS``), as the search indexer does: the build
waits for neither until its end, so on two cores they have one while Pelican's
rendering, which everything waits for, keeps the other. Another process can wait for
a job to end by reading its ``done_fd``: the search indexer waits for the feeds job
so that the two, each holding a few hundred megabytes, never run at the same time.
Sharing one core, they would finish no sooner together than one after the other.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

NICENESS = 10  # added to a background process's nice value


class SideJobError(RuntimeError):
    """A side job raised or died; the build must fail as if it had run inline."""


class SideJob:
    """``function()`` running in a forked process; ``result()`` waits for its value."""

    def __init__(self, name: str, function: Callable[[], Any]) -> None:
        self.name = name
        context = multiprocessing.get_context("fork")  # the job inherits the build's data
        self._receive, send = context.Pipe(duplex=False)
        # Only the job holds the write end of this pipe, so that the read end sees the
        # end of the file when the job's process exits (done_fd).
        self.done_fd, done = os.pipe()
        # daemon: if the build fails first, the job is stopped when the build exits
        self._process = context.Process(target=_run, args=(function, send), daemon=True)
        self._process.start()
        send.close()
        os.close(done)
        # The value is taken as soon as it is sent: the job then exits, and gives back
        # its memory, without waiting for the build to ask for it.
        self._outcome: tuple[str, Any] = ("error", "it exited without a result")
        self._collector = threading.Thread(target=self._collect, daemon=True)
        self._collector.start()

    def _collect(self) -> None:
        try:
            self._outcome = self._receive.recv()
        except EOFError:
            pass
        finally:
            self._receive.close()
            self._process.join()

    def result(self) -> Any:
        self._collector.join()
        os.close(self.done_fd)
        status, value = self._outcome
        if status == "error":
            raise SideJobError(f"news_digest: {self.name} failed: {value}")
        return value


def _run(function: Callable[[], Any], send: Any) -> None:
    # The collector would walk, and so copy page by page, the heap shared with the
    # build; and a forked process must not write to the terminal (see ingest._start):
    # problems come back as data.
    gc.freeze()
    logging.disable(logging.CRITICAL)
    os.nice(NICENESS)
    try:
        send.send(("ok", function()))
    except BaseException:  # noqa: BLE001 - reported by the build, which then fails
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()
