"""Choose a scenario, or continue one of the unfinished games (one per scenario)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from game.common.i18n import _
from game.play.listing import CONTINUE, SUGGESTED_ORDER, Listing

#: The key of a picker line that continues a saved game starts with this.
#: The key of the tutorial's picker line (the first scenario suggested).
TUTORIAL_KEY = f"bundled:{SUGGESTED_ORDER[0]}.yaml"


def best_line(item: Listing) -> str:
    """What the picker says about the player's finished games of a scenario ("" if none)."""
    if item.best is None:
        return ""
    games = "1 game" if item.games == 1 else f"{item.games} games"
    return f"your best {item.best} ({games})"


class PickerScreen(Screen[None]):
    """Unfinished games to continue, then the scenarios in a suggested order: the bundled
    ones (the tutorial first), then those in ./scenarios and in the user's folder. A
    scenario the player has finished shows their best score."""

    CSS_PATH = "picker.tcss"

    BINDINGS = [
        Binding("q", "app.quit", _("Quit"), id="picker-quit", tooltip=_("Quit Rapport")),
        Binding("question_mark", "app.help", _("Help"), id="picker-help"),
    ]

    class Chosen(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, items: list[Listing]) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        yield Header()
        games = any(item.key.startswith(CONTINUE) for item in self.items)
        intro = _("Continue a game or choose a scenario") if games else _("Choose a scenario")
        intro += " (↑ ↓ and Enter)."
        if any(item.key == TUTORIAL_KEY for item in self.items):
            intro += " New to Rapport? Start with the tutorial."
        yield Static(intro, id="picker-intro")
        yield OptionList(
            *[self._option(item) for item in self.items], markup=False, id="picker-list"
        )
        yield Static("", id="picker-problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Rapport"
        self.sub_title = "choose a scenario"
        self.query_one(OptionList).focus()

    def _option(self, item: Listing) -> Option:
        text = Text()
        text.append(item.title, style="bold green" if item.key.startswith(CONTINUE) else "bold")
        best = best_line(item)
        if best:
            text.append(f" · {best}", style="italic")
        text.append("\n")
        text.append(item.detail, style="dim" if not item.problem else "red")
        return Option(text, id=item.key)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the first problem of an invalid scenario under the list."""
        item = next((i for i in self.items if i.key == event.option.id), None)
        problem = item.problem if item else None
        self.query_one("#picker-problem", Static).update(problem or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
