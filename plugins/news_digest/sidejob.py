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

A forked job shares the build's memory page by page, and each page either process
writes while both run is copied: a job that lasts as long as the rendering ends up
with a copy of most of the build (about 350 MiB at 10,000 stories, measured). So a
job can do its corpus-wide part in the fork and return a ``Handoff``: the data the
rest needs, and the function to apply to it. The forked process then becomes a fresh
interpreter (exec), which loads that data alone and sends the function's value back.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

NICENESS = 10  # added to a background process's nice value


class SideJobError(RuntimeError):
    """A side job raised or died; the build must fail as if it had run inline."""


@dataclass(frozen=True)
class Handoff:
    """A side job's value asking for ``function(data)`` to be the job's value, worked
    out in a fresh interpreter. ``function`` must be importable (defined at module
    level) and ``data`` picklable."""

    function: Callable[[Any], Any]
    data: Any


class SideJob:
    """``function()`` running in a forked process; ``result()`` waits for its value
    (for a ``Handoff``, the value of the function it hands off)."""

    def __init__(self, name: str, function: Callable[[], Any]) -> None:
        self.name = name
        context = multiprocessing.get_context("fork")  # the job inherits the build's data
        self._receive, send = context.Pipe(duplex=False)
        # Only the job holds the write end of this pipe, so that the read end sees the
        # end of the file when the job's process exits (done_fd).
        self.done_fd, done = os.pipe()
        # daemon: if the build fails first, the job is stopped when the build exits
        self._process = context.Process(target=_run, args=(function, send, done), daemon=True)
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


def run_inline(function: Callable[[], Any]) -> Any:
    """A side job's value, worked out in this process (a handoff's included)."""
    value = function()
    return value.function(value.data) if isinstance(value, Handoff) else value


def _run(function: Callable[[], Any], send: Any, done: int) -> None:
    # The collector would walk, and so copy page by page, the heap shared with the
    # build; and a forked process must not write to the terminal (see ingest._start):
    # problems come back as data.
    gc.freeze()
    logging.disable(logging.CRITICAL)
    os.nice(NICENESS)
    try:
        value = function()
        if isinstance(value, Handoff):
            try:
                _hand_off(value, send, done)  # returns only if it fails
            except OSError:  # no room for the data, no interpreter: do it here
                value = value.function(value.data)
        send.send(("ok", value))
    except BaseException:  # noqa: BLE001 - reported by the build, which then fails
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


# The fresh interpreter's program: the plugin's import path, then _resume. Should the
# import fail, the handed-off data goes with it.
_RESUME = (
    "import json, os, sys\n"
    "sys.path[:0] = json.loads(sys.argv[1])\n"
    "try:\n"
    f"    from {__name__} import _resume\n"
    "except BaseException:\n"
    "    os.unlink(sys.argv[2])\n"
    "    raise\n"
    "_resume(sys.argv[2], int(sys.argv[3]))\n"
)
# Where the plugin package is: Pelican imports plugins from PLUGIN_PATHS without
# putting them on sys.path.
_PLUGINS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _hand_off(handoff: Handoff, send: Any, done: int) -> None:
    """Replace this forked process with a fresh interpreter that applies the
    handoff's function to its data (_resume). The data goes through a temporary
    file; the pipe to the build and the job's end (``done``) stay open across.
    Raises OSError when it cannot (the job then does the work in the fork), and
    pickle's errors for data that cannot be handed over (a bug: the job fails)."""
    fd, path = tempfile.mkstemp(prefix="news-digest-job-", suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as out:
            pickle.dump((handoff.function, handoff.data), out, pickle.HIGHEST_PROTOCOL)
        os.set_inheritable(send.fileno(), True)
        os.set_inheritable(done, True)
        command = [sys.executable, "-c", _RESUME, json.dumps([_PLUGINS, *sys.path]), path]
        os.execv(sys.executable, [*command, str(send.fileno())])
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _resume(path: str, fd: int) -> None:
    """In the fresh interpreter: load the handed-off work, do it, send its value."""
    logging.disable(logging.CRITICAL)
    send = multiprocessing.connection.Connection(fd, readable=False)
    try:
        try:
            with open(path, "rb") as source:
                function, data = pickle.load(source)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)
        gc.freeze()  # the data lives to the end: no collection walks it
        send.send(("ok", function(data)))
    except BaseException:  # noqa: BLE001 - reported by the build, which then fails
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()
