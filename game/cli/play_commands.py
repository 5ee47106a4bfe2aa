"""`rapport play`: the Textual game."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from game.cli import CONTEXT, SEED, version_option
from game.cli.board_options import BOARD_LOCATION, DB_HELP

if TYPE_CHECKING:
    from game.workshop.leaderboard import Workshop
    from game.workshop.lrs import Lrs


@click.command(context_settings=CONTEXT)
@click.argument("scenario", required=False)
@click.option("--seed", type=SEED, help="Random seed (default: a new one each game).")
@click.option("--name", "player", help="Your name, as shown in the debrief and run logs.")
@click.option(
    "--watch",
    is_flag=True,
    help="Reload SCENARIO (a file) whenever it is saved, replaying the moves made so far.",
)
@click.option(
    "--workshop",
    help="Join this workshop: its scenario and seed if the trainer created it; your finished "
    "game goes on its leaderboard.",
)
@click.option("--db", "db_path", type=BOARD_LOCATION, help=DB_HELP)
@click.option(
    "--plain",
    is_flag=True,
    help="Play as plain lines of text: commands typed on standard input, no full-screen "
    "drawing, no escape sequences (for screen readers, braille displays and scripts).",
)
@click.option(
    "--practice",
    is_flag=True,
    help="A practice game: undo a move or rewind to the start of any turn and try another "
    "path. It is marked practice and never ranked.",
)
@click.option(
    "--team",
    metavar="NAME",
    help="In a workshop: play one seat of an account team, the team called NAME (made if "
    "new; `auto`: the first team with a free seat). Each trainee plays one teammate.",
)
@click.option(
    "--team-size",
    type=click.IntRange(2, 4),
    default=2,
    show_default=True,
    help="How many trainees a new team has.",
)
@click.option(
    "--lrs",
    "lrs_url",
    metavar="URL",
    help="Send learning records (xAPI) to this LRS, such as https://lrs.example.com/xAPI; "
    "credentials from RAPPORT_LRS_USER and RAPPORT_LRS_PASSWORD.",
)
@click.option(
    "--lang",
    "language",
    metavar="CODE",
    help="Play the scenario in this language: its translation ID.CODE.po, beside the "
    "scenario, in ./scenarios or in your scenario folder (see `rapport strings`).",
)
@click.option(
    "--exit-after-first-frame",
    is_flag=True,
    hidden=True,
    help="Paint the first frame and exit (for the start-up benchmark).",
)
@click.option(
    "--exit-when-playable",
    is_flag=True,
    hidden=True,
    help="Exit once the briefing (or the picker) is painted and answers keys (for the "
    "start-up benchmark).",
)
@version_option
def play(
    scenario: str | None,
    seed: int | None,
    player: str | None,
    watch: bool,
    workshop: str | None,
    db_path: Path | str | None,
    plain: bool,
    practice: bool,
    team: str | None,
    team_size: int,
    lrs_url: str | None,
    language: str | None,
    exit_after_first_frame: bool,
    exit_when_playable: bool,
) -> None:
    """Play SCENARIO (a bundled id or a .yaml path) in the terminal.

    Without SCENARIO, choose one from a list, or continue your last
    unfinished game. Your game is saved after every move.

    With --watch (for scenario authors), every save of the file reloads the
    scenario and replays your moves to the same point; if the file has
    errors, they are shown in the game until you fix them.

    With --workshop CODE, the finished game is scored by replay and put on
    that workshop's leaderboard; the debrief shows your rank. A workshop the
    trainer created (`rapport workshop create`) sets the scenario and the
    seed, so SCENARIO and --seed can be left out; the seed is not shown.

    With --plain, the same game is played as lines of text (type `help`); NO_COLOR is
    honoured in every mode. With --practice, undo and rewind are allowed (in the
    full-screen game: backspace undoes, < rewinds); a practice game is never ranked.

    With --lang CODE, the scenario is shown in its translation into that language
    (and the interface too, where Rapport has its words); see docs/translating.md.
    """
    if practice and workshop is not None:
        raise click.UsageError("--practice cannot be used in a workshop: workshop games are ranked")
    if team is not None:
        team = _team_name(team, workshop, alone=plain or practice or watch)
    lrs = None
    if lrs_url is not None:
        from game.workshop.lrs import Lrs

        lrs = Lrs.from_url(lrs_url)
    if language is not None:
        _use_language(language, scenario, watch)
    if watch and (scenario is None or not Path(scenario).is_file()):
        raise click.UsageError("--watch needs the path of a scenario file to watch")
    record = None
    if workshop is not None:
        workshop, record = _workshop(workshop, db_path, scenario, seed, watch)
        if record is not None:
            scenario, seed = scenario or record.scenario, record.seed
    if scenario is not None and not _bundled_or_file(scenario):
        from game.scenario.catalog import check_named

        check_named(scenario)  # a name that finds nothing never starts the full-screen app
    if plain:
        scenario = _plain_scenario(scenario, watch)
        raise SystemExit(_play_plain(scenario, seed, player, workshop, practice, db_path, lrs))
    from game.app.app import RapportApp

    app = RapportApp(
        scenario,
        seed=seed,
        player=player,
        watch=watch,
        workshop=workshop,
        db_path=db_path,
        workshop_record=record,
        exit_after_first_frame=exit_after_first_frame,
        exit_when_playable=exit_when_playable,
        practice=practice,
        lrs=lrs,
        team=team,
        team_size=team_size,
    )
    app.run(headless=exit_after_first_frame or exit_when_playable)
    if app.return_code:
        raise SystemExit(app.return_code)


def _plain_scenario(scenario: str | None, watch: bool) -> str:
    """The scenario plain mode plays: it needs one, and cannot watch a file."""
    if watch:
        raise click.UsageError("--watch needs the full-screen game; leave out --plain")
    if scenario is None:
        raise click.UsageError(
            "--plain needs a SCENARIO: a bundled id (see `rapport scenarios`) or a file"
        )
    return scenario


def _team_name(team: str, workshop: str | None, *, alone: bool) -> str:
    """The team to join (`auto`: the first with a free seat), if a team can be played."""
    if workshop is None:
        raise click.UsageError("--team needs --workshop: a team plays in a workshop")
    if alone:
        raise click.UsageError(
            "a team game is played in the full-screen game or a browser, not with "
            "--plain, --practice or --watch"
        )
    from game.workshop.workshops import workshop_code

    return "auto" if team.strip().lower() == "auto" else workshop_code(team)


def _workshop(
    workshop: str, db_path: Path | str | None, scenario: str | None, seed: int | None, watch: bool
) -> tuple[str, Workshop | None]:
    """The workshop's code, and the workshop if the trainer created it (which sets the
    scenario and the seed)."""
    from game.cli.board_options import created_workshop
    from game.workshop.workshops import workshop_code

    code = workshop_code(workshop)
    record = created_workshop(code, db_path, scenario=scenario, seed=seed)
    if record is not None and watch:
        raise click.UsageError("--watch cannot be used in a workshop the trainer created")
    return code, record


def _use_language(language: str, scenario: str | None, watch: bool) -> None:
    """Show scenarios in `language`; a missing or broken translation of `scenario` is
    named before any game starts."""
    from game.common.language import is_language_code, use_language

    if not is_language_code(language):
        raise click.BadParameter(
            f"'{language[:40]}' is not a language code: write one such as fr, de or pt-BR",
            param_hint="'--lang'",
        )
    if watch:
        raise click.UsageError("--watch shows the scenario as written; leave out --lang")
    use_language(language)
    from game.common.i18n import use_interface_language

    use_interface_language(language)  # English where Rapport has no words in it yet
    if scenario is not None:
        from game.scenario.catalog import resolve_scenario

        resolve_scenario(scenario)


def _play_plain(
    scenario: str,
    seed: int | None,
    player: str | None,
    workshop: str | None,
    practice: bool,
    db_path: Path | str | None = None,
    lrs: Lrs | None = None,
) -> int:
    """The plain text game on standard input and output; the exit code."""
    import secrets

    from game.play.plain import PlainGame
    from game.play.saves import SaveStore, default_saves
    from game.play.session import PlaySession
    from game.scenario.catalog import resolve_scenario

    loaded = resolve_scenario(scenario)
    if workshop is not None:
        from game.common.paths import saves_dir

        saves = SaveStore(saves_dir() / "workshops" / workshop)
    else:
        saves = default_saves()
    session = None
    if (seed is None or workshop is not None) and not practice:
        session = PlaySession.resume(saves, loaded.scenario.id)
        if session is not None and session.loaded.content_hash != loaded.content_hash:
            session = None
    if workshop is not None and session is not None and player is not None:
        from game.common.names import clean_player_name

        if session.player != clean_player_name(player):
            raise click.UsageError(
                f"this account already has {session.player}'s unfinished game of workshop "
                f"{workshop}: continue it with --name {shlex.quote(session.player)}, or play "
                "from another account (each trainee's games are saved in their own user folder)"
            )
    resumed = session is not None
    if session is None:
        chosen = secrets.randbelow(1_000_000) if seed is None else seed
        session = PlaySession.start(loaded, chosen, player, saves=saves, practice=practice)

    def out(line: str) -> None:
        click.echo(line, nl=line != "> ")

    stdin: TextIO = sys.stdin
    lines = (line.rstrip("\n") for line in stdin)
    recorder = None
    if lrs is not None:
        from game.workshop.learning_records import LrsRecorder

        recorder = LrsRecorder(lrs, workshop)
    try:
        if workshop is None:
            return PlainGame(session, out, room=recorder).run(lines, resumed=resumed)
        from game.cli.board_options import open_board
        from game.play.room_hook import Hooks
        from game.workshop.live import LiveRoom
        from game.workshop.submit import plain_submitter

        with open_board(db_path) as board:
            room = LiveRoom(board, workshop)
            play = PlainGame(
                session,
                out,
                workshop=workshop,
                room=room if recorder is None else Hooks([room, recorder]),
                submit=plain_submitter(board, workshop),
            )
            return play.run(lines, resumed=resumed)
    finally:
        if recorder is not None:
            done = recorder.close()
            if done.waiting:
                click.echo(
                    f"{done.waiting} learning records wait to be sent ({done.problem}); they "
                    "go with your next game, or run: rapport lrs send --lrs URL",
                    err=True,
                )


def _bundled_or_file(scenario: str) -> bool:
    """Whether `scenario` is a file or a bundled scenario's id, found without loading the
    scenario models (they load behind the first screen)."""
    from importlib import resources

    if Path(scenario).is_file():
        return True
    return resources.files("scenarios").joinpath(f"{scenario}.yaml").is_file()


COMMANDS = [play]
