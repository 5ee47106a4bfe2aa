"""Workshop commands: `rapport submit`, `rapport leaderboard` and `rapport serve`."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from game.cli import CONTEXT, SEED, version_option
from game.cli.board_options import created_workshop, db_option, open_board

if TYPE_CHECKING:
    from game.workshop.board import Ranking

FORMATS = ("table", "csv", "json", "html")
RANKS = ("score", "par")


@click.command(context_settings=CONTEXT)
@click.argument("runlog", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workshop", required=True, help="The workshop code, e.g. SALES-0312.")
@click.option("--name", help="The player's name (default: the name in the run log).")
@click.option(
    "--scenario",
    "scenario_path",
    help="The scenario file, if the log's scenario is not bundled or in ./scenarios.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a sentence.")
@db_option
@version_option
def submit(
    runlog: Path,
    workshop: str,
    name: str | None,
    scenario_path: str | None,
    as_json: bool,
    db_path: Path | str | None,
) -> None:
    """Replay RUNLOG and put its recomputed score on the workshop's leaderboard.

    The score is never read from the file: a log whose scenario has changed,
    that does not replay, or whose game is unfinished is refused.
    """
    from game.common.files import read_bytes_limited
    from game.workshop.submit import MAX_RUNLOG_BYTES, Submitter
    from game.workshop.workshops import workshop_code

    code = workshop_code(workshop)
    raw = read_bytes_limited(runlog, MAX_RUNLOG_BYTES, "a run log")
    with open_board(db_path) as board:
        done = Submitter(board, scenario_path).submit(raw, workshop=code, name=name)
    if as_json:
        data = dataclasses.asdict(done) | {"margin": done.margin}
        click.echo(json.dumps(data, indent=2, ensure_ascii=True))
        return
    par = "" if done.par is None else f" (par {done.par}, {done.score - done.par:+d})"
    by = " by score minus par" if done.ranking == "par" else ""
    click.echo(
        f"{done.player}: {done.score} points{par} on {done.scenario} — rank {done.rank} of "
        f"{done.players}{by} in workshop {done.workshop}"
    )
    if not done.counts:
        click.echo(f"{done.player}'s earlier game still ranks; this one is kept on the board.")


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
@click.option(
    "--rank",
    type=click.Choice(RANKS),
    help="Rank by score, or by score minus par (the reference bot's score on the same seed: "
    "fair when seeds differ). Default: the workshop's ranking, else score.",
)
@db_option
@version_option
def leaderboard(
    workshop: str | None,
    scenario: str | None,
    output: str,
    limit: int | None,
    live: bool,
    rank: Ranking | None,
    db_path: Path | str | None,
) -> None:
    """Each player's best score, highest first (ties go to whoever scored it first).

    Every entry shows par: what the relationship-builder bot scores on the
    same seed; --rank par ranks by score minus par. In a first-attempt-only
    workshop, each player's first game ranks. --format html writes one
    self-contained page to share. --live opens a board that updates as
    scores arrive, with the room's decisions.
    """
    from game.workshop.board.location import default_db
    from game.workshop.formats import as_csv, as_html, as_json, as_table
    from game.workshop.workshops import workshop_code

    code = workshop_code(workshop) if workshop else None
    with open_board(db_path) as board:  # create or check it before a live screen opens
        record = board.workshop(code) if code else None
        ranking = rank or (record.ranking if record else "score")
        if not live:
            standings = board.standings(workshop=code, scenario=scenario, limit=limit, rank=ranking)
    if live:
        from game.app.live_board import LiveBoardApp

        LiveBoardApp(db_path or default_db(), workshop=code, scenario=scenario, rank=ranking).run()
        return
    title = (
        "Rapport leaderboard"
        + (f" — {code}" if code else "")
        + (f" — {scenario}" if scenario else "")
    )
    formats = {
        "table": as_table,
        "csv": as_csv,
        "json": as_json,
        "html": lambda s: as_html(s, title, ranking),
    }
    click.echo(formats[output](standings), nl=output == "table" or output == "json")


@click.command(context_settings=CONTEXT)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback lets other machines in, with a join code.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workshop", help="Put every finished game on this workshop's board.")
@click.option(
    "--scenario",
    default="sand-supplier",
    show_default=True,
    help="The scenario every browser plays.",
)
@click.option("--seed", type=SEED, help="One seed for everyone (a fair competition).")
@click.option("--public-url", help="The address players type, if it differs from host:port.")
@click.option(
    "--join-code",
    metavar="CODE",
    help="The code players need (default: a new one whenever --host is not loopback). "
    "Giving one requires it on loopback too.",
)
@click.option(
    "--max-players",
    type=click.IntRange(1, 1000),
    default=40,
    show_default=True,
    help="Games open at once; one more player sees a 'room full' page.",
)
@click.option(
    "--idle-minutes",
    type=click.FloatRange(0, 7 * 24 * 60, min_open=True),
    default=30,
    show_default=True,
    help="Close a game nobody has touched for this long (it is saved first).",
)
@click.option(
    "--header-timeout",
    type=click.FloatRange(0.1, 300),
    default=10,
    show_default=True,
    help="Seconds a browser has to send a request's headers; a slower one is cut off.",
)
@click.option(
    "--lang",
    "language",
    metavar="CODE",
    help="Every browser plays the scenario in this language: its translation ID.CODE.po, "
    "beside the scenario, in ./scenarios or in your scenario folder (see `rapport strings`).",
)
@click.option(
    "--warm/--no-warm",
    default=True,
    show_default=True,
    help="Fork each game from a process that has already loaded the game, so a room of "
    "players starts in seconds; --no-warm starts each as a new process (where forking "
    "is not available, games always start that way).",
)
@click.option(
    "--team-size",
    type=click.IntRange(2, 4),
    help="Account teams: each browser joins the first team with a free seat, and this many "
    "trainees play one account together (needs --workshop).",
)
@click.option(
    "--lrs",
    "lrs_url",
    metavar="URL",
    help="Every game sends learning records (xAPI) to this LRS; credentials from "
    "RAPPORT_LRS_USER and RAPPORT_LRS_PASSWORD in this server's environment.",
)
@db_option
@version_option
def serve(
    host: str,
    port: int,
    workshop: str | None,
    scenario: str,
    seed: int | None,
    public_url: str | None,
    join_code: str | None,
    max_players: int,
    idle_minutes: float,
    header_timeout: float,
    language: str | None,
    warm: bool,
    team_size: int | None,
    lrs_url: str | None,
    db_path: Path | None,
) -> None:
    """Serve the game to web browsers: each tab is its own player, with its own save.

    Listens on loopback unless --host says otherwise; then players need the
    join code, which is part of the address printed to share. Finished games
    land on the same leaderboard when --workshop is given.
    """
    import datetime as dt

    from game.common.paths import serve_dir
    from game.workshop.board.location import parse_location
    from game.workshop.serve import serve_room
    from game.workshop.serve_rules import RoomRules, is_loopback, new_join_code
    from game.workshop.workshops import workshop_code

    _check_serve_options(public_url, join_code, language)
    given = click.get_current_context().get_parameter_source("scenario")
    record = (
        created_workshop(
            workshop,
            db_path,
            scenario=None if given == click.core.ParameterSource.DEFAULT else scenario,
            seed=seed,
        )
        if workshop
        else None
    )
    command = _game_command(None if record is not None else scenario, seed)
    if workshop:
        board = parse_location(db_path)
        if isinstance(board, Path):
            board = board.resolve()  # each game runs in its own folder
        command += ["--workshop", workshop_code(workshop), "--db", str(board)]
    if language is not None:
        command += ["--lang", language]
    if team_size is not None:
        if not workshop:
            raise click.UsageError("--team-size needs --workshop: teams play in a workshop")
        command += ["--team", "auto", "--team-size", str(team_size)]
    if lrs_url is not None:
        from game.workshop.lrs import Lrs

        command += ["--lrs", Lrs.from_url(lrs_url).endpoint]  # checked once, here
    if join_code is None and not is_loopback(host):
        join_code = new_join_code()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    rules = RoomRules(
        command=command,
        host=host,
        port=port,
        public_url=(public_url or _public_url(host, port)).rstrip("/"),
        players_root=serve_dir() / stamp,
        max_players=max_players,
        idle_minutes=idle_minutes,
        join_code=join_code,
        public_url_given=public_url is not None,
        header_seconds=header_timeout,
        warm=warm,
    )
    if not is_loopback(host):
        click.echo(f"Listening on {host}:{port}: other machines on this network can connect.")
    if join_code:
        click.echo(f"Join code: {join_code} (players without it are turned away)")
    click.echo(f"Players open: {rules.join_url()}")
    click.echo(f"Each player's saves go to a folder in {rules.players_root}")
    serve_room(rules)


def _check_serve_options(
    public_url: str | None, join_code: str | None, language: str | None
) -> None:
    """Refuse a malformed --public-url, --join-code or --lang; use the language."""
    from game.workshop.serve_rules import JOIN_CODE

    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise click.BadParameter(
            f"{public_url!r} must start with http:// or https://", param_hint="'--public-url'"
        )
    if join_code is not None and not JOIN_CODE.fullmatch(join_code):
        raise click.BadParameter(
            "use 4 to 64 letters, digits and dashes, starting with a letter or digit",
            param_hint="'--join-code'",
        )
    if language is not None:
        from game.common.language import is_language_code, use_language

        if not is_language_code(language):
            raise click.BadParameter(
                f"'{language[:40]}' is not a language code: write one such as fr, de or pt-BR",
                param_hint="'--lang'",
            )
        use_language(language)  # so that a missing translation is found now


def _game_command(scenario: str | None, seed: int | None) -> list[str]:
    """Each game's `rapport play`: of `scenario` (checked now, not in every browser tab)
    and `seed`, or (None) of a workshop's, which each game reads from the board."""
    command = [sys.executable, "-m", "game", "play"]
    if scenario is None:
        return command
    from game.scenario.catalog import resolve_scenario

    resolve_scenario(scenario)
    if Path(scenario).is_file():
        scenario = str(Path(scenario).resolve())  # the same file, whatever the game's folder
    command.append(scenario)
    if seed is not None:
        command += ["--seed", str(seed)]
    return command


def _public_url(host: str, port: int) -> str:
    """The URL to share: for a wildcard address, this machine's own name."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


COMMANDS = [submit, leaderboard, serve]
