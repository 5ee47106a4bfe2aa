"""Learning records: `rapport workshop export CODE --format xapi` and `rapport lrs send`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from game.cli import CONTEXT, version_option
from game.cli.board_commands import workshop
from game.cli.board_options import db_option, open_board

LRS_HELP = (
    "The LRS's xAPI address, such as https://lrs.example.com/xAPI; credentials from "
    "RAPPORT_LRS_USER and RAPPORT_LRS_PASSWORD."
)


@workshop.command(context_settings=CONTEXT)
@click.argument("code")
@click.option(
    "--format",
    "output",
    type=click.Choice(["xapi"]),
    default="xapi",
    show_default=True,
    help="What to write: xAPI 1.0.3 statements (a JSON list an LRS takes as it is).",
)
@click.option(
    "-o",
    "--output",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (default: standard output).",
)
@db_option
@version_option
def export(code: str, output: str, path: Path | None, db_path: Path | str | None) -> None:
    """Every game of workshop CODE on the board as learning records: the same statements the
    games send with --lrs (same ids), from launch to completion with score and par."""
    from game.common.files import write_text_atomic
    from game.workshop.workshops import workshop_code
    from game.workshop.xapi_export import workshop_statements

    code = workshop_code(code)
    with open_board(db_path) as board:
        found, skipped = workshop_statements(board, code)
    text = json.dumps(found, indent=1, ensure_ascii=False) + "\n"
    if path is None:
        click.echo(text, nl=False)
    else:
        write_text_atomic(path, text)
        click.echo(f"{len(found)} statements of workshop {code} written to {path}.", err=True)
    for problem in skipped:
        click.echo(f"skipped: {problem}", err=True)


@click.group(context_settings=CONTEXT)
@version_option
def lrs() -> None:
    """Learning records waiting for a learning record store (LRS)."""


@lrs.command(context_settings=CONTEXT)
@click.argument("statements", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lrs", "lrs_url", required=True, metavar="URL", help=LRS_HELP)
@version_option
def send(statements: Path | None, lrs_url: str) -> None:
    """Send the learning records waiting for the LRS (those games could not send), and the
    statements in STATEMENTS (a file `workshop export` wrote), each once."""
    from game.common.errors import UserError
    from game.common.files import read_bytes_limited
    from game.workshop.lrs import Lrs, StatementQueue

    queue = StatementQueue(Lrs.from_url(lrs_url))
    if statements is not None:
        try:
            data = json.loads(
                read_bytes_limited(statements, 200 * 1024 * 1024, "a statements file")
            )
        except ValueError:
            raise UserError(f"{statements}: not a JSON list of xAPI statements") from None
        if not isinstance(data, list) or not all(
            isinstance(s, dict) and isinstance(s.get("id"), str) for s in data
        ):
            raise UserError(f"{statements}: not a JSON list of xAPI statements with ids")
        queue.put(data)
    done = queue.flush()
    click.echo(f"{done.sent} statements sent; {done.waiting} waiting.")
    if done.problem:
        click.echo(done.problem, err=True)
    if done.waiting:
        raise SystemExit(1)


COMMANDS = [lrs]
