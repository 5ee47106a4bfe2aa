"""`rapport simulate` and `rapport replay`: play headless, print results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from game.cli import CONTEXT, SEED, version_option
from game.cli.report import format_result, format_runs
from game.common.errors import UserError

if TYPE_CHECKING:
    from game.engine.runlog import RunLog
    from game.scenario import LoadedScenario

MAX_RUNLOG_BYTES = 10 * 1024 * 1024


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


@click.command(context_settings=CONTEXT)
@click.argument("scenario")
@click.option(
    "--bot",
    "bot_name",
    default="relationship-builder",
    show_default=True,
    help="A built-in bot, or a .py file defining choose(view).",
)
@click.option("--seed", type=SEED, default=1, show_default=True, help="Random seed.")
@click.option(
    "--runs",
    type=click.IntRange(1, 100_000),
    default=1,
    show_default=True,
    help="Play seeds SEED, SEED+1, … SEED+RUNS-1 and summarise.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a report.")
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the run log (single runs only).",
)
@version_option
def simulate(
    scenario: str, bot_name: str, seed: int, runs: int, as_json: bool, log_path: Path | None
) -> None:
    """Let a bot play SCENARIO (a bundled id or a .yaml path) and print the result.

    Built-in bots: relationship-builder, discounter, lone-star, constellation,
    random, idle.
    """
    from game.bots import make_bot, play
    from game.coach.results import run_result, summarize
    from game.common.files import write_text_atomic
    from game.engine import Game
    from game.scenario.catalog import resolve_scenario

    if log_path is not None and runs > 1:
        raise click.UsageError("--log writes one run log; use it without --runs")
    check_seed_span(seed, runs)
    loaded = resolve_scenario(scenario)
    bot = make_bot(bot_name)
    results = []
    for run_seed in range(seed, seed + runs):
        game = Game(loaded.scenario, run_seed, scenario_hash=loaded.content_hash, narrate=False)
        play(game, bot)
        results.append(run_result(game, bot=bot.name, timeline=runs == 1))
        if log_path is not None:
            write_text_atomic(log_path, game.run_log(bot=bot.name).to_json())
    if runs == 1:
        click.echo(_dump(results[0]) if as_json else format_result(results[0]))
        return
    output = {
        "scenario": loaded.scenario.id,
        "bot": bot.name,
        "seeds": [seed, seed + runs - 1],
        "runs": results,
        "summary": summarize(results),
    }
    click.echo(_dump(output) if as_json else format_runs(output))


@click.command(context_settings=CONTEXT)
@click.argument("runlog", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--scenario",
    "scenario_arg",
    help="The scenario (a file, or an id) to replay on, if the log's is not bundled, "
    "in ./scenarios or in your scenarios folder.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a report.")
@version_option
def replay(runlog: Path, scenario_arg: str | None, as_json: bool) -> None:
    """Replay a run log and print its result, recomputed from the choices.

    The log's scenario is looked up by id among the known scenarios, never
    opened as a file: give a scenario file with --scenario. A log that does
    not match its scenario (edited scenario, foreign hash, impossible choice)
    is refused.
    """
    from game.coach.results import run_result
    from game.engine import replay as replay_log

    log = read_runlog(runlog)
    loaded = runlog_scenario(runlog, log, scenario_arg)
    game = replay_log(loaded.scenario, log, scenario_hash=loaded.content_hash, narrate=False)
    result = run_result(game, bot=log.bot)
    if log.player is not None:
        result["player"] = log.player
    click.echo(_dump(result) if as_json else format_result(result))


def read_runlog(path: Path) -> RunLog:
    """Read a run-log file, refusing what is too big or not a run log."""
    from game.common.files import read_bytes_limited
    from game.engine.runlog import RunLog, RunLogError

    raw = read_bytes_limited(path, MAX_RUNLOG_BYTES, "a run log")
    try:
        return RunLog.from_json(raw)
    except RunLogError as error:
        raise UserError(f"{path}: {error}") from None


def runlog_scenario(path: Path, log: RunLog, scenario_arg: str | None) -> LoadedScenario:
    """The scenario a run log is replayed on: --scenario if given, else the known scenario
    with the log's id (never a file the log names)."""
    from game.scenario.catalog import ScenarioNotFound, find_scenario_id, resolve_scenario

    if scenario_arg is not None:
        return resolve_scenario(scenario_arg)
    try:
        return find_scenario_id(log.scenario)
    except ScenarioNotFound as error:
        raise UserError(f"{path}: {error}; give the scenario's file with --scenario PATH") from None


def check_seed_span(seed: int, runs: int) -> None:
    """Refuse --seed and --runs whose last seed would pass the largest seed."""
    from game.common.seeds import MAX_SEED

    if seed + runs - 1 > MAX_SEED:
        raise click.BadParameter(
            f"seeds {seed} to {seed + runs - 1} pass the largest seed, {MAX_SEED} (2**63 - 1)",
            param_hint="'--seed' and '--runs'",
        )


COMMANDS = [simulate, replay]
