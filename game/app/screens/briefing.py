"""The briefing: the situation, the people, the goal; then the player starts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from game.app.text import reflow
from game.app.widgets.name_input import NameInput

if TYPE_CHECKING:
    from game.scenario import LoadedScenario


def people_table(loaded: LoadedScenario) -> Table:
    """The supplier team and the customer's stakeholders, side by side."""
    scenario = loaded.scenario
    table = Table(box=None, padding=(0, 2, 0, 0), show_header=True, header_style="bold")
    table.add_column(f"Your team at {scenario.supplier.name}", ratio=1)
    table.add_column(f"At {scenario.customer.name}", ratio=1)
    team = [
        Text.assemble((p.name, "bold"), f" · {p.role}" + (" (you)" if p.player else ""))
        for p in scenario.supplier.people
        if p.active
    ]
    bosses = {p.id: p.name for p in scenario.customer.people}
    customer = []
    for p in scenario.customer.people:
        line = Text.assemble((p.name, "bold"), f" · {p.role}")
        if p.reports_to:
            line.append(f", reports to {bosses[p.reports_to]}", style="dim")
        line.append("" if p.met else " — not met yet", style="italic dim")
        customer.append(line)
    for index in range(max(len(team), len(customer))):
        table.add_row(
            team[index] if index < len(team) else "",
            customer[index] if index < len(customer) else "",
        )
    return table


class BriefingScreen(Screen[None]):
    """What the player needs to know before the first turn."""

    BINDINGS = [
        Binding(
            "escape",
            "app.choose_scenario",
            "Back",
            id="briefing-back",
            tooltip="Back to the scenarios",
        ),
        # `?` opens help even while the name field has the focus: the field leaves `?` alone
        # and this binding goes before the field's own keys.
        Binding("question_mark", "app.help", "Help", id="briefing-help", priority=True),
    ]

    class Start(Message):
        """The player is ready."""

        def __init__(self, player: str) -> None:
            super().__init__()
            self.player = player

    def __init__(
        self,
        loaded: LoadedScenario,
        seed: int,
        player: str,
        can_go_back: bool,
        workshop: str | None = None,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.seed = seed
        self.workshop = workshop  # in a workshop the seed is not shown
        self.player = player
        self.can_go_back = can_go_back

    def compose(self) -> ComposeResult:
        s = self.loaded.scenario
        yield Header()
        with VerticalScroll(id="briefing-body"):
            yield Static(s.title, id="briefing-title", markup=False)
            if s.summary:
                yield Static(s.summary, classes="muted", markup=False)
            if s.briefing:
                yield Static(reflow(s.briefing), classes="section", markup=False)
            if s.goal:
                yield Label("Your goal", classes="heading section")
                yield Static(reflow(s.goal), markup=False)
            yield Static(people_table(self.loaded), classes="section")
            if s.competitors:
                rivals = ", ".join(c.name for c in s.competitors)
                yield Static(
                    f"Competing for the business: {rivals}.", classes="section muted", markup=False
                )
            yield Static(
                f"{s.turns} turns of {s.calendar.days_per_turn} days · "
                f"{s.time_budget:g}{s.time_unit} to spend each turn · "
                + (f"workshop {self.workshop}" if self.workshop else f"seed {self.seed}"),
                classes="section muted",
                markup=False,
            )
        with Horizontal(id="briefing-start"):
            yield NameInput(self.player, placeholder="Your name", id="player-name", max_length=40)
            yield Button("Start", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.loaded.scenario.title
        self.sub_title = "briefing"
        # Ask for a name first unless one was given on the command line.
        self.query_one("#start" if self.player else "#player-name").focus()

    def _start(self) -> None:
        self.post_message(self.Start(self.query_one("#player-name", Input).value))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Start the game."""
        event.stop()
        self._start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the name field starts the game too."""
        event.stop()
        self._start()
