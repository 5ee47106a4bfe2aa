"""Workshop commands: `rapport submit`, `rapport leaderboard` and `rapport serve`."""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path

import click

from game.cli import CONTEXT, version_option

DB_HELP = "The leaderboard database (default: leaderboard.db in your user data folder)."
FORMATS = ("table", "csv", "json", "html")


def db_option(function):
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP
    )(function)


def open_board(db_path: Path | None):
    from game.errors import UserError
    from game.workshop import default_db
    from scoring.leaderboard import Leaderboard, LeaderboardError

    try:
        return Leaderboard(db_path or default_db())
    except LeaderboardError as error:
        raise UserError(str(error)) from None


@click.command(context_settings=CONTEXT)
@click.argument("runlog", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workshop", required=True, help="The workshop code, e.g. SALES-0312.")
@click.option("--name", help="The player's name (default: the name in the run log).")
@click.option(
    "--scenario",
    "scenario_path",
    help="The scenario file, if the log's scenario is not bundled or in ./scenarios.",
)
@db_option
@version_option
def submit(
    runlog: Path, workshop: str, name: str | None, scenario_path: str | None, db_path: Path | None
) -> None:
    """Replay RUNLOG and put its recomputed score on the workshop's leaderboard.

    The score is never read from the file: a log whose scenario has changed,
    that does not replay, or whose game is unfinished is refused.
    """
    from game.files import read_bytes_limited
    from game.workshop import MAX_RUNLOG_BYTES, Submitter, workshop_code

    code = workshop_code(workshop)
    raw = read_bytes_limited(runlog, MAX_RUNLOG_BYTES, "a run log")
    with open_board(db_path) as board:
        done = Submitter(board, scenario_path).submit(raw, workshop=code, name=name)
    click.echo(
        f"{done.player}: {done.score} points on {done.scenario} — rank {done.rank} of "
        f"{done.players} in workshop {done.workshop}"
    )


@click.command(context_settings=CONTEXT)
@click.option("--workshop", help="Only this workshop.")
@click.option("--scenario", help="Only this scenario id.")
@click.option(
    "--format",
    "output",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="How to print the board.",
)
@click.option("--limit", type=click.IntRange(1, 100_000), help="Only the top N players.")
@click.option("--live", is_flag=True, help="A live board for the projector (Textual).")
@db_option
@version_option
def leaderboard(
    workshop: str | None,
    scenario: str | None,
    output: str,
    limit: int | None,
    live: bool,
    db_path: Path | None,
) -> None:
    """Each player's best score, highest first (ties go to whoever scored it first).

    --format html writes one self-contained page to share. --live opens a
    board that updates as scores arrive, with the room's decisions.
    """
    from game.board_formats import as_csv, as_html, as_json, as_table
    from game.workshop import default_db, workshop_code

    code = workshop_code(workshop) if workshop else None
    if live:
        from game.app.live_board import LiveBoardApp

        path = db_path or default_db()
        open_board(path).close()  # create or check it before the screen opens
        LiveBoardApp(path, workshop=code, scenario=scenario).run()
        return
    with open_board(db_path) as board:
        standings = board.standings(workshop=code, scenario=scenario, limit=limit)
    title = (
        "Rapport leaderboard"
        + (f" — {code}" if code else "")
        + (f" — {scenario}" if scenario else "")
    )
    formats = {
        "table": as_table,
        "csv": as_csv,
        "json": as_json,
        "html": lambda s: as_html(s, title),
    }
    click.echo(formats[output](standings), nl=output == "table" or output == "json")


@click.command(context_settings=CONTEXT)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback lets other machines in.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workshop", help="Put every finished game on this workshop's board.")
@click.option(
    "--scenario",
    default="sand-supplier",
    show_default=True,
    help="The scenario every browser plays.",
)
@click.option("--seed", type=int, help="One seed for everyone (a fair competition).")
@click.option("--public-url", help="The address players type, if it differs from host:port.")
@db_option
@version_option
def serve(
    host: str,
    port: int,
    workshop: str | None,
    scenario: str,
    seed: int | None,
    public_url: str | None,
    db_path: Path | None,
) -> None:
    """Serve the game to web browsers: each tab is its own game.

    Listens on loopback unless --host says otherwise. Finished games land on
    the same leaderboard when --workshop is given.
    """
    from game.scenario.catalog import resolve_scenario
    from game.workshop import default_db, workshop_code

    resolve_scenario(scenario)  # refuse a broken scenario now, not in every browser tab
    command = [sys.executable, "-m", "game", "play", scenario]
    if seed is not None:
        command += ["--seed", str(seed)]
    if workshop:
        command += ["--workshop", workshop_code(workshop), "--db", str(db_path or default_db())]
    url = public_url or _public_url(host, port)
    if not _is_loopback(host):
        click.echo(f"Listening on {host}:{port}: other machines on this network can connect.")
    click.echo(f"Players open: {url}")
    from textual_serve.server import Server

    Server(shlex.join(command), host=host, port=port, title="Rapport", public_url=url).serve()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _public_url(host: str, port: int) -> str:
    """The URL to share: for a wildcard address, this machine's own name."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


COMMANDS = [submit, leaderboard, serve]
