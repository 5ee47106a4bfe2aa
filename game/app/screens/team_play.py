"""A seat in an account team's game: the player's own teammate's moves, the others'
moves as they happen, and a turn that ends when the whole team is ready.

The screen is the ordinary play screen with three differences: it lists only the moves
of the seat's teammate (the lead's: every teammate no seat plays, and the events'
answers), every move goes through the team's log on the board before it is played,
and it looks at the log twice a second to play the others' moves.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from game.app.screens.closing import dismiss_once
from game.app.screens.play import EventModal, PlayScreen
from game.app.widgets.event_log import EventLog

if TYPE_CHECKING:
    from game.engine import BoardView
    from game.play.room_hook import RoomHook
    from game.play.session import PlaySession
    from game.workshop.team_play import TeamLink

#: Seconds between two looks at the team's log (and, while waiting, at who has joined).
SYNC_SECONDS = 0.5


class TeamPlayScreen(PlayScreen):
    """The play screen of one seat of a team game."""

    def __init__(
        self,
        session: PlaySession,
        workshop: str | None,
        *,
        team: TeamLink,
        room: RoomHook | None = None,
    ) -> None:
        super().__init__(session, workshop, room=room)
        self.team = team
        self._told_event: str | None = None

    def on_mount(self) -> None:
        # Textual runs the play screen's own on_mount too (handlers run along the MRO).
        self.call_after_refresh(self._name_the_team)
        self.set_interval(SYNC_SECONDS, self.sync_team, name="team log")

    def _name_the_team(self) -> None:
        self.sub_title = f"{self.session.player} · {self.team.team.name}"

    # ------------------------------------------------------------------ what it shows

    def view_of_game(self) -> BoardView:
        """The board with this seat's moves only, and this seat's time."""
        board = self.game.view()
        game, team = self.game, self.team
        hours = game.hours()
        return dataclasses.replace(
            board,
            choices=tuple(c for c in board.choices if team.owns(game, c)),
            closed=tuple((c, why) for c, why in board.closed if team.owns(game, c)),
            time_left=hours[team.seat] if hours else board.time_left,
        )

    def status_text(self, board: BoardView) -> Text:
        text = Text()
        if self.team.seat in self.team.ready:  # first: the line may be cut on the right
            waiting = ", ".join(p for p in self.team.waiting_for() if p != self.session.player)
            text.append(f"Turn ended, waiting for {waiting or 'the team'} · ", style="bold yellow")
        text.append_text(super().status_text(board))
        if self.team.lead:
            text.append(" · you lead the team", style="bold")
        else:
            teammate = self.game.name(self.game.team[self.team.seat])
            text.append(f" · you play {teammate}", style="bold")
        return text

    def ask_pending_event(self) -> None:
        """Only the lead answers events; the others are told who will."""
        event = self.game.pending_event
        if event is None or self.team.lead:
            super().ask_pending_event()
            return
        if self._told_event != event.id:
            self._told_event = event.id
            lead = self.team.team.players[0]
            self.notify(f"{lead} answers for the team: {event.title}.", timeout=8, markup=False)

    # ------------------------------------------------------------------ playing

    def play(self, choice_id: str) -> None:
        """Send the move to the team's log; it is played when the log comes back."""
        game = self.game
        if game.finished or all(c.id != choice_id for c in game.choices()):
            return
        if self.team.seat in self.team.ready:
            self.notify(
                "You have ended your turn: the team plays on without you until everyone has.",
                timeout=4,
                markup=False,
            )
            return
        if choice_id == "end" and self.room is not None:
            self.end_turn_in_room(self.room)
            return
        if choice_id == "end":
            self.turn_ends()
            return
        if not self.team.play(choice_id):
            self.notify(
                f"The team's board cannot be reached: {self.team.problem}",
                severity="error",
                markup=False,
            )
        self.sync_team()

    def turn_ends(self) -> None:
        """Tell the team this seat is done; the turn ends when everyone is."""
        if not self.team.end_turn():
            self.notify(
                f"The team's board cannot be reached: {self.team.problem}",
                severity="error",
                markup=False,
            )
        self.sync_team()

    def sync_team(self) -> None:
        """Play the team's new moves, and show them."""
        if not self.is_attached:
            return
        done = self.team.sync(self.session)
        for line in done.news:
            self.notify(line, timeout=5, markup=False)
        if done.entries:
            self.query_one(EventLog).add(done.entries)
            if self.room is not None:
                self.room.report(self.session)
        if self.game.finished:
            self.post_message(self.Finished())
            return
        if done.entries or done.news:
            self.refresh_all()
            if not isinstance(self.app.screen, EventModal):
                self.ask_pending_event()
        else:
            self.query_one("#status", Static).update(
                self.status_text(self.board or self.view_of_game())
            )


class TeamWaitScreen(ModalScreen[bool]):
    """Waiting for the team's other trainees to join; dismissed with True once it is full."""

    CSS_PATH = "team_wait.tcss"
    BINDINGS = [Binding("escape", "leave", "Leave the team")]

    def __init__(self, team: TeamLink, scenario_title: str) -> None:
        super().__init__()
        self.team = team
        self.scenario_title = scenario_title
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="team-box"):
            yield Static(f"Team game · {self.scenario_title}", id="team-title")
            yield Static("", id="team-members", markup=False)

    def on_mount(self) -> None:
        self.look()
        self.set_interval(SYNC_SECONDS, self.look)

    def look(self) -> None:
        if self._answered:
            return
        team = self.team.refresh()
        if team.full:
            self._answered = True  # once, however many looks were under way
            dismiss_once(self, True)
            return
        lines: list[Any] = [f"{team.name}: {team.size} trainees play the account together."]
        for seat, player in enumerate(team.players):
            you = " (you)" if seat == self.team.seat else ""
            lines.append(f"  {seat + 1}. {player}{you}")
        missing = team.size - len(team.players)
        lines.append(f"Waiting for {missing} more to join… (Esc leaves the team)")
        self.query_one("#team-members", Static).update("\n".join(lines))

    def action_leave(self) -> None:
        if not self._answered:
            self._answered = True
            dismiss_once(self, False)
