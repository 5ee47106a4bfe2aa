"""The `rapport` command line.

Exit codes: 0 success, 1 invalid input (a broken scenario, run log or bot),
2 usage error. Commands import the engine lazily so `rapport --help` is fast.
"""

from __future__ import annotations

import importlib
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


#: Each command and the module of `game.cli` that defines it: a command's module is
#: imported only when that command runs (or help lists it), so `rapport play` starts
#: without reading the other commands.
COMMAND_MODULES = {
    "analyse": "analyse_commands",
    "balance": "trainer_commands",
    "leaderboard": "workshop_commands",
    "lrs": "lrs_commands",
    "lsp": "authoring_commands",
    "map": "authoring_commands",
    "new": "trainer_commands",
    "play": "play_commands",
    "replay": "run_commands",
    "scenarios": "scenario_commands",
    "schema": "scenario_commands",
    "serve": "workshop_commands",
    "simulate": "run_commands",
    "strings": "strings_commands",
    "submit": "workshop_commands",
    "test": "authoring_commands",
    "validate": "scenario_commands",
    "workshop": "board_commands",
}
#: Modules that add subcommands to a group defined in another (loaded with the group).
GROUP_PARTS = {"workshop": ("room_commands", "lrs_commands")}


class RapportGroup(click.Group):
    """Loads each command when it is asked for; turns user errors into a clear message
    and exit code 1, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in COMMAND_MODULES:
            _add_module(self, COMMAND_MODULES[cmd_name])
            for part in GROUP_PARTS.get(cmd_name, ()):
                importlib.import_module(f"game.cli.{part}")
            command = super().get_command(ctx, cmd_name)
        return command

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
    cli.main(prog_name="rapport")


def register_commands() -> None:
    """Add every command to the group now (help and `rapport CMD` load them when asked)."""
    for name in COMMAND_MODULES:
        cli.get_command(click.Context(cli), name)


def _add_module(group: click.Group, module: str) -> None:
    for command in importlib.import_module(f"game.cli.{module}").COMMANDS:
        group.add_command(command)


__all__ = ["SEED", "cli", "main", "version_option"]

if __name__ == "__main__":  # pragma: no cover
    main()
