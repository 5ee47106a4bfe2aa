"""The debrief: score and breakdown, loyalty against satisfaction, key moments, the
rep-walk test, the lessons, and the built-in bots on the same seed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Digits, Footer, Header, Label, Static

from game.app.screens.closing import pop_once
from game.app.widgets.trend_chart import TrendChart

if TYPE_CHECKING:
    from game.debrief import BotRun, Debrief
    from game.engine import Game


def breakdown_table(debrief: Debrief) -> Table:
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold")
    table.add_column("part")
    table.add_column("value", justify="right")
    table.add_column("points", justify="right")
    for part in debrief.score.parts:
        table.add_row(part.label, f"{part.value * 100:.0f}%", f"{part.points:.0f}")
    return table


def drivers_text(debrief: Debrief) -> Text:
    text = Text()
    text.append("Built loyalty: ", style="bold green")
    text.append(
        ", ".join(f"{d.label} {d.points:+.1f}" for d in debrief.score.built[:5]) or "nothing yet"
    )
    text.append("\n")
    text.append("Leaked loyalty: ", style="bold red")
    text.append(
        ", ".join(f"{d.label} {d.points:+.1f}" for d in debrief.score.leaked[:5]) or "nothing"
    )
    return text


def moments_text(debrief: Debrief) -> Text:
    text = Text()
    for entry in sorted([*debrief.built, *debrief.leaked], key=lambda e: e.turn):
        style = "green" if entry.loyalty_delta > 0 else "red"
        text.append(f"Turn {entry.turn:>2}  ", style="dim")
        text.append(f"{entry.loyalty_delta * 100:+5.1f}  ", style=f"bold {style}")
        text.append(entry.text + "\n")
    return text or Text("No single moment moved loyalty much.", style="dim")


def walk_text(debrief: Debrief) -> Text:
    text = Text()
    for test in debrief.walk:
        style = (
            "bold red" if test.kept < 0.5 else "bold yellow" if test.kept < 0.8 else "bold green"
        )
        text.append(f"If {test.name} ({test.role}) left today, ")
        text.append(f"{test.kept * 100:.0f}%", style=style)
        text.append(" of your company loyalty would stay.\n")
    return text


def defections_text(debrief: Debrief) -> Text:
    text = Text()
    for item in debrief.defections:
        text.append(f"Turn {item['turn']:>2}  ", style="dim")
        text.append(item["name"], style="bold")
        text.append(f" said {item['stated_reason']}; the real reason: ")
        text.append(item["reason"], style="bold")
        text.append(f" (satisfaction {item['satisfaction'] * 100:.0f}%)\n")
    return text


def bots_table(runs: list[BotRun], you: BotRun) -> Table:
    """The player's run ranked among the built-in bots' on the same seed."""
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold")
    for name, justify in (
        ("player", "left"),
        ("score", "right"),
        ("loyalty", "right"),
        ("satisfaction", "right"),
        ("defections", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for run in sorted([you, *runs], key=lambda run: -run.score):
        style = "bold reverse" if run is you else ""
        table.add_row(
            Text(run.bot, style=style),
            Text(str(run.score), style="bold" if run is you else ""),
            f"{run.company_loyalty * 100:.0f}%",
            f"{run.satisfaction * 100:.0f}%",
            str(run.defections),
        )
    return table


class DebriefScreen(Screen[None]):
    """What built and what leaked loyalty, and why."""

    class ExportRequested(Message):
        """The player asked for this debrief as a Markdown file."""

        def __init__(self, debrief: Debrief) -> None:
            super().__init__()
            self.debrief = debrief

    BINDINGS = [
        Binding(
            "x",
            "export",
            "Export Markdown",
            id="export",
            tooltip="Write this debrief as a Markdown file to share",
        ),
        Binding("n", "app.new_game", "New game", id="new-game"),
        # One of the two "r" bindings shows: Restart mid-game, Play again at the end.
        Binding(
            "r",
            "restart(False)",
            "Restart",
            id="restart-so-far",
            tooltip="Start again from turn 1 with the same seed (asks first)",
        ),
        Binding("r", "restart(True)", "Play again", id="restart", tooltip="Same scenario and seed"),
        Binding("escape", "back", "Back", id="debrief-back", tooltip="Back to the game"),
        Binding("question_mark", "app.help", "Help", id="debrief-help"),
        Binding("q", "app.quit", "Quit", id="debrief-quit"),
    ]

    def __init__(self, game: Game, debrief: Debrief, *, final: bool) -> None:
        super().__init__()
        self.game = game
        self.debrief = debrief
        self.final = final

    def compose(self) -> ComposeResult:
        d = self.debrief
        yield Header()
        with VerticalScroll(id="debrief-body"):
            yield Static("", id="rank", markup=False)
            with Horizontal(id="score-row"):
                yield Digits(str(d.score.total), id="score-digits")
                yield Static(breakdown_table(d), id="breakdown")
            yield Static(drivers_text(d), classes="section")
            yield Label("Company loyalty against satisfaction", classes="heading section")
            yield TrendChart(d.loyalty, d.satisfaction)
            yield Label("Key moments", classes="heading section")
            yield Static(moments_text(d), classes="section")
            yield Label("The rep-walk test", classes="heading section")
            yield Static(walk_text(d), classes="section")
            if d.defections:
                yield Label("Stakeholders who left", classes="heading section")
                yield Static(defections_text(d), classes="section")
            if d.lessons:
                yield Label("What this scenario teaches", classes="heading section")
                yield Static(
                    "\n".join(f"• {lesson.text.strip()}" for lesson in d.lessons),
                    classes="section",
                    markup=False,
                )
            yield Label("The built-in bots on the same seed", classes="heading section")
            yield Static("Playing the bots…", id="bots", classes="muted", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.debrief.scenario_title
        self.sub_title = "debrief" if self.final else f"debrief so far (turn {self.debrief.turn})"
        self.query_one(VerticalScroll).focus()
        self.compare_with_bots()

    @work(thread=True, exclusive=True, group="bots")
    def compare_with_bots(self) -> None:
        """Play every built-in bot on the same seed, off the UI thread."""
        from game.debrief import bot_runs

        runs = bot_runs(self.game)
        self.debrief.bots = runs
        self.app.call_from_thread(self._show_bots, runs)

    def show_rank(self, message: str) -> None:
        """The player's place on the workshop leaderboard."""
        rank = self.query_one("#rank", Static)
        rank.update(message)
        rank.add_class("-shown")

    def _show_bots(self, runs: list[BotRun]) -> None:
        bots = self.query_one("#bots", Static)
        bots.update(bots_table(runs, self.debrief.own_run))
        bots.remove_class("muted")

    def action_export(self) -> None:
        """Ask for the debrief to be written as Markdown to the user's debriefs folder."""
        self.post_message(self.ExportRequested(self.debrief))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Back only mid-game; the "r" that fits: Restart mid-game, Play again at the end."""
        if action == "back":
            return not self.final
        if action == "restart":  # and only where the game can be started again
            return parameters == (self.final,) and self.app.check_action("restart", ())
        return True

    async def action_restart(self, final: bool) -> None:
        """Start again from turn 1 (the app asks first)."""
        await self.run_action("app.restart")

    def action_back(self) -> None:
        if not self.final:
            pop_once(self)
