"""The trainer has paused the room: the turn waits, and the screen says why."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from game.play.room_hook import PAUSED, RoomHook, RoomWord
from game.play.session import PlaySession

#: Seconds between two looks at the room.
POLL_SECONDS = 1.0


class RoomPausedScreen(ModalScreen[RoomWord]):
    """Shown while the room is paused; dismissed with the room's word once it is not.

    Escape closes it without ending the turn: the player can look at the board, and
    the turn ends on their next `e` once the trainer resumes.
    """

    CSS_PATH = "room_paused.tcss"
    BINDINGS = [("escape", "close", "Back to the board")]

    def __init__(self, room: RoomHook, session: PlaySession) -> None:
        super().__init__()
        self.room = room
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="paused-box"):
            yield Static("Paused", id="paused-title")
            yield Static(PAUSED, markup=False)
            yield Static("Esc: back to the board (end the turn again once they resume).")

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self.look)

    def look(self) -> None:
        """Ask the room again; go on as soon as it is no longer paused."""
        word = self.room.before_turn_ends(self.session)
        if not word.paused and self.is_current:
            self.dismiss(word)

    def action_close(self) -> None:
        self.dismiss(RoomWord(paused=True))
