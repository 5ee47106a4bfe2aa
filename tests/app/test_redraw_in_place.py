"""A move redraws the panels in place: the log and the move list grow without a layout
of the whole screen (their scroll bars learn the new length directly, in the same
frame), and the move preview lays out only when its height changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text

from game.app.app import RapportApp
from game.app.screens.play import EventModal, PlayScreen
from game.app.widgets.choice_list import ChoiceList
from game.app.widgets.event_log import EventLog
from game.app.widgets.move_preview import MovePreview
from tests.app.conftest import open_game, screen_text, settle


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which of the log, the move list and the preview asked for a layout."""
    asked: list[str] = []
    for widget in (EventLog, ChoiceList, MovePreview):
        refresh = widget.refresh

        def spy(self: Any, *regions: Any, _refresh: Any = refresh, **kwargs: Any) -> Any:
            if kwargs.get("layout"):
                asked.append(type(self).__name__)
            return _refresh(self, *regions, **kwargs)

        monkeypatch.setattr(widget, "refresh", spy)
    return asked


async def _answer_events(pilot: Any, app: RapportApp) -> None:
    while isinstance(app.screen, EventModal):
        await pilot.press("1")
        await settle(pilot, app)


async def test_moves_grow_the_log_and_list_without_a_layout(
    rapport_home: Path, layouts: list[str]
) -> None:
    app = RapportApp("sand-supplier", seed=1, player="Ada")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_game(pilot, app)
        for key in "123e":  # past the first turn: the log's scroll bar is up
            await pilot.press(key)
            await settle(pilot, app)
            await _answer_events(pilot, app)
        layouts.clear()
        log = app.screen.query_one(EventLog)
        before = log.virtual_size.height
        for key in "12":  # two moves (a turn's end may bring a list that needs a scroll bar)
            await pilot.press(key)
            await settle(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert log.virtual_size.height > before  # the log grew…
        assert "EventLog" not in layouts and "ChoiceList" not in layouts  # …in place
        # Its scroll bar knows the new length, and the last line is in view.
        assert log.vertical_scrollbar.window_virtual_size == log.virtual_size.height
        assert log.scroll_y == log.max_scroll_y
        last = app.session.game.log_entries[-1].text  # type: ignore[union-attr]
        assert last[:30] in screen_text(app).replace("\n", " ")


async def test_the_log_shows_its_scroll_bar_once_it_overflows(rapport_home: Path) -> None:
    app = RapportApp("sand-supplier", seed=1, player="Ada")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_game(pilot, app)
        log = app.screen.query_one(EventLog)
        log.styles.overflow_y = "auto"  # shown only when needed
        log.clear()
        await settle(pilot, app)
        assert not log.show_vertical_scrollbar
        log.add(app.session.game.log_entries * 20)  # type: ignore[union-attr]
        await settle(pilot, app)
        assert log.show_vertical_scrollbar
        assert log.scroll_y == log.max_scroll_y > 0


async def test_the_preview_lays_out_only_when_its_height_changes(
    rapport_home: Path, layouts: list[str]
) -> None:
    app = RapportApp("sand-supplier", seed=1, player="Ada")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_game(pilot, app)
        preview = app.screen.query_one(MovePreview)
        board = app.screen.board
        preview._shown = None
        preview.update(Text("one\ntwo"))
        preview._height = 2
        layouts.clear()
        preview.show(None, board)  # "End the turn" and a line on what it does: two lines
        assert "MovePreview" not in layouts
        await settle(pilot, app)
        height = preview.size.height
        choice = next(c for c in app.session.game.choices() if c.description)  # type: ignore[union-attr]
        preview.show(choice, board)  # a move and its details: more lines
        assert "MovePreview" in layouts
        await settle(pilot, app)
        assert preview.size.height > height
