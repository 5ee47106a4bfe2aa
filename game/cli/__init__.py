"""The `rapport` command line.

Exit codes: 0 success, 1 invalid input (a broken scenario, run log or bot),
2 usage error. Commands import the engine lazily so `rapport --help` is fast.
"""

from __future__ import annotations

import re
from typing import Any

import click

from game import __version__
from game.common.errors import UserError
from game.common.seeds import RANGE, seed_problem

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class SeedType(click.ParamType):
    """The type of every --seed option: a whole number that fits in 64 bits."""

    name = "integer"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            self.fail(f"{text[:40]!r} is not a whole number", param, ctx)
        significant = text.lstrip("+-").lstrip("0") or "0"
        digits = len(significant)
        sign = -1 if text.startswith("-") else 1
        number = sign * int(significant) if digits <= 30 else None  # else: too long to show
        problem = (
            seed_problem(number)
            if number is not None
            else f"a number of {digits:,} digits is out of range ({RANGE})"
        )
        if problem:
            self.fail(problem, param, ctx)
        assert number is not None
        return number


SEED = SeedType()


def version_option(function: Any) -> Any:
    """`--version` on every command, not just the group."""
    return click.version_option(
        __version__, "--version", prog_name="rapport", message="%(prog)s %(version)s"
    )(function)


class RapportGroup(click.Group):
    """Turns user errors into a clear message and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as error:
            problems = getattr(error, "problems", None)
            if problems:  # located problems speak for themselves: FILE:LINE:COL: message
                for problem in problems:
                    click.echo(str(problem), err=True)
            else:
                click.echo(f"error: {error}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            ctx.exit(1)


@click.group(cls=RapportGroup, context_settings=CONTEXT)
@version_option
def cli() -> None:
    """Rapport: a sales-training game about customer trust and loyalty.

    Play a scenario, or check and balance scenarios with built-in bots.
    """


def main() -> None:
    """Entry point of the `rapport` console script."""
    from game.cli import (
        analyse_commands,
        authoring_commands,
        board_commands,
        lrs_commands,
        play_commands,
        room_commands,
        run_commands,
        scenario_commands,
        strings_commands,
        trainer_commands,
        workshop_commands,
    )

    for module in (
        play_commands,
        scenario_commands,
        run_commands,
        analyse_commands,
        trainer_commands,
        workshop_commands,
        board_commands,
        room_commands,
        lrs_commands,
        authoring_commands,
        strings_commands,
    ):
        for command in module.COMMANDS:
            cli.add_command(command)
    cli.main(prog_name="rapport")


__all__ = ["SEED", "cli", "main", "version_option"]

if __name__ == "__main__":  # pragma: no cover
    main()
