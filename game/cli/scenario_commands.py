"""`rapport scenarios`, `rapport validate` and `rapport schema`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from game.cli import CONTEXT, version_option

if TYPE_CHECKING:
    from game.scenario.problems import Problem


@click.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@version_option
def scenarios(as_json: bool) -> None:
    """List the scenarios you can play: bundled ones, ./scenarios and your own folder.

    Each scenario once (one found twice, byte for byte, is listed once), in the order
    the game suggests: the tutorial first.
    """
    from game.play.listing import found_scenarios
    from game.scenario.problems import ScenarioError, printable

    rows = []
    listed = []
    for found in found_scenarios():
        entry, item = found.entry, found.item
        if isinstance(item, ScenarioError):
            rows.append((entry.id, f"(invalid: {len(item.problems)} problem(s))", "", entry.origin))
            listed.append(
                {"id": entry.id, "origin": entry.origin, "path": entry.path, "valid": False}
                | {"problems": [_problem_json(p) for p in item.problems]}
            )
            continue
        s = item.scenario
        rows.append((s.id, s.title, f"{s.turns} turns", entry.origin))
        listed.append(
            {"id": s.id, "title": s.title, "turns": s.turns, "origin": entry.origin}
            | {"path": entry.path, "valid": True}
        )
    if as_json:
        click.echo(json.dumps(listed, indent=2, ensure_ascii=True))
        return
    width = max(len(r[0]) for r in rows)
    title_width = max(len(r[1]) for r in rows)
    for scenario_id, title, length, origin in rows:
        line = f"{scenario_id:<{width}}  {title:<{title_width}}  {length:>9}  {origin}"
        click.echo(printable(line))


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@version_option
def validate(paths: tuple[str, ...], strict: bool, as_json: bool) -> None:
    """Check scenario files. Prints one PATH:LINE:COL: CODE message line per problem,
    then one summary line per file: valid, valid with warnings (and how many), or how
    many errors.

    Warnings (codes R5xx) leave the exit code 0 unless --strict. Exits 0 when every
    file is valid, 1 otherwise. docs/authoring.md explains every code.
    """
    from game.scenario.loader import load_scenario
    from game.scenario.problems import ScenarioError, printable

    failed = False
    reports = []
    for path in paths:
        try:
            loaded = load_scenario(path)
        except ScenarioError as error:
            failed = True
            count = len(error.problems)
            summary = f"{path}: {count} error{'s' if count != 1 else ''}"
            reports.append(
                {"path": path, "valid": False, "summary": summary}
                | {"problems": [_problem_json(p) for p in error.problems]}
            )
            if not as_json:
                for problem in error.problems:
                    click.echo(str(problem))
                click.echo(printable(summary))
            continue
        s = loaded.scenario
        warnings = loaded.warnings
        if strict and warnings:
            failed = True
        # Nothing from the file reaches the terminal raw (escape sequences included).
        summary = f"{path}: valid ({s.id}: {s.title}, {s.turns} turns)"
        if warnings:
            count = len(warnings)
            summary = (
                f"{path}: valid, but with {count} warning{'s' if count != 1 else ''} "
                f"({s.id}: {s.title}, {s.turns} turns)"
                + ("; --strict makes them errors" if strict else "")
            )
        reports.append(
            {"path": path, "valid": not (strict and warnings), "summary": summary}
            | {"id": s.id, "title": s.title, "turns": s.turns}
            | {"problems": [_problem_json(p) for p in warnings]}
        )
        if not as_json:
            for warning in warnings:
                click.echo(str(warning))
            click.echo(printable(summary))
    if as_json:
        click.echo(json.dumps(reports, indent=2, ensure_ascii=True))
    if failed:
        raise SystemExit(1)


def _problem_json(problem: Problem) -> dict[str, object]:
    """One problem as JSON: where, its code, how serious, and what."""
    return {
        "line": problem.line,
        "col": problem.col,
        "code": problem.code,
        "severity": problem.severity,
        "message": problem.message,
    }


@click.command(context_settings=CONTEXT)
@click.option(
    "--codes",
    is_flag=True,
    help="Print the table of problem codes (R101…) as Markdown instead, as the "
    "Error codes section of docs/authoring.md shows it.",
)
@version_option
def schema(codes: bool) -> None:
    """Print the JSON Schema of the scenario format, for editors and validators."""
    if codes:
        from game.scenario.codes import codes_markdown

        click.echo(codes_markdown(), nl=False)
        return
    from game.scenario.schema import scenario_schema

    click.echo(json.dumps(scenario_schema(), indent=2))


COMMANDS = [scenarios, validate, schema]
