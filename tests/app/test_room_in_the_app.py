"""A workshop game in the app hears its room: a paused room holds the turn with a
screen that says why, a trainer's event arrives, an ended round stops the game; and
the facilitator's console shows and steers the room."""

from __future__ import annotations

from pathlib import Path

from game.app.app import RapportApp
from game.app.console import ConsoleApp
from game.app.console.event_picker import EventPicker
from game.app.console.room_debrief_screen import RoomDebriefScreen
from game.app.screens.debrief import DebriefScreen
from game.app.screens.dialogs import ConfirmScreen
from game.app.screens.play import EventModal
from game.app.screens.room_paused import RoomPausedScreen
from game.engine import END
from game.play.session import PlaySession
from game.scenario.catalog import load_bundled
from game.workshop.board import open_board
from game.workshop.live import LiveRoom
from game.workshop.room_control import RoomControl
from game.workshop.workshops import new_workshop
from tests.app.conftest import open_game, screen_text, settle, until

CODE = "APPROOM"
SCENARIO = "loyalty-giveaway"
SEED = 7


def _board(tmp_path: Path) -> Path:
    db = tmp_path / "room.db"
    with open_board(db) as board:
        board.create_workshop(new_workshop(CODE, SCENARIO, seed=SEED))
    return db


async def _answer_events(pilot, app) -> None:
    for _ in range(5):
        if not isinstance(app.screen, EventModal):
            return
        await pilot.press("1")
        await settle(pilot, app)


async def test_a_paused_room_holds_the_turn_and_the_trainers_event_arrives(tmp_path: Path) -> None:
    db = _board(tmp_path)
    app = RapportApp(SCENARIO, seed=SEED, player="Ada", workshop=CODE, db_path=db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_game(pilot, app)
        await _answer_events(pilot, app)
        with open_board(db) as board:
            assert board.live_game(CODE, "Ada") is not None  # reported from the first move
            RoomControl(board, CODE).pause()
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, RoomPausedScreen)
        assert "paused the room" in screen_text(app)
        assert app.session is not None and app.session.game.turn == 1
        with open_board(db) as board:
            control = RoomControl(board, CODE)
            control.inject("resignation")
            control.resume()
        # The paused screen looks again every second and lets the turn end.
        await until(pilot, app, lambda: app.session.game.turn == 2, "the turn never ended")
        # Put in while the turn waited, the event fires as the next turn begins.
        assert app.session.game.turn == 2
        assert [i.event for i in app.session.game.injected] == ["resignation"]
        assert app.session.game.events_fired.get("resignation") == 2
        with open_board(db) as board:
            live = board.live_game(CODE, "Ada")
        assert live is not None and live.turn == 2


async def test_an_ended_round_stops_the_game_and_shows_its_debrief(tmp_path: Path) -> None:
    db = _board(tmp_path)
    app = RapportApp(SCENARIO, seed=SEED, player="Bo", workshop=CODE, db_path=db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_game(pilot, app)
        await _answer_events(pilot, app)
        with open_board(db) as board:
            (ended,) = RoomControl(board, CODE).end()
        assert ended.player == "Bo"
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, DebriefScreen)
        assert app.session is not None and app.session.game.turn == 1


def _playing(db: Path, player: str, turns: int) -> None:
    """A game in progress that has reported `turns` ended turns."""
    with open_board(db) as board:
        room = LiveRoom(board, CODE)
        session = PlaySession.start(load_bundled(SCENARIO), SEED, player)
        room.report(session)
        for _ in range(turns):
            while session.game.pending_event is not None:
                session.step(session.game.choices()[0].id)
            session.step(END)
            room.report(session)


def _room(db: Path):
    with open_board(db) as board:
        return board.room(CODE)


async def test_the_console_shows_the_room_and_steers_it(tmp_path: Path) -> None:
    db = _board(tmp_path)
    _playing(db, "Ada", 3)
    _playing(db, "Bo", 1)
    app = ConsoleApp(db, CODE)
    async with app.run_test(size=(110, 30)) as pilot:
        # The status arrives from a worker; the table shows it on a later repaint.
        await until(pilot, app, lambda: "Bo" in screen_text(app), "the room was never shown")
        text = screen_text(app)
        assert app.status is not None
        assert "Ada" in text and "Bo" in text and "4/24" in text and "Running" in text
        await pilot.press("p")
        await until(pilot, app, lambda: _room(db).paused, "the room never paused")
        await pilot.press("i")
        await until(pilot, app, lambda: isinstance(app.screen, EventPicker), "no event picker")
        ids = [app.screen.events[i][0] for i in range(len(app.screen.events))]
        for _ in range(ids.index("resignation")):
            await pilot.press("down")
        await pilot.press("enter")
        await until(
            pilot,
            app,
            lambda: [i.event for i in _room(db).injections] == ["resignation"],
            "the event was never put into the room",
        )
        await pilot.press("d")
        await until(
            pilot,
            app,
            lambda: "lost loyalty" in screen_text(app) or "The room split on" in screen_text(app),
            "no room debrief",
        )
        assert isinstance(app.screen, RoomDebriefScreen)
        assert "Where most of the room lost loyalty" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("e")
        await until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen), "no confirmation")
        await pilot.press("y")
        await until(pilot, app, lambda: _room(db).ended, "the round never ended")
        with open_board(db) as board:
            assert {e.player: e.finished for e in board.entries(workshop=CODE)} == {
                "Ada": False,
                "Bo": False,
            }
        await until(pilot, app, lambda: "Round ended" in screen_text(app), "no 'Round ended'")


async def test_the_app_queues_its_learning_records_while_the_lrs_is_away(
    tmp_path: Path, rapport_home: Path
) -> None:
    import json
    import socket

    from game.workshop.lrs import Lrs

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    lrs = Lrs(f"http://127.0.0.1:{port}/xAPI")
    app = RapportApp("tutorial", seed=3, player="Eve", lrs=lrs)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_game(pilot, app)
        for _ in range(2):
            await _answer_events(pilot, app)
            await pilot.press("e")
            await settle(pilot, app)
    queued = [json.loads(p.read_text()) for p in rapport_home.glob("lrs-queue/*/pending/*.json")]
    verbs = sorted(s["verb"]["display"]["en"] for s in queued)
    assert verbs == ["launched", "progressed", "progressed"]
    assert {s["actor"]["name"] for s in queued} == {"Eve"}
