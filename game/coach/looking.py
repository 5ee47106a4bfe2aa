"""Looking at a game's decisions in several processes at once.

The analysis hands each decision to a worker: the worker replays the run log to that
decision (the scenario, the seed and the choices are given once, when it starts),
takes a still copy of the game there, and looks at it with the expert's eye. The
forks each decision is played on are the same whichever worker plays them, so an
analysis on one process and on many gives the same answer. With `jobs` 1 the same
functions run in this process.
"""

from __future__ import annotations

import multiprocessing
import statistics
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from game.coach.decisions import Decision
from game.coach.expert_eye import ExpertEye, Kind, Looked, Z
from game.engine.game import Game
from game.scenario.models import Scenario

#: A confirmed decision stops adding forks once `Z` standard errors are within this many
#: points or a quarter of its loss.
CLEAR = 3.0

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Setting:
    """What every worker needs, given once."""

    scenario: Scenario
    scenario_hash: str
    seed: int
    choices: tuple[str, ...]
    forks: int
    horizon: int | None


@dataclass(frozen=True)
class Look:
    """A decision to look at, with the continuation the expert plays after it."""

    decision: Decision
    continuation: str


@dataclass(frozen=True)
class ConfirmStep:
    """The next forks of a decision being confirmed, from the `start`-th."""

    task: Confirm
    start: int


@dataclass(frozen=True)
class Confirm:
    """A decision to play on more forks: what was advised, and the forks played so far."""

    decision: Decision
    continuation: str
    kind: Kind
    advice: str
    diffs: tuple[float, ...]
    most: int


class Replayer:
    """Replays the run log to each decision asked for and looks at it there."""

    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        self._game: Game | None = None
        self._position = 0
        self._start: ExpertEye | None = None  # the race's eye, at the start of the game

    def still(self, decision: Decision) -> Game:
        """A quiet copy of the game as `decision` began (the same salt as ever)."""
        s = self.setting
        if self._game is None or self._position > decision.index:
            self._game = Game(s.scenario, s.seed, scenario_hash=s.scenario_hash, narrate=False)
            self._position = 0
        game = self._game
        for choice in s.choices[self._position : decision.index]:
            game.step(choice)
        self._position = decision.index
        return game.fork(f"analysis:at:{s.seed}:{decision.index}")

    def eye(self, decision: Decision, continuation: str) -> ExpertEye:
        s = self.setting
        return ExpertEye(
            self.still(decision),
            seed=s.seed,
            forks=s.forks,
            horizon=s.horizon,
            continuation=continuation,
        )

    def opening(self, pair: tuple[str, str]) -> float:
        """One game of the race for the continuation, from the start of the game."""
        s = self.setting
        if self._start is None:
            self._start = ExpertEye(
                Game(s.scenario, s.seed, scenario_hash=s.scenario_hash, narrate=False),
                seed=s.seed,
                forks=s.forks,
                horizon=s.horizon,
            )
        return self._start.opening_outcome(*pair)

    def look(self, task: Look) -> Looked | None:
        return self.eye(task.decision, task.continuation).look(task.decision)

    def confirm_step(self, step: ConfirmStep) -> tuple[float, ...]:
        """The next `forks` evaluation forks of a decision being confirmed, from `start`."""
        task = step.task
        eye = self.eye(task.decision, task.continuation)
        sample = eye.sampler(task.decision, task.kind, task.advice)
        salts = eye.evaluation_salts(task.decision)
        return tuple(sample(salt) for salt in salts[step.start : step.start + self.setting.forks])


def more_forks(diffs: list[float], most: int, step: int) -> bool:
    """Whether a decision being confirmed takes `step` more forks: until its loss is
    known to within `CLEAR` points or a quarter (judged from `2 * step` forks on), or
    `most` forks are played."""
    return len(diffs) < most and not (len(diffs) >= 2 * step and clear(diffs))


