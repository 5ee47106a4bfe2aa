"""An account team of trainees: one game, one seat each, played from several processes.

Each trainee plays the teammate of their seat (seat 0, the lead, plays the player's rep
and every teammate no seat has, and answers the events). A move is not played at once:
it goes to the team's log on the board, and every trainee's process plays the log in its
one order, so every copy of the game is the same game and each trainee sees the others'
moves as they happen. A trainee ends their turn by saying they are ready; the turn ends
in every copy when all seats are ready (and no event waits for an answer). A move that
no longer fits when its turn in the log comes (another seat took the last slot, say) is
skipped the same way everywhere, and its trainee is told.

The finished game's run log holds the moves that were played and the team's seats, so it
replays and ranks like any other game; the lead hands it in.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from game.engine import END, Choice, Game, InvalidChoice, LogEntry
from game.play.session import PlaySession
from game.workshop.board.store import BoardError, BoardStore
from game.workshop.board.team_tables import Team

READY = "ready"
INJECT = "inject"


@dataclass
class Synced:
    """What one look at the team's log did."""

    entries: list[LogEntry] = field(default_factory=list)
    """Log lines of the moves played (everyone's, in order)."""
    news: list[str] = field(default_factory=list)
    """What the others did and what could not be played, in words."""
    turn_ended: bool = False


def seat_owns(seat: int, game: Game, choice: Choice) -> bool:
    """Whether `seat` may play `choice`: its teammate's moves (the lead: every teammate no
    seat plays), the end of its turn, and (the lead only) the answers to events."""
    if choice.kind == "end":
        return True
    if choice.kind == "event":
        return seat == 0
    return game.seat_of(choice.actor) == seat


class TeamLink:
    """One trainee's seat in a team game (holds its own board connection)."""

    def __init__(self, board: BoardStore, team: Team, seat: int) -> None:
        self.board = board
        self.team = team
        self.seat = seat
        self.applied = 0
        """The number of the last log entry played."""
        self.ready: set[int] = set()
        """The seats that have ended this turn."""
        self.problem: str | None = None

    @property
    def lead(self) -> bool:
        return self.seat == 0

    @property
    def name(self) -> str:
        """The team as the board ranks it: its players' names."""
        return " & ".join(self.team.players)[:80]

    def refresh(self) -> Team:
        """The team as the board has it now (more players may have joined)."""
        found = self.board.team(self.team.workshop, self.team.name)
        if found is not None:
            self.team = found
        return self.team

    def owns(self, game: Game, choice: Choice) -> bool:
        """Whether this seat may play `choice`."""
        return seat_owns(self.seat, game, choice)

    def waiting_for(self) -> list[str]:
        """The players who have not ended this turn yet."""
        return [p for seat, p in enumerate(self.team.players) if seat not in self.ready]

    # ------------------------------------------------------------------ sending

    def _send(self, move: str) -> bool:
        try:
            self.board.add_team_move(self.team.workshop, self.team.name, self.seat, move)
        except BoardError as error:
            self.problem = str(error)
            return False
        self.problem = None
        return True

    def play(self, choice_id: str) -> bool:
        """Put one of this seat's moves in the team's log (False if the board is away)."""
        return self._send(choice_id)

    def end_turn(self) -> bool:
        """Say this seat is done with the turn."""
        return self._send(READY)

    def put_injection(self, ident: int, event: str) -> bool:
        """The lead passes the trainer's event on to every copy of the game."""
        return self._send(f"{INJECT}:{ident}:{event}")

    # ------------------------------------------------------------------ playing the log

    def sync(self, session: PlaySession) -> Synced:
        """Play the team's new log entries on this copy of the game."""
        done = Synced()
        try:
            moves = self.board.team_moves(self.team.workshop, self.team.name, self.applied)
        except BoardError as error:
            self.problem = str(error)
            return done
        for move in moves:
            self.applied = move.n
            if not session.game.finished:
                self._apply(session, move.seat, move.move, done)
        return done

    def _apply(self, session: PlaySession, seat: int, move: str, done: Synced) -> None:
        game = session.game
        who = self.team.players[seat] if seat < len(self.team.players) else f"seat {seat + 1}"
        if move == READY:
            self.ready.add(seat)
        elif move.startswith(f"{INJECT}:"):
            _kind, ident, event = move.split(":", 2)
            with contextlib.suppress(InvalidChoice, ValueError):  # the same in every copy
                game.inject(event, int(ident))
        elif seat in self.ready:
            pass  # a seat that ended its turn plays no more in it
        else:
            try:
                choice = game.choice(move)
            except InvalidChoice as error:
                if seat == self.seat:
                    done.news.append(f"Not played: {error}")
                return
            if not seat_owns(seat, game, choice):
                return
            done.entries += session.step(move)
            if seat != self.seat:
                done.news.append(f"{who}: {choice.label}")
        self._end_if_all_ready(session, done)

    def _end_if_all_ready(self, session: PlaySession, done: Synced) -> None:
        game = session.game
        if len(self.ready) < self.team.size or game.pending_event is not None or game.finished:
            return
        done.entries += session.step(END)
        done.turn_ended = True
        self.ready.clear()

    def close(self) -> None:
        self.board.close()
