"""fork_map: a loop over the stories, on every core, with the loop's results."""

from __future__ import annotations

import os
import threading

import pytest
from news_digest.forkmap import fork_map


def test_the_results_are_the_loops_in_order_from_other_processes() -> None:
    lock = threading.Lock()  # nothing a worker could be sent: it is inherited
    words = [f"story {i} " * (i % 7) for i in range(101)]

    def work(i: int) -> tuple[int, int, int]:
        with lock:
            return i, len(words[i].split()), os.getpid()

    results = fork_map(work, len(words), 2)
    assert [(i, n) for i, n, _ in results] == [(i, len(w.split())) for i, w in enumerate(words)]
    assert os.getpid() not in {pid for _, _, pid in results}
    assert len({pid for _, _, pid in results}) == 2


def test_one_worker_or_few_items_stay_in_this_process() -> None:
    assert {pid for pid in fork_map(lambda i: os.getpid(), 50, 1)} == {os.getpid()}
    assert {pid for pid in fork_map(lambda i: os.getpid(), 3, 2)} == {os.getpid()}


def test_an_error_is_raised_as_in_a_loop() -> None:
    def work(i: int) -> int:
        if i == 40:
            raise ValueError("story 40 is broken")
        return i

    with pytest.raises(ValueError, match="story 40 is broken"):
        fork_map(work, 100, 2)
