"""Balance runs: every built-in bot over many seeds, lessons checked, coverage listed.

`run_balance` plays the games (on several processes if asked), then
`BalanceReport` holds per-bot means and spreads, how each bot spent its time
and with how many people, each customer person's loyalty, reach and
defections, any lesson metric asked for, each lesson's verdict with its
numbers, each bot's coverage of the scenario, and the actions, events, answers
and introductions no run ever reached, with the reasons
(:mod:`game.coach.balance_reasons`).

While a bot plays, a watcher notes before each of its decisions what the
explanations need (which moves and introductions were open, which conditions
held and how close the others came, the best trust an introducer had): a
:class:`~game.coach.balance_probes.RunTrace` per game.

The bots are the built-in ones (or those asked for), plus any bot a lesson
names: a built-in name or a custom `.py` file relative to the scenario's folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from game.bots import QUICK_BOTS, CustomBotError, make_bot
from game.coach.balance_report import (
    ACTIVITY_METRICS,
    COVERAGE_KINDS,
    TABLE_METRICS,
    BalanceReport,
    LessonVerdict,
    PersonSummary,
    RunOutcome,
    metric_names,
    metric_problem,
)
from game.coach.balance_runs import init_worker, play_runs, reached_in, run_tasks, worker_runs
from game.scenario import LoadedScenario


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
    metrics: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> BalanceReport:
    """Play every bot `runs` times from `seed` on `jobs` processes; return the report.

    `slow_runs` limits the slow bots (the `expert`, seconds a game) to that many of the
    seeds; their lessons are checked on those.
    `bots` are built-in names or `.py` files (default: every built-in bot); bots the
    lessons name are added (see :func:`balance_bots`).
    `metrics` are lesson metrics to report for every bot (ValueError for one no lesson
    of this scenario could use: see :func:`metric_problem`).
    `raw` is the scenario's text, which worker processes parse for themselves.
    `progress` is called with the number of games finished since its last call.
    """
    for metric in metrics:
        problem = metric_problem(loaded.scenario, metric)
        if problem:
            raise ValueError(problem)
    sources = balance_bots(loaded, bots)
    names = list(sources)
    report = BalanceReport(
        loaded.scenario,
        runs,
        (seed, seed + runs - 1),
        {bot: [] for bot in names},
        tuple(dict.fromkeys(metrics)),
    )
    tasks = list(run_tasks(names, seed, runs, slow_runs))
    if jobs <= 1:
        for bot, start, stop in tasks:
            report.outcomes[bot] += play_runs(loaded, bot, range(start, stop), sources[bot])
            if progress:
                progress(stop - start)
        return report
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=init_worker, initargs=(raw, loaded.path)
    ) as pool:
        futures = [
            (bot, pool.submit(worker_runs, bot, sources[bot], start, stop))
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


__all__ = [
    "ACTIVITY_METRICS",
    "COVERAGE_KINDS",
    "TABLE_METRICS",
    "BalanceReport",
    "LessonVerdict",
    "PersonSummary",
    "RunOutcome",
    "balance_bots",
    "metric_names",
    "metric_problem",
    "play_runs",
    "reached_in",
    "run_balance",
    "scenario_folder",
]
