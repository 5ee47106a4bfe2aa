"""`rapport lsp`, `rapport map` and `rapport test`: tools for scenario authors and trainers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from game.cli import CONTEXT, version_option

if TYPE_CHECKING:
    from game.scenario.models import Scenario

#: The formats of `rapport map` (game.authoring.story_map.FORMATS, without importing it).
MAP_FORMATS = ("text", "mermaid", "dot")


@click.command(context_settings=CONTEXT)
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk over standard input and output (what it always does; editors may pass it).",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False),
    help="Write the server's debug log to this file.",
)
@version_option
def lsp(stdio: bool, log_file: str | None) -> None:
    """Run the scenario language server, for editors, on standard input and output.

    It checks scenario files as you type (the same problems as `rapport validate`),
    completes the ids of people, actions, events, flags and metrics, shows who or what
    an id is on hover, and jumps to where an id is defined. See docs/editors.md.
    """
    from game.authoring.lsp import serve

    serve(log_file)


@click.command("map", context_settings=CONTEXT)
@click.argument("scenario")
@click.option(
    "--format",
    "form",
    type=click.Choice(MAP_FORMATS),
    default="text",
    show_default=True,
    help="Plain text, a Mermaid flowchart, or a Graphviz DOT graph.",
)
@version_option
def map_command(scenario: str, form: str) -> None:
    """Show the shape of SCENARIO (a bundled id or a .yaml path) for a trainer.

    The customer's reporting lines; who can introduce you to whom, and the trust it
    takes; how many introductions each person is from the people met at the start;
    and the events and moves with the flags each sets and reads.
    """
    from game.authoring.story_map import story_map
    from game.scenario.catalog import resolve_scenario

    loaded = resolve_scenario(scenario)
    click.echo(story_map(loaded.scenario, form), nl=False)


@click.command("test", context_settings=CONTEXT)
@click.argument("scenario")
@click.option(
    "--tests",
    "tests_path",
    type=click.Path(dir_okay=False, exists=True),
    help="The scripted tests (default: SCENARIO's file with .tests.yaml, if there is one).",
)
@click.option(
    "--runs",
    type=click.IntRange(1, 10_000),
    default=20,
    show_default=True,
    help="Seeds each quick bot plays to see what the scenario's parts are reached by.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a report.")
@version_option
def test_command(scenario: str, tests_path: str | None, runs: int, as_json: bool) -> None:
    """Test a scenario: what the bots reach, and the trainer's scripted tests.

    The quick bots play SCENARIO on --runs seeds; every action, event, answer,
    introduction and person none of them reached is listed with why. Then each
    scripted test (given these moves on this seed, expect these flags, people,
    milestones and values; see docs/authoring.md) is played and checked; a failure
    is one FILE:LINE:COL line at the move or expectation. Exits 1 if a scripted test
    fails or the tests file cannot be read.
    """
    import json
    import os

    from game.bots import QUICK_BOTS
    from game.coach.balance import run_balance
    from game.scenario.catalog import read_scenario
    from game.scenario.problems import printable

    loaded, raw = read_scenario(scenario)
    if tests_path is None and loaded.file is not None:
        beside = loaded.file.with_name(loaded.file.name.split(".")[0] + ".tests.yaml")
        tests_path = str(beside) if beside.is_file() else None
    report = run_balance(
        loaded, raw, runs=runs, jobs=os.cpu_count() or 1, bots=list(QUICK_BOTS), slow_runs=1
    )
    found = TestFindings(
        loaded.scenario.id,
        runs,
        report.unreachable(),
        [item for item in report.one_sided() if item[2] == "true"],
        *_scripted(loaded.scenario, tests_path),
    )
    if as_json:
        click.echo(json.dumps(found.as_dict(), indent=2, ensure_ascii=True))
    else:
        lines = found.lines(scripted=tests_path is not None)
        click.echo("\n".join(printable(line) for line in lines))
    if found.failed:
        raise SystemExit(1)


def _scripted(scenario: Scenario, tests_path: str | None) -> tuple[list[Any], list[str]]:
    """The outcomes of the scripted tests in `tests_path`, or why they cannot be read."""
    from pathlib import Path

    from game.authoring.scenario_tests import TestFileError, read_tests, run_tests

    if tests_path is None:
        return [], []
    try:
        tests, source = read_tests(Path(tests_path).read_text(encoding="utf-8"), tests_path)
    except TestFileError as error:
        return [], [str(f) for f in error.failures]
    return run_tests(scenario, tests, source, tests_path), []


@dataclass
class TestFindings:
    """What `rapport test` found: parts never reached, conditions that never went the
    other way, and the scripted tests' outcomes."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    scenario: str
    runs: int
    gaps: list[Any]
    one_sided: list[tuple[str, str, str]]
    outcomes: list[Any]
    problems: list[str]

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(not o.passed for o in self.outcomes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "runs": self.runs,
            "unreached": [item.as_dict() for item in self.gaps],
            "always_true": [{"part": key, "when": when} for key, when, _ in self.one_sided],
            "tests": [
                {"name": o.name, "passed": o.passed, "failures": [str(f) for f in o.failures]}
                for o in self.outcomes
            ],
            "problems": self.problems,
        }

    def lines(self, *, scripted: bool) -> list[str]:
        lines = [f"{self.scenario}: the quick bots on {self.runs} seeds each"]
        if self.gaps:
            lines.append("Never reached, and why:")
            lines += [f"- {item.label}: " + "; ".join(item.reasons) for item in self.gaps]
        else:
            lines.append("Every action, event, answer, introduction and person was reached.")
        if self.one_sided:
            lines.append(
                "Conditions that never went the other way (true whenever a turn began, in "
                "every game): check they can close, or drop them:"
            )
            lines += [f"- {key}: when {when}" for key, when, _side in self.one_sided]
        else:
            lines.append("Every condition was seen both true and false.")
        if not scripted:
            lines.append("No scripted tests (write them in a .tests.yaml beside the scenario).")
        lines += self.problems
        for outcome in self.outcomes:
            lines.append(("ok   " if outcome.passed else "FAIL ") + outcome.name)
            lines += [f"  {failure}" for failure in outcome.failures]
        if self.outcomes:
            passed = sum(o.passed for o in self.outcomes)
            lines.append(f"Scripted tests: {passed} of {len(self.outcomes)} pass")
        return lines


COMMANDS = [lsp, map_command, test_command]
