"""The briefing: the situation, the people, the goal; then the player starts.

Everything on it is reachable from the keyboard: the arrow keys and PgUp/PgDn
scroll the briefing wherever the focus is (Home and End too, outside the name
field), Tab goes from the name field to Start and to the briefing itself, Enter
starts, Esc goes back to the scenarios and `?` opens help.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import events
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
    from game.scenario.models import Stakeholder

#: Below this width the customer's people and your team are shown one above the other.
NARROW_WIDTH = 110


def _person(header: Text, about: str) -> RenderableType:
    """A person's name line, with what the scenario says about them indented under it."""
    if not about:
        return header
    return Group(header, Padding(Text(reflow(about), style="dim"), (0, 0, 0, 2)))


def _introducers(person: Stakeholder, loaded: LoadedScenario) -> list[str]:
    """The names of the people who can introduce you to `person` (as the rules read them:
    whoever the scenario names, else their manager and direct reports), among those there."""
    people = [p for p in loaded.scenario.customer.people if p.present]
    if person.introduced_by is not None:
        ids = set(person.introduced_by)
    else:
        ids = {p.id for p in people if p.reports_to == person.id}
        ids |= {person.reports_to} if person.reports_to else set()
    return [p.name for p in people if p.id in ids]


def customer_people(loaded: LoadedScenario) -> RenderableType:
    """The customer's people at the start: name, role, manager, whether you have met them
    (and who could introduce you), and what the scenario says about them."""
    customer = loaded.scenario.customer
    names = {p.id: p.name for p in customer.people}
    parts: list[RenderableType] = [Text(f"At {customer.name}", style="bold")]
    if customer.about:
        parts.append(Text(reflow(customer.about), style="italic"))
    for p in customer.people:
        if not p.present:  # someone who arrives later is part of the story, not the briefing
            continue
        line = Text.assemble("\n", (p.name, "bold"), f" · {p.role}")
        if p.reports_to:
            line.append(f", reports to {names[p.reports_to]}", style="dim")
        if not p.met:
            introducers = _introducers(p, loaded)
            via = f": {' or '.join(introducers)} can introduce you" if introducers else ""
            line.append(f" — not met yet{via}", style="italic")
        parts.append(_person(line, p.about))
    return Group(*parts)


def team_people(loaded: LoadedScenario) -> RenderableType:
    """The supplier's people on the team at the start, with what the scenario says about
    them."""
    supplier = loaded.scenario.supplier
    parts: list[RenderableType] = [Text(f"Your team at {supplier.name}", style="bold")]
    for p in supplier.people:
        if p.active:
            line = Text.assemble("\n", (p.name, "bold"), f" · {p.role}")
            if p.player:
                line.append(" (you)")
            parts.append(_person(line, p.about))
    return Group(*parts)


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
        # The briefing scrolls from the keyboard wherever the focus is. Neither the name
        # field nor the Start button uses the arrows or PgUp/PgDn, so these go first; Home
        # and End go to the field while it has the focus (its cursor), else here.
        Binding(
            "pagedown",
            "scroll_briefing('page_down')",
            "Scroll",
            key_display="PgDn",
            priority=True,
            id="briefing-page-down",
            tooltip="Scroll the briefing (↑ ↓ PgUp PgDn)",
        ),
        Binding("pageup", "scroll_briefing('page_up')", "Scroll up", show=False, priority=True),
        Binding("down", "scroll_briefing('down')", "Scroll down", show=False, priority=True),
        Binding("up", "scroll_briefing('up')", "Scroll up", show=False, priority=True),
        Binding("home", "scroll_briefing('home')", "Top", show=False),
        Binding("end", "scroll_briefing('end')", "Bottom", show=False),
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
        # First in the focus order (it is docked at the bottom): the name, then Start,
        # then the briefing itself.
        with Horizontal(id="briefing-start"):
            yield NameInput(self.player, placeholder="Your name", id="player-name", max_length=40)
            yield Button("Start", id="start", variant="primary")
        with VerticalScroll(id="briefing-body"):
            yield Static(s.title, id="briefing-title", markup=False)
            if s.summary:
                yield Static(s.summary, classes="muted", markup=False)
            # The length and the time budget first: they frame everything below.
            yield Static(
                f"{s.turns} turns of {s.calendar.days_per_turn} days · "
                f"{s.time_budget:g}{s.time_unit} to spend each turn · "
                + (f"workshop {self.workshop}" if self.workshop else f"seed {self.seed}"),
                id="briefing-facts",
                classes="muted",
                markup=False,
            )
            if s.briefing:
                yield Static(reflow(s.briefing), classes="section", markup=False)
            if s.goal:
                yield Label("Your goal", classes="heading section")
                yield Static(reflow(s.goal), markup=False)
            with Horizontal(id="briefing-people", classes="section"):
                yield Static(customer_people(self.loaded), id="briefing-customer")
                yield Static(team_people(self.loaded), id="briefing-team")
            if s.competitors:
                rivals = ", ".join(c.name for c in s.competitors)
                yield Static(
                    f"Competing for the business: {rivals}.", classes="section muted", markup=False
                )
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.loaded.scenario.title
        self.sub_title = "briefing"
        # Ask for a name first unless one was given on the command line.
        self.query_one("#start" if self.player else "#player-name").focus()

    def on_resize(self, event: events.Resize) -> None:
        """Side by side when there is room; one above the other when narrow."""
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def action_scroll_briefing(self, how: str) -> None:
        """Scroll the briefing (the keys work wherever the focus is)."""
        body = self.query_one("#briefing-body", VerticalScroll)
        scrolls: dict[str, Callable[[], object]] = {
            "up": body.scroll_up,
            "down": body.scroll_down,
            "page_up": body.scroll_page_up,
            "page_down": body.scroll_page_down,
            "home": body.scroll_home,
            "end": body.scroll_end,
        }
        if how in scrolls:
            scrolls[how]()

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
