"""Balance runs: every built-in bot over many seeds, lessons checked, coverage listed.

`run_balance` plays the games (on several processes if asked), then
`BalanceReport` holds per-bot means and spreads, how each bot spent its time
and with how many people, each lesson's verdict with its numbers, and the
events and choices no run ever reached.

The bots are the built-in ones (or those asked for), plus any bot a lesson
names: a built-in name or a custom `.py` file relative to the scenario's folder.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.bots import QUICK_BOTS, SLOW_BOTS, CustomBotError, make_bot, play
from game.engine import Game
from game.results import lesson_metrics
from game.scenario import LoadedScenario, parse_scenario
from game.scenario.models import Behaviour, Lesson, Scenario

#: The metrics the balance table shows for each bot.
TABLE_METRICS = (
    "score",
    "company_loyalty",
    "resilience",
    "concentration",
    "satisfaction",
    "share",
    "defections",
)
#: What each bot did, shown beside the table: people worked with, time by behaviour.
ACTIVITY_METRICS = ("people_worked", "people_worked_share")
CHUNK = 25


@dataclass(frozen=True)
class RunOutcome:
    bot: str
    seed: int
    metrics: dict[str, float]
    reached: frozenset[str]


@dataclass(frozen=True)
class LessonVerdict:
    lesson: Lesson
    passed: bool
    left: float
    right: float | None
    text: str


@dataclass
class BalanceReport:
    scenario: Scenario
    runs: int
    seeds: tuple[int, int]
    outcomes: dict[str, list[RunOutcome]] = field(default_factory=dict)

    def value(self, bot: str, metric: str) -> float:
        """A bot's mean of a metric over its runs (`satisfied_share` is pooled)."""
        runs = self.outcomes[bot]
        if metric == "satisfied_share":
            total = sum(r.metrics["defections"] for r in runs)
            kept = sum(r.metrics["defections_satisfied"] for r in runs)
            return kept / total if total else 0.0
        return statistics.fmean(r.metrics.get(metric, 0.0) for r in runs)

    def spread(self, bot: str, metric: str) -> float:
        values = [r.metrics.get(metric, 0.0) for r in self.outcomes[bot]]
        return statistics.pstdev(values) if len(values) > 1 else 0.0

    def hours(self, bot: str) -> list[tuple[str, float]]:
        """A bot's mean share of time by behaviour, the biggest first, zeros left out."""
        shares = [(b.value, self.value(bot, f"hours.{b.value}")) for b in Behaviour]
        return sorted(((b, s) for b, s in shares if s > 0), key=lambda item: -item[1])

    def verdicts(self) -> list[LessonVerdict]:
        return [self.verdict(lesson) for lesson in self.scenario.lessons]

    def verdict(self, lesson: Lesson) -> LessonVerdict:
        left = self.value(lesson.bot, lesson.metric)
        right: float | None = None
        if lesson.above is not None or lesson.below is not None:
            other = lesson.above or lesson.below
            assert other is not None
            right = self.value(other, lesson.metric)
            if lesson.above is not None:
                passed = left > right + lesson.margin
                relation = f"> {other} {right:.3f}" + (
                    f" + {lesson.margin:g}" if lesson.margin else ""
                )
            else:
                passed = left + lesson.margin < right
                relation = f"< {other} {right:.3f}" + (
                    f" − {lesson.margin:g}" if lesson.margin else ""
                )
        elif lesson.at_least is not None:
            passed, relation = left >= lesson.at_least, f"≥ {lesson.at_least:g}"
        else:
            assert lesson.at_most is not None
            passed, relation = left <= lesson.at_most, f"≤ {lesson.at_most:g}"
        text = f"{lesson.bot} {lesson.metric} {left:.3f} {relation}"
        return LessonVerdict(lesson, passed, left, right, text)

    def unreached(self) -> list[str]:
        """Events, event answers and actions that no run of any bot reached."""
        reached: set[str] = set()
        for runs in self.outcomes.values():
            for run in runs:
                reached |= run.reached
        missing = []
        for action in self.scenario.actions:
            if f"action:{action.id}" not in reached:
                missing.append(f"action {action.id}")
        for event in self.scenario.events:
            if f"event:{event.id}" not in reached:
                missing.append(f"event {event.id} (never fired)")
                continue
            for choice in event.choices:
                if f"event:{event.id}:{choice.id}" not in reached:
                    missing.append(f"event {event.id}: choice {choice.id}")
        return missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "runs": self.runs,
            "seeds": list(self.seeds),
            "runs_per_bot": {bot: len(runs) for bot, runs in self.outcomes.items()},
            "bots": {
                bot: {
                    m: {
                        "mean": round(self.value(bot, m), 4),
                        "stdev": round(self.spread(bot, m), 4),
                    }
                    for m in (*TABLE_METRICS, *ACTIVITY_METRICS)
                }
                | {"hours": {b: round(share, 4) for b, share in self.hours(bot)}}
                for bot in self.outcomes
            },
            "lessons": [
                {"id": v.lesson.id, "passed": v.passed, "check": v.text, "text": v.lesson.text}
                for v in self.verdicts()
            ],
            "unreached": self.unreached(),
        }


