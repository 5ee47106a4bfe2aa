"""Workshops: submit a run log to the leaderboard, scored by replaying it.

A score on the board is always earned: the run log is replayed against its
scenario, and only the recomputed score is stored. A log that is not a run
log, that belongs to another version of its scenario, that does not replay,
or whose game is unfinished is refused with a message that says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from game.engine import ReplayError, RunLog, RunLogError, replay
from game.errors import UserError
from game.names import clean_player_name
from game.scenario import LoadedScenario, ScenarioError
from game.scenario.catalog import ScenarioNotFound, read_scenario, user_data_dir
from scoring.leaderboard import Leaderboard

WORKSHOP_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
MAX_RUNLOG_BYTES = 10 * 1024 * 1024


class SubmissionError(UserError):
    """A run log the leaderboard refuses; the message says why."""


@dataclass(frozen=True)
class Submitted:
    entry_id: int
    player: str
    workshop: str
    scenario: str
    score: int
    rank: int
    players: int


def default_db() -> Path:
    """The leaderboard file in the user data folder."""
    return user_data_dir() / "leaderboard.db"


def workshop_code(raw: str) -> str:
    """A workshop code, checked and upper-cased: letters, digits, - and _, up to 32."""
    code = raw.strip()
    if not WORKSHOP_CODE.match(code):
        raise UserError(f"workshop code {raw!r} must be 1 to 32 letters, digits, - or _")
    return code.upper()


class Submitter:
    """Scores run logs by replay and stores them; keeps each scenario loaded once."""

    def __init__(self, board: Leaderboard, scenario_path: str | None = None) -> None:
        self.board = board
        self.scenario_path = scenario_path
        self._scenarios: dict[str, LoadedScenario] = {}

    def scenario(self, scenario_id: str) -> LoadedScenario:
        argument = self.scenario_path or scenario_id
        if argument not in self._scenarios:
            try:
                self._scenarios[argument] = read_scenario(argument)[0]
            except ScenarioNotFound as error:
                raise SubmissionError(f"the run log's scenario cannot be found: {error}") from None
            except ScenarioError as error:
                raise SubmissionError(f"the run log's scenario has errors:\n{error}") from None
        return self._scenarios[argument]

    def submit(self, text: str | bytes, *, workshop: str, name: str | None = None) -> Submitted:
        """Replay the run log in `text`, store its true score, return the player's rank."""
        try:
            log = RunLog.from_json(text)
        except RunLogError as error:
            raise SubmissionError(str(error)) from None
        loaded = self.scenario(log.scenario)
        try:
            game = replay(loaded.scenario, log, scenario_hash=loaded.content_hash, narrate=False)
        except ReplayError as error:
            raise SubmissionError(f"refused: {error}") from None
        if not game.finished:
            raise SubmissionError(
                f"refused: the game is unfinished (turn {game.turn} of "
                f"{game.turns}); only finished games are ranked"
            )
        code = workshop_code(workshop)
        player = clean_player_name(name or log.player)
        score = game.score()
        canonical = RunLog(
            log.scenario, log.scenario_hash, log.seed, log.choices, player=player, bot=log.bot
        )
        entry_id = self.board.add(
            workshop=code,
            scenario=log.scenario,
            scenario_hash=log.scenario_hash,
            seed=log.seed,
            player=player,
            score=score.total,
            breakdown=score.as_dict()["breakdown"],
            run_log=canonical.to_json(),
        )
        standings = self.board.standings(workshop=code, scenario=log.scenario)
        rank = next((s.rank for s in standings if s.entry.player == player), len(standings))
        return Submitted(entry_id, player, code, log.scenario, score.total, rank, len(standings))
