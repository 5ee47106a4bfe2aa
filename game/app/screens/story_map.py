"""The story map of the scenario being played: its organisation chart, introduction
paths, and the events with the flags they set and read (`rapport map`, in the game).

Trainers writing a scenario with `rapport play FILE --watch` open it with `m`; it is
drawn from the scenario as last reloaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from game.app.screens.closing import dismiss_once

if TYPE_CHECKING:
    from game.scenario.models import Scenario


class StoryMapScreen(ModalScreen[None]):
    """The scenario's shape as text, scrollable; Esc or m closes it."""

    CSS_PATH = "story_map.tcss"

    BINDINGS = [Binding("escape,m,q", "close", "Close", id="map-close")]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        from game.authoring.story_map import story_map

        with VerticalScroll(id="map-box") as box:
            box.border_title = f"Story map: {self.scenario.title}"
            yield Static(story_map(self.scenario, "text"), markup=False, id="map-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#map-box").focus()

    def action_close(self) -> None:
        dismiss_once(self, None)
