"""`rapport workshop run|status|pause|resume|inject|end`: steering a room while it plays."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from game.cli import CONTEXT, version_option
from game.cli.board_commands import workshop
from game.cli.board_options import db_option, open_board

if TYPE_CHECKING:
    from game.workshop.room_control import RoomControl, RoomStatus

T = TypeVar("T")

code_argument = click.argument("code")


def _on_room(code: str, db_path: Path | str | None, act: Callable[[RoomControl], T]) -> T:
    """Do `act` with the trainer's hold on workshop `code`'s room."""
    from game.workshop.room_access import with_room
    from game.workshop.workshops import workshop_code

    return with_room(db_path, workshop_code(code), act)


@workshop.command(context_settings=CONTEXT)
@code_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")
@db_option
@version_option
def status(code: str, as_json: bool, db_path: Path | str | None) -> None:
    """Every game of workshop CODE while it plays: turn, loyalty, score so far against par,
    idle time; and whether the room is paused or ended."""
    room = _on_room(code, db_path, lambda c: c.status())
    if as_json:
        click.echo(json.dumps(room.as_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(status_text(room))


def status_text(room: RoomStatus) -> str:
    """The room as lines for the terminal."""
    state = "ended" if room.ended else "paused" if room.paused else "running"
    lines = [f"Workshop {room.code}: {state}, {len(room.players)} games"]
    for injection in room.injections:
        lines.append(f"  event {injection.id} put in: {injection.event}")
    if not room.players:
        lines.append("No game has started yet.")
        return "\n".join(lines)
    header = (
        f"{'player':<24} {'turn':>7} {'loyalty':>8} {'score':>6} {'par':>5} {'vs par':>7}  status"
    )
    lines.append(header)
    for row in room.players:
        par = "-" if row.par is None else str(row.par)
        margin = "-" if row.vs_par is None else f"{row.vs_par:+d}"
        idle = f" (idle {_duration(row.idle_seconds)})" if row.idle_seconds >= 60 else ""
        lines.append(
            f"{row.player[:24]:<24} {f'{row.turn}/{row.turns}':>7} {row.loyalty:>8.0%} "
            f"{row.score:>6} {par:>5} {margin:>7}  {row.status}{idle}"
        )
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"


@workshop.command(context_settings=CONTEXT)
@code_argument
@db_option
@version_option
def pause(code: str, db_path: Path | str | None) -> None:
    """Pause workshop CODE: each game waits at the end of its turn, and says why."""
    room = _on_room(code, db_path, lambda c: c.pause())
    click.echo(f"Workshop {room.code} is paused: games wait at the end of their turn.")
    click.echo(f"Resume with: rapport workshop resume {room.code}")


@workshop.command(context_settings=CONTEXT)
@code_argument
@db_option
@version_option
def resume(code: str, db_path: Path | str | None) -> None:
    """Let the games of workshop CODE go on."""
    room = _on_room(code, db_path, lambda c: c.resume())
    click.echo(f"Workshop {room.code} goes on.")


@workshop.command(context_settings=CONTEXT)
@code_argument
@click.argument("event")
@db_option
@version_option
def inject(code: str, event: str, db_path: Path | str | None) -> None:
    """Put the scenario's EVENT into every game of workshop CODE in progress, at its next turn.

    It fires whatever its condition and chance, the same for everyone; each game's run log
    records it, and replays and scores honour it.
    """
    from game.workshop.workshops import workshop_code

    done = _on_room(code, db_path, lambda c: c.inject(event))
    click.echo(
        f"Event {done.event} (number {done.id}) goes into every game of workshop "
        f"{workshop_code(code)} in progress, as its next turn begins."
    )


@workshop.command(context_settings=CONTEXT)
@code_argument
@click.option("--yes", is_flag=True, help="Do not ask to confirm.")
@db_option
@version_option
def end(code: str, yes: bool, db_path: Path | str | None) -> None:
    """End the round of workshop CODE: games in progress are scored as they stand and marked
    unfinished on the board; they can play no further."""
    from game.workshop.workshops import workshop_code

    code = workshop_code(code)
    if not yes and not click.confirm(f"End the round of workshop {code} for everyone?"):
        raise SystemExit(1)
    ended = _on_room(code, db_path, lambda c: c.end())
    click.echo(f"The round of workshop {code} has ended.")
    for game in ended:
        if game.score is None:
            click.echo(f"  {game.player}: could not be scored ({game.problem})", err=True)
        else:
            click.echo(f"  {game.player}: {game.score} points, unfinished at turn {game.turn}")
    if not ended:
        click.echo("  No game was in progress.")


@workshop.command(context_settings=CONTEXT)
@code_argument
@click.option(
    "--browser",
    is_flag=True,
    help="Open the console in a web browser instead of this terminal (on this machine, "
    "behind a code of its own).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@db_option
@version_option
def run(code: str, browser: bool, port: int, db_path: Path | str | None) -> None:
    """The facilitator's console for workshop CODE: every player live, with pause, events,
    the end of the round and the room's debrief (Textual)."""
    from game.workshop.board.location import default_db
    from game.workshop.workshops import workshop_code

    code = workshop_code(code)
    open_board(db_path).close()  # create or check it before the console opens
    if browser:
        _serve_console(code, port, db_path)
        return
    from game.app.console import ConsoleApp

    ConsoleApp(db_path or default_db(), code).run()


def _serve_console(code: str, port: int, db_path: Path | str | None) -> None:
    """The console in a browser tab, on loopback, behind a code printed here."""
    import datetime as dt
    import sys

    from game.common.paths import serve_dir
    from game.workshop.board.location import parse_location
    from game.workshop.serve import serve_room
    from game.workshop.serve_rules import RoomRules, new_join_code

    board = parse_location(db_path)
    where = str(board.resolve()) if isinstance(board, Path) else board  # as `serve` passes it
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    rules = RoomRules(
        command=[sys.executable, "-m", "game", "workshop", "run", code, "--db", where],
        host="127.0.0.1",
        port=port,
        public_url=f"http://127.0.0.1:{port}",
        players_root=serve_dir() / f"console-{stamp}",
        max_players=4,
        idle_minutes=24 * 60,
        join_code=new_join_code(),
    )
    click.echo(f"The console of workshop {code} is at: {rules.join_url()}")
    click.echo("Only this machine can open it, and only with the code in the address.")
    serve_room(rules)


COMMANDS: list[click.Command] = []  # the commands above live in `rapport workshop`
