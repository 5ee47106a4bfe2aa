"""`rapport play --workshop`: the finished game lands on the board, the debrief shows the rank.

In a workshop the trainer created, the game takes the board's scenario and seed,
and the seed is never shown to the player.
"""

from __future__ import annotations

import re
from pathlib import Path

from game.app.app import RapportApp
from game.app.screens.briefing import BriefingScreen
from game.app.screens.debrief import DebriefScreen
from game.app.screens.play import EventModal, PlayScreen
from game.cli.board_options import created_workshop
from game.play.debrief import to_markdown
from game.scenario.catalog import load_bundled
from game.workshop.board import Workshop, open_board
from tests.app.conftest import open_game, screen_text, settle

SECRET_SEED = 987_654_321


async def test_a_finished_workshop_game_is_submitted_and_ranked(tmp_path: Path) -> None:
    db = tmp_path / "room.db"
    with open_board(db) as board:  # someone already played better
        board.add(
            workshop="ROOM1",
            scenario="director-to-ceo",
            scenario_hash="sha256:x",
            seed=1,
            player="Earlier",
            score=999,
            breakdown={},
            run_log="{}",
        )
    app = RapportApp("director-to-ceo", seed=8, player="Ada", workshop="ROOM1", db_path=db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_game(pilot, app)
        for _ in range(300):
            if isinstance(app.screen, DebriefScreen):
                break
            await pilot.press("1" if isinstance(app.screen, EventModal) else "e")
        await settle(pilot, app)
        assert isinstance(app.screen, DebriefScreen)
        assert "Workshop ROOM1: Ada is number 2 of 2" in screen_text(app)
    with open_board(db) as board:
        standings = board.standings(workshop="ROOM1")
    assert [s.entry.player for s in standings] == ["Earlier", "Ada"]
    assert standings[1].entry.seed == 8
    assert standings[1].entry.par is not None


async def test_a_created_workshop_sets_the_game_and_never_shows_its_seed(tmp_path: Path) -> None:
    db = tmp_path / "room.db"
    loaded = load_bundled("director-to-ceo")
    with open_board(db) as board:
        board.create_workshop(
            Workshop(
                "HIDE",
                "director-to-ceo",
                loaded.content_hash,
                SECRET_SEED,
                seed_hidden=True,
                first_attempt_only=True,
                ranking="par",
            )
        )
    record = created_workshop("hide", db)  # what `rapport play --workshop hide` reads
    assert record is not None and record.seed == SECRET_SEED
    app = RapportApp(
        record.scenario,
        seed=record.seed,
        player="Ada",
        workshop=record.code,
        db_path=db,
        workshop_record=record,
    )
    seen = []
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, BriefingScreen)
        seen.append(screen_text(app))
        assert "workshop HIDE" in seen[-1]
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        status = str(app.screen.status_text(app.screen.game.view()))
        assert "workshop HIDE" in status and "seed" not in status
        session = app.session
        app.action_restart()  # only the first game counts: no second try at the same dice
        app.action_new_game()
        await settle(pilot, app)
        assert app.session is session and isinstance(app.screen, PlayScreen)
        for _ in range(300):
            if isinstance(app.screen, DebriefScreen):
                break
            seen.append(screen_text(app))
            await pilot.press("1" if isinstance(app.screen, EventModal) else "e")
        await settle(pilot, app)
        assert isinstance(app.screen, DebriefScreen)
        seen.append(screen_text(app))
        assert "Workshop HIDE: Ada is number 1 of 1" in seen[-1] and "par" in seen[-1]
        markdown = to_markdown(app.screen.debrief)
    for text in [*seen, markdown]:
        assert str(SECRET_SEED) not in text
        assert not re.search(r"seed \d", text)
    with open_board(db) as board:
        (standing,) = board.standings(workshop="HIDE", rank="par")
    assert standing.entry.seed == SECRET_SEED and standing.entry.par is not None
    assert standing.seed_hidden
