"""Pick one of the scenario's events to put into every game in progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from game.app.screens.closing import dismiss_once


class EventPicker(ModalScreen[str | None]):
    """The scenario's events by title; dismisses with the chosen id (None: cancelled)."""

    CSS_PATH = "console.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker-cancel")]

    def __init__(self, events: list[tuple[str, str]]) -> None:
        super().__init__()
        self.events = events

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(
                "Put which event into every game in progress? It fires as each game's next "
                "turn begins, whatever its condition and chance.",
                markup=False,
            )
            yield OptionList(
                *(Option(f"{title}  ({event})", id=event) for event, title in self.events),
                id="picker-events",
            )
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        dismiss_once(self, event.option.id)

    def action_cancel(self) -> None:
        dismiss_once(self, None)
