"""Rebuild a game from a run log."""

from __future__ import annotations

from game.common.errors import UserError
from game.engine.choices import InvalidChoice
from game.engine.game import Game
from game.engine.runlog import RunLog
from game.scenario.loader import content_hash
from game.scenario.models import Scenario


class ReplayError(UserError, ValueError):
    """A run log that does not fit its scenario; the message says how."""


def replay(
    scenario: Scenario, log: RunLog, *, scenario_hash: str | None = None, narrate: bool = True
) -> Game:
    """Play every choice of `log`; raise :class:`ReplayError` if one does not fit.

    `narrate=False` skips the event log (see :class:`Game`) when only the result matters.
    """
    digest = scenario_hash or content_hash(scenario)
    if log.scenario != scenario.id:
        raise ReplayError(f"the run log is for scenario '{log.scenario}', not '{scenario.id}'")
    if log.scenario_hash != digest:
        raise ReplayError(
            f"the run log was recorded with a different version of scenario '{scenario.id}' "
            f"(its hash is {log.scenario_hash[:19]}…, the scenario's is {digest[:19]}…); "
            "replaying it would not give the same game"
        )
    try:
        game = Game(
            scenario,
            log.seed,
            scenario_hash=digest,
            narrate=narrate,
            injected=log.injected,
            team=log.team,
        )
    except InvalidChoice as error:
        raise ReplayError(f"the run log's team or trainer's events: {error}") from None
    for index, choice in enumerate(log.choices, 1):
        try:
            game.step(choice)
        except InvalidChoice as error:
            raise ReplayError(
                f"choice {index} of {len(log.choices)} ({choice!r}): {error}"
            ) from None
    return game


def replay_prefix(
    scenario: Scenario, seed: int, choices: list[str], *, scenario_hash: str | None = None
) -> tuple[Game, int]:
    """Play as many of `choices` as still fit (after a scenario edit); return the game and count."""
    game = Game(scenario, seed, scenario_hash=scenario_hash)
    for count, choice in enumerate(choices):
        try:
            game.step(choice)
        except InvalidChoice:
            return game, count
    return game, len(choices)
