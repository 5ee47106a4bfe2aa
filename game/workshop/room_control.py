"""The trainer's side of a live room: every game at a glance, and the room's controls.

`room_status` reads the games' own reports (turn, loyalty, score so far) and adds par
so far (the reference bot's score when the same turn began, with the same events put
in) and how long each player has been idle. `end_round` scores every game still in
progress as it stands, by replaying its last reported run log: never from the score it
reported. `inject` checks the event is one of the scenario's before the room gets it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from game.common.errors import UserError, quoted
from game.engine import ReplayError, RunLog, RunLogError, replay
from game.scenario import LoadedScenario, ScenarioError
from game.scenario.catalog import ScenarioNotFound, find_scenario_id
from game.workshop.board.room_tables import LiveGame, RoomInjection, RoomState
from game.workshop.board.store import BoardStore
from game.workshop.par import ParCache, TurnPars
from game.workshop.room_debrief import Prompt, room_prompts


class RoomError(UserError):
    """A request of the room that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class PlayerRow:
    """One game in the room, as the console shows it."""

    player: str
    turn: int
    turns: int
    loyalty: float
    score: int
    par: int | None
    status: str
    idle_seconds: float

    @property
    def vs_par(self) -> int | None:
        return None if self.par is None else self.score - self.par

    def as_dict(self) -> dict[str, Any]:
        return {
            "player": self.player,
            "turn": self.turn,
            "turns": self.turns,
            "company_loyalty": self.loyalty,
            "score": self.score,
            "par": self.par,
            "vs_par": self.vs_par,
            "status": self.status,
            "idle_seconds": round(self.idle_seconds, 1),
        }


@dataclass(frozen=True)
class RoomStatus:
    """The whole room now."""

    code: str
    scenario: str | None
    paused: bool
    ended: bool
    injections: tuple[RoomInjection, ...]
    players: tuple[PlayerRow, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "workshop": self.code,
            "scenario": self.scenario,
            "paused": self.paused,
            "ended": self.ended,
            "injected": [
                {"id": i.id, "event": i.event, "time": i.created} for i in self.injections
            ],
            "players": [row.as_dict() for row in self.players],
        }


@dataclass(frozen=True)
class EndedGame:
    """A game the end of the round scored as it stood."""

    player: str
    turn: int
    score: int | None
    problem: str | None = None


