"""`rapport play`: the Textual game."""

from __future__ import annotations

from pathlib import Path

import click

from game.cli import CONTEXT, SEED, version_option
from game.cli.board_options import BOARD_LOCATION, DB_HELP


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
    """
    if watch and (scenario is None or not Path(scenario).is_file()):
        raise click.UsageError("--watch needs the path of a scenario file to watch")
    record = None
    if workshop is not None:
        from game.cli.board_options import created_workshop
        from game.workshop.workshops import workshop_code

        workshop = workshop_code(workshop)
        record = created_workshop(workshop, db_path, scenario=scenario, seed=seed)
        if record is not None:
            if watch:
                raise click.UsageError("--watch cannot be used in a workshop the trainer created")
            scenario = scenario or record.scenario
            seed = record.seed
    if scenario is not None and not _bundled_or_file(scenario):
        from game.scenario.catalog import check_named

        check_named(scenario)  # a name that finds nothing never starts the full-screen app
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
    )
    app.run(headless=exit_after_first_frame or exit_when_playable)
    if app.return_code:
        raise SystemExit(app.return_code)


def _bundled_or_file(scenario: str) -> bool:
    """Whether `scenario` is a file or a bundled scenario's id, found without loading the
    scenario models (they load behind the first screen)."""
    from importlib import resources

    if Path(scenario).is_file():
        return True
    return resources.files("scenarios").joinpath(f"{scenario}.yaml").is_file()


COMMANDS = [play]
