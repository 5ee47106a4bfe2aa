"""A game's learning records on their way to the LRS, as the game is played.

A :class:`LrsRecorder` is a room hook (see `game.play.room_hook`): after every move it
queues the statements the game has newly earned and sends the queue in a background
thread, so a slow or absent LRS never holds up a key. When the game's front end
closes, it tries once more and leaves whatever could not be sent in the queue.
"""

from __future__ import annotations

import threading
import time

from game.common.errors import UserError
from game.play.room_hook import RoomWord
from game.play.session import PlaySession
from game.workshop.lrs import Flushed, Lrs, StatementQueue
from game.workshop.par import ParCache
from game.workshop.xapi import Learner, statements

#: With nothing new to send, statements left waiting are tried again this often.
RETRY_SECONDS = 10.0


class LrsRecorder:
    """Sends one player's games to an LRS (a :class:`RoomHook` that never holds a turn)."""

    def __init__(self, lrs: Lrs, workshop: str | None = None) -> None:
        self.queue = StatementQueue(lrs)
        self.workshop = workshop
        self.last: Flushed | None = None
        """What the last attempt to send did."""
        self._par = ParCache(size=16)
        self._sender: threading.Thread | None = None
        self._lock = threading.Lock()
        self._tried = -RETRY_SECONDS

    def report(self, session: PlaySession) -> None:
        """Queue the game's new statements, and send the queue in the background."""
        game, log = session.game, session.run_log()
        if log.practice:
            return  # practice games are the player's own
        par = None
        if game.finished:
            try:
                par = self._par(session.loaded, game.seed, injected=log.injected, team=log.team)
            except UserError:
                par = None
        learner = Learner(session.player, self.workshop)
        added = self.queue.put(statements(game, log, learner, par=par))
        if added or time.monotonic() - self._tried >= RETRY_SECONDS:
            self.send_soon()

    def before_turn_ends(self, session: PlaySession) -> RoomWord:
        return RoomWord()

    def send_soon(self) -> None:
        """Send the queue in a background thread, unless a send is already under way."""
        with self._lock:
            if self._sender is not None and self._sender.is_alive():
                return
            self._sender = threading.Thread(target=self._send, name="lrs", daemon=True)
            self._sender.start()

    def _send(self) -> None:
        self._tried = time.monotonic()
        self.last = self.queue.flush()

    def close(self) -> Flushed:
        """Wait for a send under way, then try once more; what is left stays queued."""
        sender = self._sender
        if sender is not None:
            sender.join()
        self.last = self.queue.flush()
        return self.last