class RoomControl:
    """A trainer's hold on one workshop's room on `board`."""

    def __init__(self, board: BoardStore, code: str, *, pars: TurnPars | None = None) -> None:
        self.board = board
        self.code = code
        self._scenarios: dict[str, LoadedScenario] = {}
        self._par = ParCache()
        self.pars = pars or TurnPars()
        """Par as each turn begins; pass it on to the next control to keep its cache."""

    # ------------------------------------------------------------------ reading

    def scenario(self, scenario_id: str) -> LoadedScenario:
        if scenario_id not in self._scenarios:
            try:
                self._scenarios[scenario_id] = find_scenario_id(scenario_id)
            except (ScenarioNotFound, ScenarioError) as error:
                raise RoomError(f"scenario {quoted(scenario_id)}: {error}") from None
        return self._scenarios[scenario_id]

    def _check_known(self) -> None:
        """A code that names no workshop on the board (a typo) is said so, not shown empty."""
        if self.board.workshop(self.code) is not None or self.board.live_games(self.code):
            return
        if any(summary.code == self.code for summary in self.board.workshops()):
            return
        raise RoomError(
            f"no workshop {self.code} on {self.board.location}: `rapport workshop list` shows "
            "those there"
        )

    def status(self, now: dt.datetime | None = None) -> RoomStatus:
        """Every game of the room with its par so far, and the room's state."""
        self._check_known()
        now = now or dt.datetime.now(dt.UTC)
        room = self.board.room(self.code)
        record = self.board.workshop(self.code)
        rows = tuple(self._row(game, now) for game in self.board.live_games(self.code))
        scenario = record.scenario if record else None
        return RoomStatus(self.code, scenario, room.paused, room.ended, room.injections, rows)

    def _row(self, game: LiveGame, now: dt.datetime) -> PlayerRow:
        par = None
        try:
            log = RunLog.from_json(game.run_log)
            pars = self.pars(self.scenario(log.scenario), log.seed, log.injected, log.team)
            par = pars[min(game.turn, len(pars)) - 1] if game.status == "playing" else pars[-1]
        except (RunLogError, UserError, IndexError):
            par = None  # a report that cannot be read has no par: the console shows "-"
        idle = max(0.0, (now - _parse_time(game.updated)).total_seconds())
        return PlayerRow(
            game.player,
            game.turn,
            game.turns,
            game.loyalty,
            game.score,
            par,
            game.status,
            idle if game.status == "playing" else 0.0,
        )

    def prompts(self) -> list[Prompt]:
        """The room's debrief: discussion prompts from its games, finished or not."""
        logs = {
            game.player: (game.scenario, game.run_log) for game in self.board.live_games(self.code)
        }
        for entry in self.board.entries(workshop=self.code):  # games handed in afterwards too
            logs.setdefault(entry.player, (entry.scenario, entry.run_log))
        if not logs:
            return [Prompt("No games yet", "No game of this workshop has started.", "")]
        scenario = Counter(sid for sid, _log in logs.values()).most_common(1)[0][0]
        loaded = self.scenario(scenario)
        return room_prompts(loaded, (log for sid, log in logs.values() if sid == scenario))

    # ------------------------------------------------------------------ steering

    def pause(self) -> RoomState:
        """Games wait at the end of their turn until `resume`."""
        self._check_known()
        self._refuse_if_ended("pause")
        return self.board.set_paused(self.code, True)

    def resume(self) -> RoomState:
        self._check_known()
        return self.board.set_paused(self.code, False)

    def inject(self, event: str) -> RoomInjection:
        """Put one of the scenario's events into every game in progress, at its next turn."""
        self._check_known()
        self._refuse_if_ended("put an event into")
        scenarios = self._scenario_ids()
        if not scenarios:
            raise RoomError(
                f"workshop {self.code} has no scenario yet: create it with --scenario, or wait "
                "until a game has started"
            )
        known = {e.id for sid in scenarios for e in self.scenario(sid).scenario.events}
        if event not in known:
            raise RoomError(
                f"{quoted(event)} is not an event of {', '.join(sorted(scenarios))}; "
                f"its events are: {', '.join(sorted(known)) or 'none'}"
            )
        return self.board.add_injection(self.code, event)

    def events(self) -> list[tuple[str, str]]:
        """The events the trainer may put in: (id, title), in the scenario's order."""
        found: dict[str, str] = {}
        for sid in sorted(self._scenario_ids()):
            for event in self.scenario(sid).scenario.events:
                found.setdefault(event.id, event.title)
        return list(found.items())

    def end(self) -> list[EndedGame]:
        """End the round: score every game still in progress as it stands, marked unfinished."""
        self._check_known()
        ended = []
        for game in self.board.close_round(self.code):
            ended.append(self._score_as_it_stands(game))
        return ended

    def _score_as_it_stands(self, live: LiveGame) -> EndedGame:
        try:
            log = RunLog.from_json(live.run_log)
            loaded = self.scenario(log.scenario)
            game = replay(loaded.scenario, log, scenario_hash=loaded.content_hash, narrate=False)
        except (RunLogError, ReplayError, RoomError) as error:
            return EndedGame(live.player, live.turn, None, str(error))
        score = game.score()
        par: int | None
        try:
            par = self._par(
                loaded, log.seed, injected=log.injected, until_turn=game.turn, team=log.team
            )
        except UserError:
            par = None
        self.board.add(
            workshop=self.code,
            scenario=log.scenario,
            scenario_hash=log.scenario_hash,
            seed=log.seed,
            player=live.player,
            score=score.total,
            breakdown=score.as_dict()["breakdown"],
            run_log=log.to_json(),
            par=par,
            finished=False,
        )
        return EndedGame(live.player, game.turn, score.total)

    def _scenario_ids(self) -> set[str]:
        record = self.board.workshop(self.code)
        if record is not None:
            return {record.scenario}
        return {game.scenario for game in self.board.live_games(self.code)}

    def _refuse_if_ended(self, what: str) -> None:
        if self.board.room(self.code).ended:
            raise RoomError(f"the round of workshop {self.code} has ended: nothing to {what}")


def _parse_time(text: str) -> dt.datetime:
    """A board time (ISO 8601, UTC) as an aware datetime."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.now(dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
