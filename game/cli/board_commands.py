"""`rapport workshop create|list|show`: the workshops a trainer runs on a board."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from game.cli import CONTEXT, SEED, version_option
from game.cli.board_options import db_option, open_board

if TYPE_CHECKING:
    from game.workshop.board.store import Ranking

RANKS = ("score", "par")


@click.group(context_settings=CONTEXT)
@version_option
def workshop() -> None:
    """Create a workshop on the board, and see the workshops there.

    A created workshop fixes the scenario and the seed for everyone who joins
    it (`rapport play --workshop CODE`), and the rules of its ranking.
    """


@workshop.command(context_settings=CONTEXT)
@click.argument("code")
@click.option(
    "--scenario", required=True, help="The scenario everyone plays: a bundled id or a .yaml path."
)
@click.option(
    "--seed",
    type=SEED,
    help="One seed for everyone (default: a fresh random one, kept on the board and never "
    "shown to players, so nobody can rehearse it).",
)
@click.option(
    "--first-attempt-only",
    is_flag=True,
    help="Rank each player's first finished game, not their best.",
)
@click.option(
    "--rank",
    type=click.Choice(RANKS),
    default="score",
    show_default=True,
    help="How the board ranks: by score, or by score minus par (the reference bot's score "
    "on the same seed).",
)
@db_option
@version_option
def create(
    code: str,
    scenario: str,
    seed: int | None,
    first_attempt_only: bool,
    rank: Ranking,  # one of RANKS: click.Choice checked it
    db_path: Path | str | None,
) -> None:
    """Create workshop CODE (letters, digits, - and _, up to 32) on the board."""
    from game.common.errors import UserError
    from game.workshop.board.store import WorkshopExists
    from game.workshop.workshops import new_workshop

    record = new_workshop(
        code, scenario, seed=seed, first_attempt_only=first_attempt_only, ranking=rank
    )
    with open_board(db_path) as board:
        try:
            record = board.create_workshop(record)
        except WorkshopExists as error:
            raise UserError(f"{error}; `rapport workshop show {record.code}` shows it") from None
        where = board.location
    click.echo(f"Workshop {record.code} created on {where}.")
    click.echo(_describe(record, reveal_seed=False))
    click.echo("")
    click.echo("Players join with:")
    click.echo(f"  {_join_command(record.code, db_path)}")


@workshop.command(name="list", context_settings=CONTEXT)
@click.option(
    "--format",
    "output",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
)
@db_option
@version_option
def list_workshops(output: str, db_path: Path | str | None) -> None:
    """Every workshop on the board: those created, then open ones (games only).

    Seeds kept hidden from players are not shown here; `workshop show` shows them.
    """
    with open_board(db_path) as board:
        summaries = board.workshops()
    if output == "json":
        rows = [
            (_record_dict(s.record, reveal_seed=False) if s.record else {"code": s.code})
            | {"created_on_board": s.record is not None, "players": s.players, "games": s.games}
            for s in summaries
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not summaries:
        click.echo("No workshops yet. Create one: rapport workshop create CODE --scenario ID")
        return
    columns = ("code", "scenario", "seed", "ranks", "players", "games", "created")
    table = []
    for s in summaries:
        w = s.record
        table.append(
            {
                "code": s.code,
                "scenario": w.scenario if w else "(open: any)",
                "seed": (_seed_text(w, reveal_seed=False) if w else "any"),
                "ranks": _rules(w) if w else "best score",
                "players": str(s.players),
                "games": str(s.games),
                "created": w.created[:16].replace("T", " ") if w else "",
            }
        )
    widths = {c: max(len(c), *(len(r[c]) for r in table)) for c in columns}
    right = {"players", "games"}

    def line(values: dict[str, str]) -> str:
        cells = [
            values[c].rjust(widths[c]) if c in right else values[c].ljust(widths[c])
            for c in columns
        ]
        return "  ".join(cells).rstrip()

    click.echo("\n".join([line({c: c for c in columns}), *(line(r) for r in table)]))


@workshop.command(context_settings=CONTEXT)
@click.argument("code")
@click.option(
    "--format",
    "output",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
)
@db_option
@version_option
def show(code: str, output: str, db_path: Path | str | None) -> None:
    """Workshop CODE's scenario, seed (even a hidden one: for the trainer's eyes) and rules."""
    from game.common.errors import UserError
    from game.workshop.workshops import workshop_code

    code = workshop_code(code)
    with open_board(db_path) as board:
        record = board.workshop(code)
        summary = next((s for s in board.workshops() if s.code == code), None)
        where = board.location
    if record is None and summary is None:
        raise UserError(f"no workshop {code} on {where}; `rapport workshop list` shows those there")
    players, games = (summary.players, summary.games) if summary else (0, 0)
    if output == "json":
        data = (_record_dict(record, reveal_seed=True) if record else {"code": code}) | {
            "created_on_board": record is not None,
            "players": players,
            "games": games,
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if record is None:
        click.echo(f"Workshop {code} (open: not created on the board; any scenario and seed)")
    else:
        click.echo(f"Workshop {code}, created {record.created[:19].replace('T', ' ')} UTC")
        click.echo(_describe(record, reveal_seed=True))
    click.echo(f"  players    {players} ({games} games)")
    if record is not None:
        click.echo("")
        click.echo("Players join with:")
        click.echo(f"  {_join_command(code, db_path)}")


def _seed_text(record: Any, *, reveal_seed: bool) -> str:
    if not record.seed_hidden:
        return str(record.seed)
    return f"{record.seed} (hidden from players)" if reveal_seed else "hidden"


def _rules(record: Any) -> str:
    what = "score - par" if record.ranking == "par" else "score"
    which = "first game" if record.first_attempt_only else "best game"
    return f"{which}, by {what}"


def _describe(record: Any, *, reveal_seed: bool) -> str:
    seed = _seed_text(record, reveal_seed=reveal_seed)
    if record.seed_hidden and not reveal_seed:
        seed = f"random, hidden from players (`rapport workshop show {record.code}` shows it)"
    ranking = (
        "by score minus par (the relationship-builder bot's score on the same seed)"
        if record.ranking == "par"
        else "by score"
    )
    attempts = (
        "only each player's first finished game ranks"
        if record.first_attempt_only
        else "each player's best game ranks"
    )
    return "\n".join(
        [
            f"  scenario   {record.scenario}",
            f"  seed       {seed}",
            f"  ranking    {ranking}",
            f"  attempts   {attempts}",
        ]
    )


def _record_dict(record: Any, *, reveal_seed: bool) -> dict[str, Any]:
    return {
        "code": record.code,
        "scenario": record.scenario,
        "scenario_hash": record.scenario_hash,
        "seed": record.seed if reveal_seed or not record.seed_hidden else None,
        "seed_hidden": record.seed_hidden,
        "first_attempt_only": record.first_attempt_only,
        "rank": record.ranking,
        "created": record.created,
    }


def _join_command(code: str, db_path: Path | str | None) -> str:
    from game.workshop.board.location import describe

    command = ["rapport", "play", "--workshop", code]
    if db_path is not None:
        command += ["--db", describe(db_path)]  # a URL without its password
    return shlex.join(command)


COMMANDS = [workshop]
