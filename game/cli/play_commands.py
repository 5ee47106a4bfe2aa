"""`rapport play`: the Textual game."""

from __future__ import annotations

from pathlib import Path

import click

from game.cli import CONTEXT, version_option


@click.command(context_settings=CONTEXT)
@click.argument("scenario", required=False)
@click.option("--seed", type=int, help="Random seed (default: a new one each game).")
@click.option("--name", "player", help="Your name, as shown in the debrief and run logs.")
@click.option(
    "--watch",
    is_flag=True,
    help="Reload SCENARIO (a file) whenever it is saved, replaying the moves made so far.",
)
@click.option("--workshop", help="Put your finished game on this workshop's leaderboard.")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The leaderboard database (default: in your user data folder).",
)
@click.option(
    "--exit-after-first-frame",
    is_flag=True,
    hidden=True,
    help="Paint the first frame and exit (for the start-up benchmark).",
)
@version_option
def play(
    scenario: str | None,
    seed: int | None,
    player: str | None,
    watch: bool,
    workshop: str | None,
    db_path: Path | None,
    exit_after_first_frame: bool,
) -> None:
    """Play SCENARIO (a bundled id or a .yaml path) in the terminal.

    Without SCENARIO, choose one from a list, or continue your last
    unfinished game. Your game is saved at the end of every turn.

    With --watch (for scenario authors), every save of the file reloads the
    scenario and replays your moves to the same point; if the file has
    errors, they are shown in the game until you fix them.

    With --workshop CODE, the finished game is scored by replay and put on
    that workshop's leaderboard; the debrief shows your rank.
    """
    if watch and (scenario is None or not Path(scenario).is_file()):
        raise click.UsageError("--watch needs the path of a scenario file to watch")
    if workshop is not None:
        from game.workshop import workshop_code

        workshop = workshop_code(workshop)
    from game.app.app import RapportApp

    app = RapportApp(
        scenario,
        seed=seed,
        player=player,
        watch=watch,
        workshop=workshop,
        db_path=db_path,
        exit_after_first_frame=exit_after_first_frame,
    )
    app.run(headless=exit_after_first_frame)
    if app.return_code:
        raise SystemExit(app.return_code)


COMMANDS = [play]
