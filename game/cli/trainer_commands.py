"""Commands for trainers: `rapport balance` and `rapport new`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from game.cli import CONTEXT, SEED, version_option

#: The expert plays seconds a game: by default its lessons are checked on this many seeds
#: (each lesson's confidence interval says whether that was enough).
DEFAULT_SLOW_RUNS = 20


@click.command(context_settings=CONTEXT)
@click.argument("scenario")
@click.option(
    "--runs", type=click.IntRange(1, 100_000), default=200, show_default=True, help="Seeds per bot."
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    default=None,
    help="Processes to play on (default: one per core); the results are the same.",
)
@click.option("--seed", type=SEED, default=0, show_default=True, help="First seed.")
@click.option(
    "--bots",
    "bot_list",
    metavar="NAMES",
    help="Comma-separated bots to play: built-in names or .py files "
    "(default: every built-in bot). Bots the lessons name are always added.",
)
@click.option(
    "--slow-runs",
    type=click.IntRange(1, 100_000),
    default=DEFAULT_SLOW_RUNS,
    show_default=True,
    help="Seeds for the slow expert bot (seconds a game), if fewer than --runs; "
    "its lessons are checked on these, and each says whether that settles it.",
)
@click.option(
    "--metric",
    "metrics",
    metavar="NAME",
    multiple=True,
    help="A lesson metric to report for every bot, with its spread (repeatable): "
    "reached.PERSON, defected.PERSON, hours.BEHAVIOUR, loss_at.EVENT, "
    "followed.COMPETITOR, flag.NAME, score, company_loyalty, ...",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a report.")
@version_option
def balance(
    scenario: str,
    runs: int,
    jobs: int | None,
    seed: int,
    bot_list: str | None,
    slow_runs: int | None,
    metrics: tuple[str, ...],
    as_json: bool,
) -> None:
    """Play the bots (every built-in one by default) over many seeds and check the
    scenario's lessons.

    Prints each bot's mean and spread for the main metrics, the people it
    worked with and how it spent its time, what share of the scenario's
    actions, events and answers it reached, and each customer person's loyalty
    at the end, reach and defections; any metric asked for with --metric;
    every lesson with its numbers; and the actions, events, event answers and
    introductions no run reached, each with the reason. Exits 1 if a lesson
    fails.
    """
    from game.bots import SLOW_BOTS
    from game.cli.report import format_balance, printable
    from game.cli.run_commands import check_seed_span
    from game.coach.balance import balance_bots, metric_problem, run_balance
    from game.scenario.catalog import read_scenario

    check_seed_span(seed, runs)

    bots: list[str] | None = None
    if bot_list is not None:
        bots = [name.strip() for name in bot_list.split(",") if name.strip()]
        if not bots:
            raise click.BadParameter("name at least one bot", param_hint="'--bots'")
    loaded, raw = read_scenario(scenario)
    for metric in metrics:
        problem = metric_problem(loaded.scenario, metric)
        if problem:
            raise click.BadParameter(printable(problem), param_hint="'--metric'")
    total = sum(
        min(runs, slow_runs) if slow_runs and name in SLOW_BOTS else runs
        for name in balance_bots(loaded, bots)
    )
    with click.progressbar(length=total, label=f"Playing {total:,} games", file=sys.stderr) as bar:
        report = run_balance(
            loaded,
            raw,
            runs=runs,
            jobs=jobs or os.cpu_count() or 1,
            seed=seed,
            bots=bots,
            slow_runs=slow_runs,
            metrics=metrics,
            progress=bar.update,
        )
    click.echo(
        json.dumps(report.as_dict(), indent=2, ensure_ascii=False)
        if as_json
        else format_balance(report)
    )
    if not all(v.passed for v in report.verdicts()):
        raise SystemExit(1)


@click.command(context_settings=CONTEXT)
@click.argument("name")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@version_option
def new(name: str, force: bool) -> None:
    """Write a commented starter scenario that validates and plays.

    NAME becomes the scenario id ("My scenario" → my-scenario.yaml); a NAME
    ending in .yaml is used as the file path. The scenario JSON Schema is
    written beside it (if not there yet) so editors complete fields.
    """
    import re
    from importlib import resources

    from game.common.errors import UserError
    from game.common.files import write_text_atomic
    from game.scenario.schema import SCHEMA_FILE, scenario_schema

    given = Path(name)
    scenario_id = re.sub(r"[^a-z0-9]+", "-", given.stem.lower()).strip("-") or "my-scenario"
    if not scenario_id[0].isalpha():
        scenario_id = f"scenario-{scenario_id}"
    if name.endswith((".yaml", ".yml")):
        path = given
    elif "/" in name or "\\" in name:
        path = given.with_name(f"{scenario_id}.yaml")
    else:
        path = Path(f"{scenario_id}.yaml")
    if path.exists() and not force:
        raise UserError(f"{path} already exists; use --force to overwrite it")
    title = scenario_id.replace("-", " ").capitalize()
    template = resources.files("game.authoring").joinpath("starter.yaml").read_text("utf-8")
    text = template.replace("__ID__", scenario_id).replace("__TITLE__", title)
    write_text_atomic(path, text)
    schema = path.parent / SCHEMA_FILE
    if not schema.exists():
        write_text_atomic(schema, json.dumps(scenario_schema(), indent=2) + "\n")
    click.echo(f"Wrote {path} (scenario id '{scenario_id}').")
    click.echo(
        f"Next: rapport validate {path}  ·  rapport play {path} --watch  ·  rapport balance {path}"
    )


COMMANDS = [balance, new]
