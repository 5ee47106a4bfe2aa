"""The room's debrief: discussion prompts built from the room's own games."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from game.app.screens.closing import dismiss_once
from game.workshop.room_debrief import Prompt


class RoomDebriefScreen(ModalScreen[None]):
    """Prompts for the room's discussion: where it split, where it lost loyalty, and why."""

    CSS_PATH = "console.tcss"
    BINDINGS = [Binding("escape,d", "close", "Back to the room", id="debrief-close")]

    def __init__(self, location: Path | str, code: str) -> None:
        super().__init__()
        self.location = location
        self.code = code

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="debrief-box"):
            yield Static(f"Room debrief · workshop {self.code}", classes="prompt-title")
            yield Static("Replaying the room's games…", id="debrief-wait", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.build()

    @work(thread=True, exclusive=True)
    def build(self) -> None:
        """Replay the room's games off the UI thread."""
        from game.common.errors import UserError
        from game.workshop.room_access import with_room

        try:
            prompts = with_room(self.location, self.code, lambda c: c.prompts())
        except UserError as error:
            prompts = [Prompt("The room cannot be read", str(error), "")]
        self.app.call_from_thread(self.show, prompts)

    def show(self, prompts: list[Prompt]) -> None:
        box = self.query_one("#debrief-box", VerticalScroll)
        self.query_one("#debrief-wait", Static).remove()
        for prompt in prompts:
            box.mount(Static(prompt.title, classes="prompt-title", markup=False))
            box.mount(Static(prompt.finding, markup=False))
            if prompt.question:
                box.mount(Static(prompt.question, classes="prompt-question", markup=False))

    def action_close(self) -> None:
        dismiss_once(self, None)
