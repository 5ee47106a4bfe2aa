"""`rapport scenarios`, `rapport validate` and `rapport schema`."""

from __future__ import annotations

import json

import click

from game.cli import CONTEXT, version_option


@click.command(context_settings=CONTEXT)
@version_option
def scenarios() -> None:
    """List the scenarios you can play: bundled ones, ./scenarios and your own folder.

    Each scenario once (one found twice, byte for byte, is listed once), in the order
    the game suggests: the tutorial first.
    """
    from game.play.listing import found_scenarios
    from game.scenario.problems import ScenarioError, printable

    rows = []
    for found in found_scenarios():
        entry, item = found.entry, found.item
        if isinstance(item, ScenarioError):
            rows.append((entry.id, f"(invalid: {len(item.problems)} problem(s))", "", entry.origin))
            continue
        s = item.scenario
        rows.append((s.id, s.title, f"{s.turns} turns", entry.origin))
    width = max(len(r[0]) for r in rows)
    title_width = max(len(r[1]) for r in rows)
    for scenario_id, title, length, origin in rows:
        line = f"{scenario_id:<{width}}  {title:<{title_width}}  {length:>9}  {origin}"
        click.echo(printable(line))


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@version_option
def validate(paths: tuple[str, ...], strict: bool) -> None:
    """Check scenario files. Prints one PATH:LINE:COL: CODE message line per problem.

    Warnings (codes R5xx) leave the exit code 0 unless --strict. Exits 0 when every
    file is valid, 1 otherwise. docs/authoring.md explains every code.
    """
    from game.scenario.loader import load_scenario
    from game.scenario.problems import ScenarioError, printable

    failed = False
    for path in paths:
        try:
            loaded = load_scenario(path)
        except ScenarioError as error:
            failed = True
            for problem in error.problems:
                click.echo(str(problem))
            continue
        for warning in loaded.warnings:
            click.echo(str(warning))
        if strict and loaded.warnings:
            failed = True
            continue
        s = loaded.scenario
        # Nothing from the file reaches the terminal raw (escape sequences included).
        click.echo(printable(f"{path}: ok ({s.id}: {s.title}, {s.turns} turns)"))
    if failed:
        raise SystemExit(1)


@click.command(context_settings=CONTEXT)
@version_option
def schema() -> None:
    """Print the JSON Schema of the scenario format, for editors and validators."""
    from game.scenario.schema import scenario_schema

    click.echo(json.dumps(scenario_schema(), indent=2))


COMMANDS = [scenarios, validate, schema]
