"""The `--db` option every board command shares: a SQLite file or a PostgreSQL URL.

Kept free of heavy imports: the value is checked when the option is used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

DB_HELP = (
    "The leaderboard: a SQLite file, or a postgresql://USER@HOST/DATABASE URL for one board "
    "shared by several machines (default: leaderboard.db in your user data folder)."
)
F = TypeVar("F", bound=Callable[..., Any])


class BoardLocationType(click.ParamType):
    """A file path (as a `Path`) or a PostgreSQL URL (as a `str`); any other URL is refused."""

    name = "PATH|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Path):
            return value
        from game.workshop.board.location import parse_location
        from game.workshop.board.store import BoardError

        try:
            return parse_location(str(value))
        except BoardError as error:
            self.fail(str(error).removeprefix("--db "), param, ctx)


BOARD_LOCATION = BoardLocationType()


def db_option(function: F) -> F:
    """`--db PATH|URL`, passed as `db_path` (None for the default file)."""
    return click.option("--db", "db_path", type=BOARD_LOCATION, help=DB_HELP)(function)


def open_board(location: Path | str | None) -> Any:
    """The board at `location`, or a :class:`UserError` that says why it cannot be used."""
    from game.common.errors import UserError
    from game.workshop.board.location import open_board as open_store
    from game.workshop.board.store import BoardError

    try:
        return open_store(location)
    except BoardError as error:
        raise UserError(str(error)) from None


def created_workshop(
    code: str,
    location: Path | str | None,
    *,
    scenario: str | None = None,
    seed: int | None = None,
) -> Any:
    """The workshop created as `code` on the board, or None for an open workshop.

    A created workshop sets the scenario and seed: a SCENARIO or --seed given
    as well must agree with it (the message never shows a hidden seed).
    """
    from game.common.errors import UserError
    from game.workshop.workshops import workshop_code

    code = workshop_code(code)
    with open_board(location) as board:
        record = board.workshop(code)
    if record is None:
        return None
    if scenario is not None:
        from game.scenario.catalog import resolve_scenario

        given = resolve_scenario(scenario).scenario.id
        if given != record.scenario:
            raise UserError(
                f"workshop {code} plays scenario '{record.scenario}', not '{given}': "
                "leave the scenario out, the workshop sets it"
            )
    if seed is not None and seed != record.seed:
        raise UserError(f"workshop {code} sets its own seed: leave --seed out")
    return record
