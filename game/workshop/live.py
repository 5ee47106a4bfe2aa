"""A workshop game's line to its room: progress out after every move, the trainer's
pause, events and end of the round in before every turn ends.

It works through the board, so it works the same for terminals on one machine, for
`rapport serve`, and for hosts sharing a PostgreSQL board. When the board cannot be
reached the game goes on: a room that cannot be heard never blocks a turn.
"""

from __future__ import annotations

from collections.abc import Callable

from game.engine import InvalidChoice
from game.play.room_hook import RoomWord
from game.play.session import PlaySession
from game.workshop.board.room_tables import GameReport, LiveGame, RoomState
from game.workshop.board.store import BoardError, BoardStore


class LiveRoom:
    """The room of workshop `code`, seen by one player's game (a :class:`RoomHook`)."""

    def __init__(
        self,
        board: BoardStore,
        code: str,
        *,
        schedule: Callable[[PlaySession, int, str], bool] | None = None,
    ) -> None:
        self.board = board
        self.code = code
        self.schedule = schedule or _schedule
        """How a trainer's event gets into the game (a team passes it through its log)."""
        self.player: str | None = None
        """The name the game reports under (a team's, for every seat), or the session's."""
        self.problem: str | None = None
        """The last reason the board could not be reached (None while it can)."""
        self._passed: set[int] = set()
        """Injections this game will not take (it started later, or cannot schedule them)."""
        self._game: object = None
        """The game last reported: a new one with no move yet starts the clock again."""

    def _report(self, session: PlaySession) -> tuple[RoomState, LiveGame | None] | None:
        game = session.game
        new_game = game is not self._game and not game.choices_made
        if game is not self._game:
            self._game, self._passed = game, set()
        try:
            reply = self.board.report(
                GameReport(
                    workshop=self.code,
                    player=self.player or session.player,
                    scenario=game.scenario.id,
                    turn=game.turn,
                    turns=game.turns,
                    loyalty=round(game.company_loyalty(), 4),
                    score=game.score().total,
                    run_log=session.run_log().to_json(),
                    finished=game.finished,
                    new_game=new_game,
                )
            )
        except BoardError as error:
            self.problem = str(error)
            return None
        self.problem = None
        return reply

    def report(self, session: PlaySession) -> None:
        """Tell the room how the game stands."""
        self._report(session)

    def close(self) -> None:
        """Close the board (when the game's front end ends)."""
        self.board.close()

    def before_turn_ends(self, session: PlaySession) -> RoomWord:
        """Report, then say whether the turn may end; schedule the trainer's new events."""
        reply = self._report(session)
        if reply is None:
            return RoomWord()
        room, live = reply
        if room.ended:
            scored = live is not None and live.status == "ended"
            return RoomWord(
                ended=(
                    f"Your trainer ended the round: your game was scored as it stood in turn "
                    f"{live.turn}."
                    if scored and live
                    else "Your trainer ended the round: this game is no longer ranked."
                )
            )
        if room.paused:
            return RoomWord(paused=True)
        game = session.game
        have = {item.id for item in game.injected}
        news = []
        for injection in room.injections:
            if injection.id in have or injection.id in self._passed:
                continue
            if live is None or injection.created < live.started:
                self._passed.add(injection.id)  # put into the room before this game began
                continue
            if not self.schedule(session, injection.id, injection.event):
                self._passed.add(injection.id)
                continue
            event = next(e for e in game.scenario.events if e.id == injection.event)
            news.append(f"Your trainer has put an event into the game: {event.title}.")
        if news:
            session.save()
        return RoomWord(news=tuple(news))


def _schedule(session: PlaySession, ident: int, event: str) -> bool:
    """Put the trainer's event into the game for its next turn; False if it cannot be."""
    try:
        session.game.inject(event, ident)
    except InvalidChoice:
        return False
    return True