def clear(diffs: list[float]) -> bool:
    """Whether the mean of `diffs` is known well enough to stop adding forks."""
    loss = statistics.fmean(diffs)
    error = statistics.stdev(diffs) / len(diffs) ** 0.5
    return Z * error <= max(CLEAR, 0.25 * abs(loss))


_worker: Replayer | None = None


def _start(setting: Setting) -> None:
    global _worker
    _worker = Replayer(setting)


def _ready() -> None:
    """Nothing: submitted once per process so that each starts at once."""


def _opening(pair: tuple[str, str]) -> float:
    assert _worker is not None
    return _worker.opening(pair)


def _look(task: Look) -> Looked | None:
    assert _worker is not None
    return _worker.look(task)


def _confirm_step(step: ConfirmStep) -> tuple[float, ...]:
    assert _worker is not None
    return _worker.confirm_step(step)


def _start_method() -> multiprocessing.context.BaseContext:
    """Fork the workers where that is safe (a system that forks, and no other thread in
    this process: the command line), so they start at once with the game already
    imported; else start each as a new interpreter (the app runs the analysis in a
    thread, and forking a process with threads can deadlock)."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class Workers:
    """`jobs` processes (or this one) that look at decisions; use as a context manager."""

    def __init__(self, setting: Setting, jobs: int) -> None:
        """The processes start now (they take a moment), before any task is given."""
        self.jobs = jobs
        self.forks = setting.forks
        self.local = Replayer(setting) if jobs <= 1 else None
        self.pool = (
            None
            if jobs <= 1
            else ProcessPoolExecutor(
                max_workers=jobs,
                mp_context=_start_method(),
                initializer=_start,
                initargs=(setting,),
            )
        )

    def __enter__(self) -> Workers:
        if self.pool is not None:  # start every process now, while the caller works on
            for _ in range(self.jobs):
                self.pool.submit(_ready)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:  # stopped early (cancelled): drop what is still queued
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _map(
        self, local: Callable[[T], R], remote: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[R]:
        if self.pool is None:
            return map(local, items)
        return self.pool.map(remote, items, chunksize=1)

    def opening(self, pairs: list[tuple[str, str]]) -> list[float]:
        """Games of the race for the continuation, in order (in the workers, which are
        idle until the race has chosen the continuation)."""
        local = self.local.opening if self.local is not None else _opening
        return list(self._map(local, _opening, pairs))

    def look(self, tasks: Iterable[Look]) -> Iterator[Looked | None]:
        """Each decision looked at, in order, as they come."""
        local = self.local.look if self.local is not None else _look
        return self._map(local, _look, tasks)

    def confirm(self, tasks: list[Confirm]) -> Iterator[tuple[float, ...]]:
        """Each decision's forks once confirmed, in order. The decisions take `forks` more
        forks a round, all of a round at once (so the processes share the work evenly
        however many each decision needs); the first round starts now."""
        diffs = [list(task.diffs) for task in tasks]
        return self._confirming(tasks, diffs, self._confirm_round(tasks, diffs))

    def _confirm_round(
        self, tasks: list[Confirm], diffs: list[list[float]]
    ) -> Iterator[tuple[int, tuple[float, ...]]]:
        """The next round: every decision that takes more forks, started (empty once
        every decision is confirmed)."""
        indices = [i for i, task in enumerate(tasks) if more_forks(diffs[i], task.most, self.forks)]
        steps = [ConfirmStep(tasks[i], len(diffs[i])) for i in indices]
        local = self.local.confirm_step if self.local is not None else _confirm_step
        return zip(indices, self._map(local, _confirm_step, steps), strict=True)

    def _confirming(
        self,
        tasks: list[Confirm],
        diffs: list[list[float]],
        running: Iterable[tuple[int, tuple[float, ...]]],
    ) -> Iterator[tuple[float, ...]]:
        done = 0  # decisions handed back, in order
        while done < len(tasks):
            for index, more in running:
                diffs[index] += more
            while done < len(tasks) and not more_forks(diffs[done], tasks[done].most, self.forks):
                yield tuple(diffs[done])
                done += 1
            running = self._confirm_round(tasks, diffs)
