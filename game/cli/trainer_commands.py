"""Commands for trainers: `rapport balance` and `rapport new`."""

from __future__ import annotations

import json

import click

from game.cli import CONTEXT, version_option


@click.command(context_settings=CONTEXT)
@click.argument("scenario")
@click.option(
    "--runs", type=click.IntRange(1, 100_000), default=200, show_default=True, help="Seeds per bot."
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Processes to play on.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="First seed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a report.")
@version_option
def balance(scenario: str, runs: int, jobs: int, seed: int, as_json: bool) -> None:
    """Play every built-in bot over many seeds and check the scenario's lessons.

    Prints each bot's mean and spread for the main metrics, every lesson with
    its numbers, and the actions, events and event answers no run reached.
    Exits 1 if a lesson fails.
    """
    from game.balance import run_balance
    from game.bots import BUILTIN_BOTS
    from game.cli.report import format_balance
    from game.scenario.catalog import read_scenario

    loaded, raw = read_scenario(scenario)
    total = runs * len(BUILTIN_BOTS)
    with click.progressbar(
        length=total, label=f"Playing {total:,} games", file=click.get_text_stream("stderr")
    ) as bar:
        report = run_balance(loaded, raw, runs=runs, jobs=jobs, seed=seed, progress=bar.update)
    click.echo(
        json.dumps(report.as_dict(), indent=2, ensure_ascii=False)
        if as_json
        else format_balance(report)
    )
    if not all(v.passed for v in report.verdicts()):
        raise SystemExit(1)


COMMANDS = [balance]
