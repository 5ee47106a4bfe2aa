"""Submissions: a run log onto the board, scored by replaying it.

A score on the board is always earned: the run log is replayed against its
scenario, and only the recomputed score is stored, with par (the reference
bot's score on the same seed, recomputed too). A log that is not a run log,
that belongs to another version of its scenario, that does not replay, or
whose game is unfinished is refused with a message that says which. In a
workshop the trainer created, the log must also be of the workshop's
scenario, version and seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from game.common.errors import UserError, quoted
from game.common.names import clean_player_name
from game.common.seeds import seed_problem
from game.engine import ReplayError, RunLog, RunLogError, replay
from game.scenario import LoadedScenario, ScenarioError
from game.scenario.catalog import ScenarioNotFound, find_scenario_id, read_scenario
from game.workshop.board.store import BoardStore, Ranking, Workshop
from game.workshop.par import ParCache
from game.workshop.workshops import workshop_code

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
    par: int | None
    rank: int
    players: int
    ranking: Ranking = "score"
    counts: bool = True  # False when only an earlier game of this player ranks

    @property
    def margin(self) -> int | None:
        return None if self.par is None else self.score - self.par


class Submitter:
    """Scores run logs by replay and stores them; keeps each scenario loaded once."""

    def __init__(self, board: BoardStore, scenario_path: str | None = None) -> None:
        self.board = board
        self.scenario_path = scenario_path
        self._scenarios: dict[str, LoadedScenario] = {}
        self._workshops: dict[str, Workshop | None] = {}
        self.par = ParCache()

    def scenario(self, scenario_id: str) -> LoadedScenario:
        """The scenario a log names: by id only (a log never opens a file), or --scenario."""
        key = self.scenario_path or scenario_id
        if key not in self._scenarios:
            try:
                if self.scenario_path:
                    self._scenarios[key] = read_scenario(self.scenario_path)[0]
                else:
                    self._scenarios[key] = find_scenario_id(scenario_id)
            except ScenarioNotFound as error:
                raise SubmissionError(f"the run log's scenario cannot be found: {error}") from None
            except ScenarioError as error:
                raise SubmissionError(f"the run log's scenario has errors:\n{error}") from None
        return self._scenarios[key]

    def workshop(self, code: str) -> Workshop | None:
        """The created workshop (read once per submitter: records never change)."""
        if code not in self._workshops:
            self._workshops[code] = self.board.workshop(code)
        return self._workshops[code]

    def submit(self, text: str | bytes, *, workshop: str, name: str | None = None) -> Submitted:
        """Replay the run log in `text`, store its true score and par, return the player's rank."""
        code = workshop_code(workshop)
        try:
            log = RunLog.from_json(text)
        except RunLogError as error:
            raise SubmissionError(str(error)) from None
        if seed_problem(log.seed):
            raise SubmissionError("refused: the run log's seed is out of range")
        if log.practice:
            raise SubmissionError(
                "refused: this game was played in practice mode (with undo and rewind); "
                "boards rank only games played straight through"
            )
        record = self.workshop(code)
        if record is not None:
            _check_against(record, log)
        player = clean_player_name(name or log.player)
        self._check_room(code, player, log)
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
        score = game.score()
        try:
            par: int | None = self.par(loaded, log.seed, injected=log.injected, team=log.team)
        except UserError:  # the reference bot cannot play this scenario: no par, still ranked
            par = None
        canonical = RunLog(
            log.scenario,
            log.scenario_hash,
            log.seed,
            log.choices,
            player=player,
            bot=log.bot,
            injected=log.injected,
            game_id=log.game_id,
            team=log.team,
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
            par=par,
        )
        ranking: Ranking = record.ranking if record else "score"
        place = self.board.place(workshop=code, scenario=log.scenario, player=player, rank=ranking)
        rank, players = (place.rank, place.players) if place else (1, 1)
        return Submitted(
            entry_id,
            player,
            code,
            log.scenario,
            score.total,
            par,
            rank,
            players,
            ranking,
            counts=place is None or place.entry_id == entry_id,
        )

    def _check_room(self, code: str, player: str, log: RunLog) -> None:
        """Events in the log must be the trainer's, none left out; an ended round takes no
        more games from those it already scored."""
        room = self.board.room(code)
        given = {item.id: item.event for item in room.injections}
        for item in log.injected:
            if given.get(item.id) != item.event:
                raise SubmissionError(
                    f"refused: the run log holds an event ({quoted(item.event)}) that the "
                    f"trainer of workshop {code} did not put into the games"
                )
        live = self.board.live_game(code, player)
        if live is not None:
            if live.status == "ended":
                raise SubmissionError(
                    f"refused: the trainer ended the round of workshop {code}; {player}'s game "
                    f"was scored as it stood in turn {live.turn}"
                )
            try:
                reported = {item.id for item in RunLog.from_json(live.run_log).injected}
            except RunLogError:
                reported = set()
            missing = reported - {item.id for item in log.injected}
            if missing:
                raise SubmissionError(
                    "refused: the run log leaves out an event the trainer put into this game"
                )


def _check_against(workshop: Workshop, log: RunLog) -> None:
    """A created workshop takes only games of its scenario, version and seed."""
    if log.scenario != workshop.scenario:
        raise SubmissionError(
            f"refused: workshop {workshop.code} plays scenario '{workshop.scenario}', "
            f"the run log is of '{log.scenario[:80]}'"
        )
    if log.scenario_hash != workshop.scenario_hash:
        raise SubmissionError(
            f"refused: the run log was recorded with a different version of scenario "
            f"'{workshop.scenario}' than workshop {workshop.code} plays"
        )
    if log.seed != workshop.seed:
        raise SubmissionError(
            f"refused: the run log was not played on workshop {workshop.code}'s seed"
        )


def plain_submitter(board: BoardStore, workshop: str) -> Callable[[RunLog], str]:
    """For plain mode: put a finished game on `board`, and say where it ranks (or why not)."""
    submitter = Submitter(board)

    def submit(log: RunLog) -> str:
        try:
            done = submitter.submit(log.to_json(), workshop=workshop)
        except UserError as error:
            return f"Not put on the leaderboard: {error}"
        par = "" if done.par is None else f" (par {done.par}: {done.score - done.par:+d})"
        return (
            f"Workshop {done.workshop}: {done.player} is number {done.rank} of "
            f"{done.players} with {done.score} points{par}."
        )

    return submit
