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

    def look(self, task: Look) -> Looked | None:
        return self.eye(task.decision, task.continuation).look(task.decision)

    def confirm(self, task: Confirm) -> tuple[float, ...]:
        """More forks for one decision, `forks` at a time, until its loss is known to
        within `CLEAR` points or a quarter, or `task.most` forks are played."""
        eye = self.eye(task.decision, task.continuation)
        sample = eye.sampler(task.decision, task.kind, task.advice)
        salts = eye.evaluation_salts(task.decision)
        diffs = list(task.diffs)
        step = self.setting.forks
        while len(diffs) < task.most:
            if len(diffs) >= 2 * step and clear(diffs):
                break
            diffs += [sample(salt) for salt in salts[len(diffs) : len(diffs) + step]]
        return tuple(diffs)


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


def _look(task: Look) -> Looked | None:
    assert _worker is not None
    return _worker.look(task)


def _confirm(task: Confirm) -> tuple[float, ...]:
    assert _worker is not None
    return _worker.confirm(task)


class Workers:
    """`jobs` processes (or this one) that look at decisions; use as a context manager."""

    def __init__(self, setting: Setting, jobs: int) -> None:
        """The processes start now (they take a moment), before any task is given."""
        self.jobs = jobs
        self.local = Replayer(setting) if jobs <= 1 else None
        self.pool = (
            None
            if jobs <= 1
            else ProcessPoolExecutor(
                max_workers=jobs,
                mp_context=multiprocessing.get_context("spawn"),
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

    def look(self, tasks: Iterable[Look]) -> Iterator[Looked | None]:
        """Each decision looked at, in order, as they come."""
        local = self.local.look if self.local is not None else _look
        return self._map(local, _look, tasks)

    def confirm(self, tasks: Iterable[Confirm]) -> Iterator[tuple[float, ...]]:
        local = self.local.confirm if self.local is not None else _confirm
        return self._map(local, _confirm, tasks)
