"""The Rapport engine: a pure, deterministic state machine over a scenario.

No Textual, no I/O. Every front end (the Textual app, the command line, the
bots) uses this API; see `docs/engine.md`.
"""

from game.engine.board_view import BoardView
from game.engine.choices import END, Choice, InvalidChoice
from game.engine.game import TIMELINE_METRICS, Game, StepResult
from game.engine.replay import ReplayError, replay, replay_prefix
from game.engine.runlog import RunLog, RunLogError
from game.engine.state import DefectionRecord, LogEntry

__all__ = [
    "END",
    "TIMELINE_METRICS",
    "BoardView",
    "Choice",
    "DefectionRecord",
    "Game",
    "InvalidChoice",
    "LogEntry",
    "ReplayError",
    "RunLog",
    "RunLogError",
    "StepResult",
    "replay",
    "replay_prefix",
]
