"""The facilitator's console: every player of a workshop live, and the room's controls.

It reads the room every second in a worker thread (each read opens the board, so it
works on SQLite and on PostgreSQL, from any machine), and shows each game's turn,
company loyalty, score so far against par so far, and idle time. The trainer can
pause and resume the room (p), put one of the scenario's events into every game in
progress (i), end the round (e), and open the room's debrief (d).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker

from game.workshop.room_control import RoomStatus

POLL_SECONDS = 1.0
#: Below this width the room's state goes under the table, which keeps every column.
NARROW = 110
#: A player idle for this long is marked in the table.
IDLE_SECONDS = 120


class ConsoleApp(App[None]):
    """The facilitator's console for one workshop."""

    TITLE = "Rapport · facilitator's console"
    CSS_PATH = "console.tcss"
    BINDINGS = [
        Binding("p", "pause", "Pause/resume", id="console-pause"),
        Binding("i", "inject", "Put in an event", id="console-inject"),
        Binding("e", "end_round", "End the round", id="console-end"),
        Binding("d", "room_debrief", "Room debrief", id="console-debrief"),
        Binding("q", "quit", "Quit", id="console-quit"),
    ]

    def __init__(self, location: Path | str, code: str) -> None:
        super().__init__()
        self.location = location
        self.code = code
        self.status: RoomStatus | None = None
        self.unreadable: str | None = None
        self._poll_worker: Worker[None] | None = None
        self._pars: Any = None

    # ------------------------------------------------------------------ drawing

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="console-row"):
            yield DataTable(id="players", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="room-side"):
                yield Static("", id="room-state")
                yield Static("", id="room-events")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"workshop {self.code}"
        table = self.query_one(DataTable)
        table.add_columns("player", "turn", "loyalty", "score", "par", "± par", "idle", "status")
        self._tick()
        self.set_interval(POLL_SECONDS, self._tick, name="poll room")

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#console-row").set_class(event.size.width < NARROW, "-narrow")

    def _tick(self) -> None:
        if self._poll_worker is None or self._poll_worker.is_finished:
            self._poll_worker = self.poll()

    @work(thread=True, group="poll")
    def poll(self) -> None:
        """Read the room off the UI thread."""
        from game.common.errors import UserError
        from game.workshop.room_access import TurnPars, with_room

        self._pars = self._pars or TurnPars()
        try:
            status = with_room(self.location, self.code, lambda c: c.status(), pars=self._pars)
        except UserError as error:
            self.call_from_thread(self._unreadable, str(error))
            return
        self.call_from_thread(self.show_status, status)

    def _unreadable(self, message: str) -> None:
        if self.unreadable != message:
            self.notify(message, title="Cannot read the room", severity="error", markup=False)
        self.unreadable = message
        self.sub_title = f"workshop {self.code} · board unreadable, showing the last good read"

    def show_status(self, status: RoomStatus) -> None:
        """Draw the room as last read."""
        try:
            table = self.query_one(DataTable)
        except NoMatches:  # closing
            return
        self.unreadable = None
        self.status = status
        state = "ended" if status.ended else "paused" if status.paused else "running"
        self.sub_title = f"workshop {self.code} · {state}"
        table.clear()
        for row in status.players:
            idle = row.idle_seconds >= IDLE_SECONDS
            table.add_row(
                Text(row.player),
                Text(f"{row.turn}/{row.turns}", justify="right"),
                Text(f"{row.loyalty:.0%}", justify="right"),
                Text(str(row.score), style="bold", justify="right"),
                Text("-" if row.par is None else str(row.par), style="dim", justify="right"),
                Text("-" if row.vs_par is None else f"{row.vs_par:+d}", justify="right"),
                Text(_idle(row.idle_seconds), style="bold yellow" if idle else "dim"),
                Text(row.status, style=_STATUS_STYLE.get(row.status, "")),
                key=row.player,
            )
        self.query_one("#room-state", Static).update(_state_text(status))
        self.query_one("#room-events", Static).update(_events_text(status))

    # ------------------------------------------------------------------ steering

    def _steer(self, what: str, act: Any) -> Any:
        """Run one request of the room on the UI thread; say what went wrong, if anything."""
        from game.common.errors import UserError
        from game.workshop.room_access import with_room

        try:
            return with_room(self.location, self.code, act, pars=self._pars)
        except UserError as error:
            self.notify(f"Could not {what}: {error}", severity="error", markup=False)
            return None
        finally:
            self._tick()

    def action_pause(self) -> None:
        """Pause the room, or resume it if it is paused."""
        paused = self.status is not None and self.status.paused
        done = self._steer(
            "resume" if paused else "pause",
            lambda c: c.resume() if paused else c.pause(),
        )
        if done is not None:
            self.notify(
                "The room goes on."
                if paused
                else "The room is paused: games wait at the end of their turn.",
                markup=False,
            )

    def action_inject(self) -> None:
        """Choose one of the scenario's events to put into every game in progress."""
        from game.app.console.event_picker import EventPicker

        events = self._steer("list the events", lambda c: c.events())
        if not events:
            if events is not None:
                self.notify("No scenario yet: no game has started.", markup=False)
            return

        def chosen(event: str | None) -> None:
            if event is None:
                return
            done = self._steer("put the event in", lambda c: c.inject(event))
            if done is not None:
                self.notify(
                    f"{event} goes into every game in progress as its next turn begins.",
                    markup=False,
                )

        self.push_screen(EventPicker(events), chosen)

    def action_end_round(self) -> None:
        """After a confirmation: score every game in progress as it stands."""
        from game.app.screens.dialogs import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            ended = self._steer("end the round", lambda c: c.end())
            if ended is not None:
                self.notify(
                    f"The round has ended: {len(ended)} games in progress were scored as they "
                    "stood.",
                    markup=False,
                )

        question = (
            f"End the round of workshop {self.code}? Games in progress are scored as they "
            "stand, marked unfinished, and can play no further."
        )
        self.push_screen(ConfirmScreen(question, "End it", "Not yet", safe_default=True), answered)

    def action_room_debrief(self) -> None:
        """The room's debrief: discussion prompts from the room's own games."""
        from game.app.console.room_debrief_screen import RoomDebriefScreen

        self.push_screen(RoomDebriefScreen(self.location, self.code))


_STATUS_STYLE = {"playing": "green", "finished": "bold", "ended": "yellow"}


def _idle(seconds: float) -> str:
    if seconds < 60:
        return "-"
    minutes = int(seconds // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"


def _state_text(status: RoomStatus) -> Text:
    text = Text()
    if status.ended:
        text.append("Round ended\n", style="bold yellow")
    elif status.paused:
        text.append("Paused", style="bold reverse yellow")
        text.append("\ngames wait at the end of their turn (p resumes)\n")
    else:
        text.append("Running\n", style="bold green")
    playing = sum(1 for row in status.players if row.status == "playing")
    finished = sum(1 for row in status.players if row.status == "finished")
    text.append(f"{len(status.players)} games: {playing} playing, {finished} finished\n")
    if status.scenario:
        text.append(f"scenario {status.scenario}\n", style="dim")
    return text


def _events_text(status: RoomStatus) -> Text:
    text = Text("\nEvents put in\n", style="bold")
    if not status.injections:
        text.append("none yet (i puts one in)\n", style="dim")
    for injection in status.injections:
        text.append(f"{injection.id}. {injection.event}")
        text.append(f"  at {injection.created[11:19]} UTC\n", style="dim")
    return text
