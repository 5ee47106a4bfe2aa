"""A workshop's games on the board as learning records (`workshop export --format xapi`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from game.engine import ReplayError, RunLog, RunLogError, replay
from game.scenario import ScenarioError
from game.scenario.catalog import ScenarioNotFound, find_scenario_id
from game.workshop.board.store import BoardStore
from game.workshop.xapi import Learner, statements


def workshop_statements(board: BoardStore, code: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Every statement of every game of workshop `code`, and the games that could not be
    read (each named, with why)."""
    found: list[dict[str, Any]] = []
    skipped: list[str] = []
    loaded: dict[str, Any] = {}
    for entry in board.entries(workshop=code):
        try:
            log = RunLog.from_json(entry.run_log)
            if log.scenario not in loaded:
                loaded[log.scenario] = find_scenario_id(log.scenario)
            scenario = loaded[log.scenario]
            game = replay(scenario.scenario, log, scenario_hash=scenario.content_hash)
        except (RunLogError, ReplayError, ScenarioError, ScenarioNotFound) as error:
            skipped.append(f"{entry.player}'s game {entry.id}: {error}")
            continue
        when = dt.datetime.fromisoformat(entry.created)
        learner = Learner(entry.player, code)
        found.extend(statements(game, log, learner, par=entry.par, now=when))
    return found, skipped
