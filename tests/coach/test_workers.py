"""The analysis's worker processes: forked where that is safe, a new interpreter where
another thread runs (the app analyses in a thread)."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from game.coach.looking import _start_method, more_forks


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this system"
)
def test_workers_are_forked_only_when_no_other_thread_runs() -> None:
    if threading.active_count() != 1:
        pytest.skip("the test runner has threads of its own")
    assert _start_method().get_start_method() == "fork"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _start_method().get_start_method() == "spawn"
    finally:
        stop.set()
        other.join()


def test_a_decision_takes_more_forks_until_its_loss_is_clear_or_the_most_are_played() -> None:
    step = 4
    assert more_forks([10.0, 12.0], most=16, step=step)  # too few to judge
    steady = [50.0, 51.0, 49.0, 50.0, 50.0, 51.0, 49.0, 50.0]
    assert not more_forks(steady, most=16, step=step)  # known to within a quarter
    wild = [0.0, 300.0, -250.0, 10.0, 400.0, -300.0, 5.0, 200.0]
    assert more_forks(wild, most=16, step=step)
    assert not more_forks(wild * 2, most=16, step=step)  # the most are played
