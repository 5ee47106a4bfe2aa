"""The debrief: score and breakdown, loyalty against satisfaction, key moments, the
turning points (at the end of a game), the rep-walk test, the lessons, and the built-in
bots on the same seed."""

from __future__ import annotations

from pathlib import Path
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
from game.app.widgets.reflection_box import ReflectionBox
from game.app.widgets.relationship_map import walk_style
from game.app.widgets.trend_chart import TrendChart
from game.app.widgets.turning_points import TurningPoints
from game.coach.advice import why_they_left
from game.common.i18n import _
from game.play.debrief import NO_ONE_ELSE, NO_ONE_LEFT, rounded_to_total
from game.play.reflection import Reflection, beside

if TYPE_CHECKING:
    from game.coach.analysis import Analysis
    from game.engine import Game, RunLog
    from game.play.debrief import BotRun, Debrief

#: Forks per decision for the turning points (None: the analysis's default). Tests lower it.
ANALYSIS_FORKS: int | None = None
#: Processes the analysis spreads over. One, in this process: under the running app the
#: standard streams are Textual's, and multiprocessing cannot start its helper processes
#: (`rapport analyse` uses every core).
ANALYSIS_JOBS = 1
#: A saved analysis bigger than this is not one of ours.
MAX_ANALYSIS_BYTES = 2 * 1024 * 1024


def analysis_path(run_log: Path) -> Path:
    """Where a finished game's turning points are kept: beside its run log."""
    return run_log.with_name(f"{run_log.stem}.analysis.json")


def read_saved_analysis(path: Path, log: RunLog) -> Analysis | None:
    """The analysis saved at `path` if it is one of the game `log` records; else None
    (missing, unreadable, or of another game: it is then made again and replaces it)."""
    from game.coach.analysis import Analysis
    from game.common.errors import UserError
    from game.common.files import read_bytes_limited

    if not path.is_file():
        return None
    try:
        saved = Analysis.from_json(read_bytes_limited(path, MAX_ANALYSIS_BYTES, "an analysis"))
    except (UserError, OSError):
        return None
    return saved if saved.matches(log) else None


def breakdown_table(debrief: Debrief) -> Table:
    """The score's parts, their points rounded so that they add up to the total shown."""
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold")
    table.add_column("part")
    table.add_column("value", justify="right")
    table.add_column("points", justify="right")
    parts = debrief.score.parts
    shown = rounded_to_total([part.points for part in parts], debrief.score.total)
    for part, points in zip(parts, shown, strict=True):
        table.add_row(part.label, f"{part.value * 100:.0f}%", str(points))
    table.add_row(Text("total", style="bold"), "", Text(str(debrief.score.total), style="bold"))
    return table


#: What the drivers' figures are, so they are not read as the log's loyalty changes.
TRUST_POINTS = (
    "In points of trust (0–100), weighted by each person's say in buying: the log's "
    "figures are changes in company loyalty, which trust moves less than one for one."
)


def drivers_text(debrief: Debrief) -> Text:
    text = Text()
    text.append("Built trust: ", style="bold green")
    text.append(
        ", ".join(f"{d.label} {d.points:+.1f}" for d in debrief.score.built[:5]) or "nothing yet"
    )
    text.append("\n")
    text.append("Leaked trust: ", style="bold red")
    text.append(
        ", ".join(f"{d.label} {d.points:+.1f}" for d in debrief.score.leaked[:5]) or "nothing"
    )
    text.append(f"\n{TRUST_POINTS}", style="dim")
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
    """For each of your people: how far company loyalty would fall if they left today,
    red when little would be left (the same test as the map's and the score's)."""
    text = Text()
    if not debrief.walk:
        text.append(NO_ONE_LEFT, style="bold red")
        return text
    for test in debrief.walk:
        text.append(f"If {test.who} left today, company loyalty would go from ")
        text.append(f"{test.before * 100:.0f}%", style="bold")
        text.append(" to ")
        text.append(f"{test.left * 100:.0f}%", style=walk_style(test.left, test.kept))
        text.append(".\n")
    text.append(NO_ONE_ELSE, style="dim")
    return text