def reached_in(game: Game) -> frozenset[str]:
    """Everything the game reached: actions used, events fired, event answers chosen."""
    reached = {f"event:{event}" for event in game.events_fired}
    for choice in game.choices_made:
        if choice.startswith("event:"):
            reached.add(choice)
        elif choice != "end" and not choice.startswith("intro:"):
            reached.add(f"action:{choice.split(':', 1)[0]}")
    return frozenset(reached)


def play_runs(
    loaded: LoadedScenario, bot_name: str, seeds: range, source: str | None = None
) -> list[RunOutcome]:
    """Play `bot_name` on each seed; keep only what the report needs.

    `source` is what to load the bot from, if not its name (a custom bot's file).
    """
    outcomes = []
    bot = make_bot(source or bot_name)
    for seed in seeds:
        game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False)
        play(game, bot)
        outcomes.append(RunOutcome(bot_name, seed, lesson_metrics(game), reached_in(game)))
    return outcomes


_WORKER_SCENARIO: LoadedScenario | None = None


def _init_worker(raw: bytes, name: str) -> None:
    global _WORKER_SCENARIO
    _WORKER_SCENARIO = parse_scenario(raw, name)


def _worker_runs(bot_name: str, source: str, start: int, stop: int) -> list[RunOutcome]:
    assert _WORKER_SCENARIO is not None
    return play_runs(_WORKER_SCENARIO, bot_name, range(start, stop), source)


def _tasks(
    bots: list[str], seed: int, runs: int, slow_runs: int | None = None
) -> Iterator[tuple[str, int, int]]:
    for bot in bots:
        count = min(runs, slow_runs) if slow_runs and bot in SLOW_BOTS else runs
        step = 1 if bot in SLOW_BOTS else CHUNK  # a slow bot's games spread over the jobs
        for start in range(seed, seed + count, step):
            yield bot, start, min(start + step, seed + count)


def scenario_folder(loaded: LoadedScenario) -> Path:
    """The folder lessons' custom bot files are relative to: the scenario file's."""
    return (loaded.file or Path(loaded.path)).parent


def balance_bots(loaded: LoadedScenario, bots: list[str] | None = None) -> dict[str, str]:
    """The bots a balance run plays, each name with what to load it from.

    `bots` (default: every quick built-in bot, not the slow `expert`) are built-in
    names or `.py` files as given; every bot a lesson names and `bots` lacks is
    added, a lesson's `.py` file read from the scenario's folder. Raise
    :class:`CustomBotError` for a bot that cannot be loaded.
    """
    chosen = {name: name for name in (bots or list(QUICK_BOTS))}
    folder = scenario_folder(loaded)
    for lesson in loaded.scenario.lessons:
        for name in (lesson.bot, lesson.above, lesson.below):
            if name is None or name in chosen:
                continue
            if name.endswith(".py"):
                file = folder / name
                if not file.is_file():
                    raise CustomBotError(
                        f"lesson '{lesson.id}' names the bot file '{name}', but there is no "
                        f"{file} (bot files are relative to the scenario's folder)"
                    )
                chosen[name] = str(file)
            else:
                chosen[name] = name
    for source in chosen.values():
        make_bot(source)  # a bad name or file fails now, with its message, not in a worker
    return chosen


def run_balance(
    loaded: LoadedScenario,
    raw: bytes,
    *,
    runs: int,
    jobs: int = 1,
    seed: int = 0,
    bots: list[str] | None = None,
    slow_runs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BalanceReport:
    """Play every bot `runs` times from `seed` on `jobs` processes; return the report.

    `slow_runs` limits the slow bots (the `expert`, seconds a game) to that many of the
    seeds; their lessons are checked on those.
    `bots` are built-in names or `.py` files (default: every built-in bot); bots the
    lessons name are added (see :func:`balance_bots`).
    `raw` is the scenario's text, which worker processes parse for themselves.
    `progress` is called with the number of games finished since its last call.
    """
    sources = balance_bots(loaded, bots)
    names = list(sources)
    report = BalanceReport(
        loaded.scenario, runs, (seed, seed + runs - 1), {bot: [] for bot in names}
    )
    tasks = list(_tasks(names, seed, runs, slow_runs))
    if jobs <= 1:
        for bot, start, stop in tasks:
            report.outcomes[bot] += play_runs(loaded, bot, range(start, stop), sources[bot])
            if progress:
                progress(stop - start)
        return report
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(raw, loaded.path)
    ) as pool:
        futures = [
            (bot, pool.submit(_worker_runs, bot, sources[bot], start, stop))
            for bot, start, stop in tasks
        ]
        for bot, future in futures:
            chunk = future.result()
            report.outcomes[bot] += chunk
            if progress:
                progress(len(chunk))
    for outcomes in report.outcomes.values():
        outcomes.sort(key=lambda r: r.seed)
    return report
