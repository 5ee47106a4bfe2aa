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
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Static

from game.app.text import reflow
from game.app.widgets.name_input import NameInput
from game.common.i18n import _
from game.play.briefing_facts import BriefingFacts, facts_from_scenario

if TYPE_CHECKING:
    from game.scenario import LoadedScenario

#: Below this width the customer's people and your team are shown one above the other.
NARROW_WIDTH = 110


def _facts(source: BriefingFacts | LoadedScenario) -> BriefingFacts:
    """The briefing's facts, from a validated scenario if that is what is given."""
    return source if isinstance(source, BriefingFacts) else facts_from_scenario(source.scenario)


def _person(header: Text, about: str) -> RenderableType:
    """A person's name line, with what the scenario says about them indented under it."""
    if not about:
        return header
    return Group(header, Padding(Text(reflow(about), style="dim"), (0, 0, 0, 2)))


def customer_people(source: BriefingFacts | LoadedScenario) -> RenderableType:
    """The customer's people at the start: name, role, manager, whether you have met them
    (and who could introduce you), and what the scenario says about them."""
    facts = _facts(source)
    parts: list[RenderableType] = [
        Text(_("At {customer}").format(customer=facts.customer), style="bold")
    ]
    if facts.customer_about:
        parts.append(Text(reflow(facts.customer_about), style="italic"))
    for p in facts.customer_people:  # someone who arrives later is not on the briefing
        line = Text.assemble("\n", (p.name, "bold"), f" · {p.role}")
        if p.manager:
            line.append(f", reports to {p.manager}", style="dim")
        if not p.met:
            via = f": {' or '.join(p.introducers)} can introduce you" if p.introducers else ""
            line.append(f" — not met yet{via}", style="italic")
        parts.append(_person(line, p.about))
    return Group(*parts)


def team_people(source: BriefingFacts | LoadedScenario) -> RenderableType:
    """The supplier's people on the team at the start, with what the scenario says about
    them."""
    facts = _facts(source)
    parts: list[RenderableType] = [
        Text(_("Your team at {supplier}").format(supplier=facts.supplier), style="bold")
    ]
    for p in facts.team:
        line = Text.assemble("\n", (p.name, "bold"), f" · {p.role}")
        if p.player:
            line.append(" (you)")
        parts.append(_person(line, p.about))
    return Group(*parts)


PRACTICE_TOOLTIP = (
    "A practice game: undo a move (backspace) or go back to the start of a turn (<) and "
    "try another path. It is never ranked."
)


class BriefingScreen(Screen[None]):
    """What the player needs to know before the first turn."""

    CSS_PATH = "briefing.tcss"

    BINDINGS = [
        Binding(
            "escape",
            "app.choose_scenario",
            _("Back"),
            id="briefing-back",
            tooltip=_("Back to the scenarios"),
        ),
        # `?` opens help even while the name field has the focus: the field leaves `?` alone
        # and this binding goes before the field's own keys.
        Binding("question_mark", "app.help", _("Help"), id="briefing-help", priority=True),
        # The briefing scrolls from the keyboard wherever the focus is. Neither the name
        # field nor the Start button uses the arrows or PgUp/PgDn, so these go first; Home
        # and End go to the field while it has the focus (its cursor), else here.
        Binding(
            "pagedown",
            "scroll_briefing('page_down')",
            _("Scroll"),
            key_display="PgDn",
            priority=True,
            id="briefing-page-down",
            tooltip=_("Scroll the briefing (↑ ↓ PgUp PgDn)"),
        ),
        Binding("pageup", "scroll_briefing('page_up')", "Scroll up", show=False, priority=True),
        Binding("down", "scroll_briefing('down')", "Scroll down", show=False, priority=True),
        Binding("up", "scroll_briefing('up')", "Scroll up", show=False, priority=True),
        Binding("home", "scroll_briefing('home')", "Top", show=False),
        Binding("end", "scroll_briefing('end')", "Bottom", show=False),
    ]

    class Start(Message):
        """The player is ready."""

        def __init__(self, player: str, practice: bool = False) -> None:
            super().__init__()
            self.player = player
            self.practice = practice

    def __init__(
        self,
        source: BriefingFacts | LoadedScenario,
        seed: int,
        player: str,
        can_go_back: bool,
        workshop: str | None = None,
        practice: bool = False,
    ) -> None:
        super().__init__()
        self.practice = practice
        """Whether the Practice box starts ticked (--practice)."""
        self.facts = _facts(source)
        # None while the scenario shown from its quick facts is still being loaded in full.
        self.loaded = None if isinstance(source, BriefingFacts) else source
        self.seed = seed
        self.workshop = workshop  # in a workshop the seed is not shown
        self.player = player
        self.can_go_back = can_go_back

    def compose(self) -> ComposeResult:
        s = self.facts
        # The layout for the width now, so the first paint does not restyle everything.
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        yield Header()
        # First in the focus order (it is docked at the bottom): the name, then Start,
        # then the briefing itself.
        with Horizontal(id="briefing-start"):
            yield NameInput(
                self.player, placeholder=_("Your name"), id="player-name", max_length=40
            )
            if self.workshop is None:  # workshop games are ranked: never practice
                yield Checkbox(
                    _("Practice"), self.practice, id="practice", tooltip=PRACTICE_TOOLTIP
                )
            yield Button(_("Start"), id="start", variant="primary")
        with VerticalScroll(id="briefing-body"):
            yield Static(s.title, id="briefing-title", markup=False)
            if s.summary:
                yield Static(s.summary, classes="muted", markup=False)
            # The length and the time budget first: they frame everything below.
            yield Static(
                f"{s.turns} turns of {s.days_per_turn} days · "
                f"{s.time_budget:g}{s.time_unit} to spend each turn · "
                + (f"workshop {self.workshop}" if self.workshop else f"seed {self.seed}"),
                id="briefing-facts",
                classes="muted",
                markup=False,
            )
            if s.briefing:
                yield Static(reflow(s.briefing), classes="section", markup=False)
            if s.goal:
                yield Label(_("Your goal"), classes="heading section")
                yield Static(reflow(s.goal), markup=False)
            with Horizontal(id="briefing-people", classes="section"):
                yield Static(customer_people(s), id="briefing-customer")
                yield Static(team_people(s), id="briefing-team")
            if s.competitors:
                rivals = ", ".join(s.competitors)
                yield Static(
                    _("Competing for the business: {rivals}.").format(rivals=rivals),
                    classes="section muted",
                    markup=False,
                )
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.facts.title
        self.sub_title = "briefing"
        # Ask for a name first unless one was given on the command line. (The field is
        # missing only when the game closes as the screen opens: a tab closed at once.)
        for first in self.query("#start" if self.player else "#player-name"):
            first.focus()

    def use_loaded(self, loaded: LoadedScenario) -> None:
        """The scenario shown from its quick facts, now loaded in full. Should the full
        load read it otherwise (it does not for any bundled scenario), show what it read."""
        self.loaded = loaded
        facts = facts_from_scenario(loaded.scenario)
        if facts != self.facts:
            self.player = self.query_one("#player-name", Input).value
            self.facts = facts
            self.title = facts.title
            self.call_later(self._show_facts)

    async def _show_facts(self) -> None:
        await self.recompose()
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
        practice = self.query("#practice")
        ticked = bool(practice) and practice.first(Checkbox).value
        self.post_message(self.Start(self.query_one("#player-name", Input).value, ticked))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Start the game."""
        event.stop()
        self._start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the name field starts the game too."""
        event.stop()
        self._start()
