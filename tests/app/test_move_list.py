"""The move list: grouped by person with two-key picks, a preview pane, people not met yet,
and the loyalty chart on screens tall enough for it."""

from __future__ import annotations

import pytest

from game.app.app import RapportApp
from game.app.screens.play import EventModal, PlayScreen
from game.app.widgets.choice_list import ChoiceList
from game.app.widgets.event_log import EventLog
from game.app.widgets.metrics_panel import MetricsPanel
from game.app.widgets.move_preview import MovePreview
from game.app.widgets.trend_chart import TrendChart
from tests.app.conftest import open_game, screen_text, settle


def letter_of(moves: ChoiceList, person: str) -> str:
    return next(g.letter for g in moves._groups if g.key == person)


async def test_a_letter_then_a_number_picks_that_persons_move() -> None:
    app = RapportApp("sand-supplier", seed=1, player="Ada")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_game(pilot, app)
        moves = app.screen.query_one(ChoiceList)
        rosa = letter_of(moves, "buyer")
        await pilot.press(rosa)
        await settle(pilot, app)
        assert moves.current_group is not None and moves.current_group.key == "buyer"
        second = moves.current_group.moves[1]
        await pilot.press("2")
        await settle(pilot, app)
        assert app.session.game.choices_made[-1] == second.id
        assert second.target == "buyer"


async def test_the_same_keys_pick_the_same_move_next_turn() -> None:
    app = RapportApp("sand-supplier", seed=1, player="Ada")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_game(pilot, app)
        moves = app.screen.query_one(ChoiceList)
        rosa = letter_of(moves, "buyer")
        picked = []
        for _ in range(2):
            await pilot.press(rosa, "1")
            await settle(pilot, app)
            picked.append(app.session.game.choices_made[-1])
            await pilot.press("e")
            await settle(pilot, app)
            if isinstance(app.screen, EventModal):
                await pilot.press("1")
                await settle(pilot, app)
            assert isinstance(app.screen, PlayScreen)
            assert letter_of(moves, "buyer") == rosa
        assert picked[0] == picked[1] == "call:you:buyer"


async def test_the_preview_describes_the_move_under_the_cursor() -> None:
    app = RapportApp("sand-supplier", seed=1, player="Ada")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_game(pilot, app)
        moves = app.screen.query_one(ChoiceList)
        preview = app.screen.query_one(MovePreview)
        board = app.screen.board
        assert board is not None
        await pilot.press("down")
        await settle(pilot, app)
        choice = moves.highlighted_choice(board)
        assert choice is not None and choice.description
        text = str(preview.content)
        assert choice.description in text
        assert "Reaches" in text and "Likely" in text


async def test_people_not_met_show_who_could_introduce_them_and_how_far_off() -> None:
    app = RapportApp("sand-supplier", seed=1, player="Ada")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_game(pilot, app)
        moves = app.screen.query_one(ChoiceList)
        locked = [o for o in moves.options if o.id and o.id.startswith("locked:")]
        assert locked and all(o.disabled for o in locked)
        ids = {o.id for o in locked}
        assert "locked:gm" in ids  # Grace, the general manager, is not met at the start


@pytest.mark.parametrize(("size", "shown"), [((120, 40), True), ((80, 24), False)])
async def test_the_chart_shows_at_120x40_and_hides_at_80x24(size, shown) -> None:
    app = RapportApp("sand-supplier", seed=1, player="Ada")
    async with app.run_test(size=size) as pilot:
        await open_game(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        chart = app.screen.query_one(MetricsPanel).query_one(TrendChart)
        assert chart.display == shown
        assert chart.region.height >= (7 if shown else 0)
        loyalty, satisfaction, _ = chart.series
        assert len(loyalty) == len(satisfaction) == app.session.game.turn  # finished turns


async def test_the_log_rewraps_when_the_terminal_is_resized() -> None:
    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=(160, 48)) as pilot:
        await open_game(pilot, app)
        await pilot.press("1", "e")
        await settle(pilot, app)
        log = app.screen.query_one(EventLog)
        wide = len(log.lines)
        await pilot.resize_terminal(64, 24)
        await settle(pilot, app)
        narrow = log.scrollable_content_region.width
        assert len(log.lines) > wide  # the same entries take more lines
        assert max(line.cell_length for line in log.lines) <= narrow


async def test_an_event_shows_its_risks_and_tells_the_outcome_as_a_card() -> None:
    app = RapportApp("sand-supplier", seed=3, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_game(pilot, app)
        await pilot.press("e", "e")
        await settle(pilot, app)
        assert isinstance(app.screen, EventModal)  # the damp load, turn 3
        risky = {a.id: a.risks for a in app.screen.answers}
        assert any("promise" in r for r in risky["event:damp_load:next_week"])
        assert any("price cut" in r for r in risky["event:damp_load:credit_load"])
        assert "price cut" in screen_text(app)
        await pilot.press("1")
        await settle(pilot, app)
        cards = list(app._notifications)
        assert cards and cards[-1].title == "A damp load"
        assert "Send Jonas" in cards[-1].message


async def test_the_tutorials_briefing_keys_work_as_it_says() -> None:
    """The tutorial tells a new player to press j for Jo's moves."""
    app = RapportApp("tutorial", seed=1, player="Ada")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_game(pilot, app)
        moves = app.screen.query_one(ChoiceList)
        await pilot.press("j")
        await settle(pilot, app)
        group = moves.current_group
        assert group is not None and group.heading.startswith("Jo ")
