"""The main screen: the relationship map, the metrics, the moves and the log."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from game.app.screens.closing import dismiss_once
from game.app.text import reflow
from game.app.widgets.choice_list import ChoiceList
from game.app.widgets.event_log import EventLog
from game.app.widgets.metrics_panel import MetricsPanel
from game.app.widgets.move_preview import MovePreview
from game.app.widgets.relationship_map import RelationshipMap
from game.common.i18n import _
from game.engine.choices import END
from game.play.room_hook import RoomHook, RoomWord

if TYPE_CHECKING:
    from game.engine import BoardView, Choice
    from game.play.session import PlaySession

COMPACT_HEIGHT = 32
CHART_HEIGHT = 38
LARGE_HEIGHT = 44


class EventModal(ModalScreen[str]):
    """An event that needs a decision; dismisses with the chosen answer's id."""

    CSS_PATH = "play.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n), f"pick({n})", _("Answer {n}").format(n=n), show=False, id=f"answer-{n}")
            for n in range(1, 10)
        ),
        Binding("question_mark", "app.help", _("Help"), id="event-help"),
    ]

    def __init__(self, title: str, text: str, answers: tuple[Choice, ...], unit: str) -> None:
        super().__init__()
        self.event_title = title
        self.text = text
        self.answers = answers
        self.unit = unit

    def compose(self) -> ComposeResult:
        with Vertical(id="event-box") as box:
            box.border_title = self.event_title
            yield Static(self.text, id="event-text", markup=False)
            options = []
            for number, answer in enumerate(self.answers, 1):
                prompt = Text(f"{number} ", style="bold")
                prompt.append(answer.label)
                cost = f"  {answer.cost:g}{self.unit}" if answer.cost else "  no time"
                prompt.append(cost, style="dim")
                if answer.default:
                    prompt.append("  (if you do nothing)", style="dim italic")
                for risk in answer.risks:
                    prompt.append(f"\n   ⚠ {risk}", style="yellow")
                options.append(Option(prompt, id=answer.id))
            yield OptionList(*options, markup=False, id="answers")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_pick(self, number: int) -> None:
        if 0 < number <= len(self.answers):
            dismiss_once(self, self.answers[number - 1].id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            dismiss_once(self, event.option.id)


class PlayScreen(Screen[None]):
    """One game in progress. All rules live in the engine; this screen only shows and asks."""

    board: reactive[BoardView | None] = reactive(
        None, always_update=True, repaint=False, init=False
    )
    """The board on screen: setting it hands it to every panel (see :meth:`watch_board`)."""

    CSS_PATH = "play.tcss"

    BINDINGS = [
        Binding("e", "end_turn", _("End turn"), id="end-turn", tooltip=_("End this turn")),
        Binding(
            "d",
            "debrief",
            _("Debrief so far"),
            id="debrief",
            tooltip=_("See the score and what built or leaked loyalty so far"),
        ),
        Binding(
            "m",
            "story_map",
            _("Story map"),
            id="story-map",
            tooltip=_("The scenario's people, introduction paths, events and flags"),
        ),
        Binding("question_mark", "app.help", _("Help"), id="help", tooltip=_("How to play")),
        Binding("q", "app.quit", _("Quit"), id="quit", tooltip=_("Quit (the game is saved)")),
        Binding(
            "backspace",
            "undo",
            _("Undo"),
            id="undo",
            tooltip=_("Practice: take back the last choice"),
        ),
        Binding(
            "less_than_sign",
            "rewind",
            _("Rewind"),
            key_display="<",
            id="rewind",
            tooltip=_("Practice: go back to the start of a turn"),
        ),
    ]

    class Finished(Message):
        """The last turn is over."""

    class DebriefRequested(Message):
        """The player asked for the debrief so far."""

    class RoundEnded(Message):
        """The workshop's trainer ended the round: the game goes no further."""

        def __init__(self, words: str) -> None:
            super().__init__()
            self.words = words

    def __init__(
        self,
        session: PlaySession,
        workshop: str | None = None,
        *,
        authoring: bool = False,
        room: RoomHook | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.room = room
        """In a live workshop: the trainer's pause, events and end of the round."""
        self.workshop = workshop  # in a workshop the seed is not shown
        self.authoring = authoring
        """Playing a scenario file being written (--watch): the story map is offered."""

    @property
    def game(self):
        return self.session.game

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="status")
        with Horizontal(id="board"):
            with Vertical(id="left"):
                yield Static(_("Relationships"), classes="panel-title")
                yield RelationshipMap(classes="panel")
                yield Static(_("Loyalty vs satisfaction"), classes="panel-title")
                yield MetricsPanel(classes="panel")
            with Vertical(id="right"):
                yield Static(_("Your moves"), classes="panel-title")
                yield ChoiceList(classes="panel", id="choices")
                yield Static(_("About this move"), classes="panel-title")
                yield MovePreview(classes="panel", id="preview")
        yield Static(_("What happened"), classes="panel-title")
        yield EventLog(classes="panel")
        yield Footer()

    def action_undo(self) -> None:
        """Practice: take back the last choice and show the game as it was before it."""
        if self.session.undo():
            self.use_session(self.session)
            self.notify(_("Took back your last choice."), timeout=3)

    def action_rewind(self) -> None:
        """Practice: go back to the start of a turn the player picks."""
        from game.app.screens.dialogs import RewindScreen

        starts = self.session.turn_starts()

        def chosen(turn: int | None) -> None:
            if turn is not None and turn in starts:
                self.session.rewind(starts[turn])
                self.use_session(self.session)
                self.notify(_("Back at the start of turn {turn}.").format(turn=turn), timeout=3)

        turn_name = self.board.turn_name if self.board is not None else "Turn"
        self.app.push_screen(RewindScreen(sorted(starts), turn_name), chosen)

    def on_mount(self) -> None:
        self.title = self.game.scenario.title
        self.sub_title = self.session.player
        self.query_one(EventLog).add(self.game.log_entries)
        self.refresh_all()
        self.query_one(ChoiceList).focus()
        if self.room is not None:  # the trainer sees the game from its first frame
            self.room.report(self.session)
        self.call_after_refresh(self.ask_pending_event)

    def use_session(self, session: PlaySession) -> None:
        """Show another game (restarted, or replayed onto an edited scenario) in place."""
        self.session = session
        self.title = self.game.scenario.title
        log = self.query_one(EventLog)
        log.clear()
        log.add(self.game.log_entries)
        self.refresh_all()
        if self.room is not None:
            self.room.report(self.session)
        self.call_after_refresh(self.ask_pending_event)

    def on_resize(self, event: events.Resize) -> None:
        """Drop borders on small terminals; show the chart when it fits; give the log
        more room on large screens."""
        self.set_class(event.size.height < COMPACT_HEIGHT, "-compact")
        self.set_class(event.size.height >= LARGE_HEIGHT, "-large")
        chart = event.size.height >= CHART_HEIGHT
        self.set_class(chart, "-chart")
        self.query_one(MetricsPanel).set_class(chart, "-chart")
        self.query_one(RelationshipMap).legend = not chart
        self.call_after_refresh(self.refresh_all)

    # ------------------------------------------------------------------ drawing

    def view_of_game(self) -> BoardView:
        """The board this screen shows (a team seat shows its own moves only)."""
        return self.game.view()

    def refresh_all(self) -> None:
        """Draw the board after a move: one view of it, which every panel holds."""
        self.board = self.view_of_game()

    def watch_board(self, board: BoardView | None) -> None:
        """Hand the new board to every panel (each redraws what changed), the map and
        the metrics first, then the moves and the one under the cursor."""
        if board is None:
            return
        self.query_one(RelationshipMap).board = board
        self.query_one(MetricsPanel).board = board
        if not board.finished:
            moves = self.query_one(ChoiceList)
            moves.order = self.action_order()
            moves.board = board
            self.query_one(MovePreview).move = (moves.highlighted_choice(board), board)
        self.query_one("#status", Static).update(self.status_text(board), layout=False)

    def action_order(self) -> dict[str, int]:
        """The scenario's actions in the order it lists them: how moves are numbered."""
        return {action.id: i for i, action in enumerate(self.game.scenario.actions)}

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving the cursor over a move describes it in the preview pane."""
        moves = self.query_one(ChoiceList)
        if event.option_list is moves and self.board is not None:
            board = self.board
            self.query_one(MovePreview).move = (moves.highlighted_choice(board), board)

    def status_text(self, board: BoardView) -> Text:
        unit = board.time_unit
        text = Text()
        text.append(f"{board.turn_name} {board.turn}/{board.turns}", style="bold")
        text.append(f" · {board.date:%d %b %Y}", style="dim")
        text.append(" · time left ")
        left = board.time_left
        style = "bold red" if left <= 1 else "bold"
        text.append(f"{left:g}/{board.time_budget:g}{unit}", style=style)
        if board.started:
            text.append(" · score so far ", style="dim")
            text.append(str(board.score), style="bold")
            text.append("/1000", style="dim")
        else:
            text.append(" · no score yet", style="dim")
        if self.session.practice:
            text.append(" · practice", style="bold yellow")
        if self.workshop:
            text.append(f" · workshop {self.workshop}", style="dim")
        else:
            text.append(f" · seed {board.seed}", style="dim")
        return text

    # ------------------------------------------------------------------ playing

    def play(self, choice_id: str) -> None:
        """Apply one choice through the session, then redraw.

        Keys typed faster than the screen redraws can name a move that has just
        closed (its time was spent, its person left): those are ignored.
        """
        if self.game.finished or all(c.id != choice_id for c in self.game.choices()):
            return
        if choice_id == END and self.room is not None:
            self.end_turn_in_room(self.room)
            return
        self.step(choice_id)

    def end_turn_in_room(self, room: RoomHook) -> None:
        """End the turn if the room lets it: wait while paused, take the trainer's events,
        stop if the round is over."""
        from game.app.screens.room_paused import RoomPausedScreen

        word = room.before_turn_ends(self.session)
        if word.paused:
            self.app.push_screen(RoomPausedScreen(room, self.session), self._room_answered)
        else:
            self._room_answered(word)

    def _room_answered(self, word: RoomWord | None) -> None:
        if word is None or word.paused:
            return
        if word.ended is not None:
            self.post_message(self.RoundEnded(word.ended))
            return
        for line in word.news:
            self.notify(line, title="From your trainer", timeout=10, markup=False)
        self.turn_ends()

    def turn_ends(self) -> None:
        """The room lets the turn end: end it (a team seat says it is ready instead)."""
        self.step(END)

    def step(self, choice_id: str) -> None:
        """Play a choice the screen has checked, report it to the room, and redraw."""
        entries = self.session.step(choice_id)
        if self.room is not None:
            self.room.report(self.session)
        self.query_one(EventLog).add(entries)
        if self.game.finished:
            self.post_message(self.Finished())
            return
        self.refresh_all()
        self.ask_pending_event()

    def ask_pending_event(self) -> None:
        """Open the modal for an event waiting for an answer."""
        event = self.game.pending_event
        if event is None or self.game.finished or isinstance(self.app.screen, EventModal):
            return
        # Disarmed as the event opens, not when its answer comes back: Enters typed with
        # the answer may reach the list before the answer does.
        self.query_one(ChoiceList).armed = False
        text = reflow(self.game.fill(event.text, None, event.target))
        modal = EventModal(event.title, text, self.game.choices(), self.game.scenario.time_unit)
        self.app.push_screen(modal, self._answered)

    def _answered(self, answer: str | None) -> None:
        event = self.game.pending_event
        if not answer or event is None:
            return
        made = len(self.game.log_entries)
        self.query_one(ChoiceList).armed = False  # a stray Enter after the answer plays nothing
        self.play(answer)
        outcome = [e.text for e in self.game.log_entries[made:] if e.kind == "decision"]
        if outcome:
            self.show_outcome(event.title, outcome)

    def show_outcome(self, title: str, lines: list[str]) -> None:
        """Tell what an answer led to as a short card in the corner (it is also in the log)."""
        prefix = f"{title}: "
        text = " ".join(line.removeprefix(prefix) for line in lines)
        self.notify(reflow(text), title=title, timeout=9, markup=False)

    def on_choice_list_picked(self, message: ChoiceList.Picked) -> None:
        """A move was picked in the list (ignored while another screen is on top)."""
        if self.is_active and self.game.pending_event is None:
            self.play(message.choice_id)

    def on_choice_list_refused(self, message: ChoiceList.Refused) -> None:
        """Keys named a move that cannot be played now: say why, do nothing else."""
        self.notify(f"{message.label}: {message.why}.", timeout=4, markup=False)

    def action_end_turn(self) -> None:
        if self.is_active and self.game.pending_event is None and not self.game.finished:
            self.play(END)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The story map is for scenario authors (--watch) only: hidden from trainees. Undo
        and rewind exist only in practice games."""
        if action in ("undo", "rewind"):
            return self.session.practice
        return action != "story_map" or self.authoring

    def action_story_map(self) -> None:
        """Show the scenario's story map (as last reloaded)."""
        from game.app.screens.story_map import StoryMapScreen

        if self.is_active and self.authoring:
            self.app.push_screen(StoryMapScreen(self.game.scenario))

    def action_debrief(self) -> None:
        if self.is_active:  # a second quick "d" does not stack a second debrief
            self.post_message(self.DebriefRequested())
