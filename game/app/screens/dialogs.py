"""Small screens: loading, a yes/no question, a problem report, a turn to rewind to."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from game.app.screens.closing import dismiss_once, pop_once
from game.common.i18n import _


class LoadingScreen(Screen[None]):
    """The first frame: shown while the engine and scenarios load."""

    CSS_PATH = "dialogs.tcss"

    def __init__(self, message: str = _("Loading…")) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        # Only a label: this screen is replaced within moments, and a Header or Footer
        # torn down while still mounting can trip over its own title watchers.
        yield Label(self.message, id="loading-text", markup=False)


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True for yes (y), False for no (n, Esc).

    `safe_default` puts the focus on the No button, so a stray Enter changes nothing:
    for questions whose Yes throws something away.
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("y", "answer(True)", _("Yes"), id="confirm-yes"),
        Binding("n,escape", "answer(False)", _("No"), id="confirm-no"),
    ]

    def __init__(
        self, question: str, yes: str = _("Yes"), no: str = _("No"), *, safe_default: bool = False
    ) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no
        self.safe_default = safe_default

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(self.no, id="no")
                yield Button(self.yes, id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no" if self.safe_default else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Either button answers."""
        dismiss_once(self, event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        dismiss_once(self, answer)


class ProblemScreen(Screen[None]):
    """A scenario or save that could not be used, with every located problem.

    Back (Esc, b) returns to the screen underneath, or else to the scenario list;
    where there is no list to go to (a workshop's own scenario) it is not offered.
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("escape,b", "back", _("Back"), id="problem-back"),
        Binding("q", "app.quit", _("Quit"), id="problem-quit"),
    ]

    def __init__(self, title: str, lines: list[str], can_go_back: bool = True) -> None:
        super().__init__()
        self.problem_title = title
        self.lines = lines
        self.can_go_back = can_go_back

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="panel") as panel:
            panel.border_title = self.problem_title
            for line in self.lines:
                yield Static(Text(line, overflow="fold"))
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Back only where there is somewhere to go back to."""
        if action == "back" and not self.can_go_back:
            return self.app.check_action("choose_scenario", ())
        return True

    async def action_back(self) -> None:
        if self.can_go_back and len(self.app.screen_stack) > 2:
            pop_once(self)
        elif self.is_active:
            await self.run_action("app.choose_scenario")


class RewindScreen(ModalScreen[int | None]):
    """Practice: pick the turn to go back to the start of; dismisses with it (None: stay)."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "stay", _("Stay"), id="rewind-stay")]

    def __init__(self, turns: list[int], turn_name: str) -> None:
        super().__init__()
        self.turns = turns
        self.turn_name = turn_name

    def compose(self) -> ComposeResult:
        with Vertical(id="rewind-box"):
            yield Static(_("Go back to the start of which turn?"), markup=False)
            yield OptionList(
                *(
                    Option(f"{self.turn_name} {turn}", id=f"turn-{turn}")
                    for turn in reversed(self.turns)
                ),
                id="rewind-turns",
            )
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        dismiss_once(self, int(str(event.option.id).removeprefix("turn-")))

    def action_stay(self) -> None:
        dismiss_once(self, None)
