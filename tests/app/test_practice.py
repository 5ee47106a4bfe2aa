"""Practice games in the app: backspace undoes, < rewinds, the run log says practice; in
a ranked game neither key does anything."""

from __future__ import annotations

from textual.widgets import Checkbox

from game.app.app import RapportApp
from game.app.screens.dialogs import RewindScreen
from game.app.screens.play import PlayScreen
from tests.app.conftest import open_game, screen_text, settle


async def test_backspace_undoes_and_less_than_rewinds_a_practice_game() -> None:
    app = RapportApp("tutorial", seed=3, player="Ada", practice=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_game(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        session = app.screen.session
        assert session.practice and "practice" in screen_text(app)
        await pilot.press("j", "1")
        await settle(pilot, app)
        assert session.game.choices_made == ["call:you:head"]
        await pilot.press("backspace")
        await settle(pilot, app)
        assert session.game.choices_made == []
        await pilot.press("p", "1", "e")
        await settle(pilot, app)
        if session.game.pending_event is not None:  # the week-2 event
            await pilot.press("1")
            await settle(pilot, app)
        assert session.game.turn == 2
        await pilot.press("less_than_sign")
        await settle(pilot, app)
        assert isinstance(app.screen, RewindScreen)
        await pilot.press("down", "enter")  # the list runs from the latest turn down
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert session.game.turn == 1 and session.game.choices_made == []
        assert session.run_log().practice


async def test_a_ranked_game_has_no_undo_and_the_briefing_offers_practice() -> None:
    app = RapportApp("tutorial", seed=3, player="Ada")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        box = app.screen.query_one("#practice", Checkbox)
        assert box.value is False
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("j", "1", "backspace", "less_than_sign")
        await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.game.choices_made == ["call:you:head"]
        assert not app.screen.session.practice