def defections_text(debrief: Debrief) -> Text:
    text = Text(debrief.satisfaction_apart() + "\n", style="dim")
    for item in debrief.defections:
        text.append(f"Turn {item['turn']:>2}  ", style="dim")
        text.append(item["name"], style="bold")
        text.append(f" {why_they_left(item['reason'], item['stated_reason'])}")
        text.append(f" (satisfaction {item['satisfaction'] * 100:.0f}%)\n")
    return text


def bots_heading(d: Debrief) -> str:
    """Whom the player is compared with: the bots over the whole game, or so far."""
    if d.finished:
        return "The built-in bots on the same seed"
    return f"The built-in bots on the same seed, up to turn {d.turn} like you"


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

    CSS_PATH = "debrief.tcss"

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
        Binding("n", "app.new_game", _("New game"), id="new-game"),
        # One of the two "r" bindings shows: Restart mid-game, Play again at the end.
        Binding(
            "r",
            "restart(False)",
            "Restart",
            id="restart-so-far",
            tooltip="Start again from turn 1 with the same seed (asks first)",
        ),
        Binding(
            "r", "restart(True)", _("Play again"), id="restart", tooltip=_("Same scenario and seed")
        ),
        Binding("escape", "back", _("Back"), id="debrief-back", tooltip=_("Back to the game")),
        Binding("question_mark", "app.help", _("Help"), id="debrief-help"),
        Binding("q", "app.quit", _("Quit"), id="debrief-quit"),
    ]

    def __init__(
        self, game: Game, debrief: Debrief, *, final: bool, run_log: Path | None = None
    ) -> None:
        """`run_log`: where the finished game's run log was saved; its turning points are
        kept beside it, and read from there rather than worked out again."""
        super().__init__()
        self.game = game
        self.debrief = debrief
        self.final = final
        self.run_log = run_log
        self.reflection: Reflection | None = None
        """The trainee's own answers; the expert's view shows only once they are given."""
        self._analysis: Analysis | None = None

    def compose(self) -> ComposeResult:
        d = self.debrief
        yield Header()
        with VerticalScroll(id="debrief-body"):
            yield Static("", id="rank", markup=False)
            with Horizontal(id="score-row"):
                yield Digits(str(d.score.total), id="score-digits")
                yield Static(breakdown_table(d), id="breakdown")
            yield Static(drivers_text(d), classes="section")
            if d.team:
                yield Label(_("The team: each trainee's part"), classes="heading section")
                yield Static("\n".join(d.team), classes="section", markup=False)
            yield Label(_("Company loyalty against satisfaction"), classes="heading section")
            yield TrendChart(d.loyalty, d.satisfaction, turns=self.game.turns)
            yield Label(_("Key moments"), classes="heading section")
            yield Static(moments_text(d), classes="section")
            if self.final:
                yield Label(_("Your turn to look back"), classes="heading section")
                yield ReflectionBox(classes="section")
                yield Label(_("Turning points: the expert's eye"), classes="heading section")
                yield TurningPoints(classes="section")
            yield Label(_("The rep-walk test"), classes="heading section")
            yield Static(walk_text(d), classes="section")
            if d.defections:
                yield Label(_("Stakeholders who left"), classes="heading section")
                yield Static(defections_text(d), classes="section")
            if d.lessons:
                yield Label(_("What this scenario teaches"), classes="heading section")
                yield Static(
                    "\n".join(f"• {lesson.text.strip()}" for lesson in d.lessons),
                    classes="section",
                    markup=False,
                )
            yield Label(bots_heading(d), classes="heading section")
            yield Static(_("Playing the bots…"), id="bots", classes="muted", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.debrief.scenario_title
        self.sub_title = "debrief" if self.final else f"debrief so far (turn {self.debrief.turn})"
        self.query_one(VerticalScroll).focus()
        self.compare_with_bots()
        if self.final:
            given = self._reflection_given()
            if given is not None:
                self.reflection = given
                self.debrief.reflection = given.notes()
                self.query_one(ReflectionBox).show_given(given)
            else:
                self.query_one(TurningPoints).wait_for_reflection()
            self.analyse_game()

    def _reflection_given(self) -> Reflection | None:
        """The answers kept with the finished game's run log, if the trainee gave them."""
        from game.play.saves import archived_notes

        if self.run_log is None:
            return None
        notes = archived_notes(self.run_log)
        return Reflection.from_notes(notes) if notes else None

    def on_reflection_box_done(self, message: ReflectionBox.Done) -> None:
        """The trainee looked back: keep their answers, then show the expert's view."""
        from game.play.saves import add_archived_notes

        self.reflection = message.reflection
        self.debrief.reflection = message.reflection.notes()
        if self.run_log is not None and self.debrief.reflection:
            try:
                add_archived_notes(self.run_log, self.debrief.reflection)
            except OSError as error:
                self.notify(
                    f"Your answers could not be saved with the game: {error.strerror}",
                    severity="warning",
                    markup=False,
                )
        self.query_one(VerticalScroll).focus()
        if self._analysis is not None:
            self._show_analysis(self._analysis)
        else:
            self.query_one(TurningPoints).reflection_given()

    @work(thread=True, exclusive=True, group="bots")
    def compare_with_bots(self) -> None:
        """Play every built-in bot on the same seed, off the UI thread."""
        from game.play.debrief import bot_runs

        runs = bot_runs(self.game)
        self.debrief.bots = runs
        self.app.call_from_thread(self._show_bots, runs)

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False)
    def analyse_game(self) -> None:
        """The turning points, off the UI thread: read from beside the run log if they were
        saved, else worked out (with progress) and saved there. Leaving the screen cancels
        the worker, which stops at the next decision."""
        from textual.worker import get_current_worker

        from game.coach.analysis import AnalysisCancelled, analyse
        from game.common.errors import UserError
        from game.common.files import write_text_atomic

        worker = get_current_worker()
        log = self.game.run_log(player=self.debrief.player)
        path = analysis_path(self.run_log) if self.run_log is not None else None
        result = read_saved_analysis(path, log) if path is not None else None
        if result is None:

            def progress(done: int, total: int) -> None:
                if worker.is_cancelled or not self.is_attached:
                    raise AnalysisCancelled
                try:
                    self.app.call_from_thread(self._analysis_progress, done, total)
                except RuntimeError:  # the app is closing: stop quietly
                    raise AnalysisCancelled from None

            try:
                result = analyse(
                    self.game.scenario,
                    log,
                    scenario_hash=self.game.scenario_hash,
                    progress=progress,
                    jobs=ANALYSIS_JOBS,
                    **({} if ANALYSIS_FORKS is None else {"forks": ANALYSIS_FORKS}),
                )
            except AnalysisCancelled:
                return
            except UserError as error:
                if not worker.is_cancelled:
                    self.app.call_from_thread(self._analysis_failed, str(error))
                return
            except Exception as error:  # a bug must not leave the section waiting forever
                if not worker.is_cancelled:
                    self.app.call_from_thread(
                        self._analysis_failed, f"the analysis stopped ({type(error).__name__})"
                    )
                raise
            if path is not None:
                try:
                    write_text_atomic(path, result.to_json())
                except OSError as error:
                    if not worker.is_cancelled:
                        self.app.call_from_thread(
                            self.notify,
                            f"The turning points could not be saved to {path}: {error.strerror}",
                            severity="warning",
                            markup=False,
                        )
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_analysis, result)

    def _analysis_progress(self, done: int, total: int) -> None:
        if self.is_attached:
            self.query_one(TurningPoints).show_progress(done, total)

    def _analysis_failed(self, message: str) -> None:
        if self.is_attached:
            self.query_one(TurningPoints).show_problem(f"No turning points: {message}")

    def _show_analysis(self, analysis: Analysis) -> None:
        self._analysis = analysis
        if self.reflection is None:  # reflection first: shown once the trainee has answered
            if self.is_attached:
                self.query_one(TurningPoints).ready_after_reflection()
            return
        self.debrief.analysis = analysis
        if self.is_attached:
            self.query_one(TurningPoints).show(analysis, beside(self.reflection, analysis))
            d = self.debrief  # the turning points, marked on the chart
            marks = sorted({moment.turn for moment in analysis.moments})
            self.query_one(TrendChart).set_series(d.loyalty, d.satisfaction, marks)

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
