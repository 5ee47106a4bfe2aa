"""The built-in bots: policies trainers use to check what a scenario teaches.

- `relationship-builder` spends time on the seven account-manager behaviours,
  using the whole team;
- `discounter` only moves price and the loyalty programme;
- `lone-star` builds relationships, but only the player's own rep ever acts;
- `constellation` spreads contact over an account team and talks as a company;
- `random` picks any open choice;
- `idle` ends every turn and takes every event's default.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from game.bots.base import default_answer
from game.engine.choices import END, Choice
from game.engine.view import GameView
from game.scenario.models import SEVEN_BEHAVIOURS, Behaviour

_SEVEN = {b.value: 1.0 for b in SEVEN_BEHAVIOURS}

RELATIONSHIP_WEIGHTS: dict[str, float] = _SEVEN | {
    Behaviour.SERVICE: 0.8,
    Behaviour.DELIVERY: 0.7,
    Behaviour.ACCOUNT_PLAN: 0.7,
    Behaviour.INNOVATION: 0.7,
    Behaviour.COMPANY_COMMUNICATION: 0.4,
    Behaviour.SELLING: 0.3,
    Behaviour.OTHER: 0.1,
}
CONSTELLATION_WEIGHTS: dict[str, float] = RELATIONSHIP_WEIGHTS | {
    Behaviour.COMPANY_COMMUNICATION: 1.0,
    Behaviour.ACCOUNT_PLAN: 1.0,
    Behaviour.INNOVATION: 1.0,
}
DISCOUNT_WEIGHTS: dict[str, float] = {Behaviour.DISCOUNT: 1.0, Behaviour.LOYALTY_PROGRAM: 0.9}


class WeightedBot:
    """Picks the open choice worth most for its time, by behaviour weights; ends the turn
    when nothing is worth doing."""

    def __init__(
        self,
        name: str,
        weights: Mapping[str, float],
        *,
        solo: bool = False,
        team_bonus: float = 0.0,
    ) -> None:
        self.name = name
        self.weights = weights
        self.solo = solo
        self.team_bonus = team_bonus

    def reset(self, seed: int) -> None:
        """Nothing to reset: the policy is deterministic."""

    def choose(self, view: GameView) -> str:
        if view.pending_event is not None:
            return self.answer(view)
        best_value, best = 0.0, END
        player = view.player
        room: dict[tuple[str, str], float] = {}  # one look-up per pair, however many actions
        for choice in view.choices:
            if choice.kind == "end" or (self.solo and choice.actor != player):
                continue
            value = self.value(view, choice, room)
            if value > best_value:
                best_value, best = value, choice.id
        return best

    def answer(self, view: GameView) -> str:
        """Answer an event with the choice whose behaviour it values most."""
        ranked = sorted(
            view.choices,
            key=lambda c: (-self.weights.get(c.behaviour, 0.0), not c.default, c.cost),
        )
        if self.weights.get(ranked[0].behaviour, 0.0) <= 0:
            return default_answer(view)
        return ranked[0].id

    def value(
        self, view: GameView, choice: Choice, room: dict[tuple[str, str], float] | None = None
    ) -> float:
        """Expected trust gained per hour, weighted by behaviour and by whose trust it is."""
        weight = self.weights.get(choice.behaviour, 0.0)
        if weight <= 0:
            return 0.0
        cost = max(choice.cost, 0.5)
        target, actor = choice.target, choice.actor
        if choice.kind == "introduction" and target:
            return weight * 0.3 * (0.5 + view.influence(target)) / cost
        if target is None or actor is None:
            return weight * max(choice.gain, 0.02) * 0.6 / cost
        pair = (target, actor)
        space = room.get(pair) if room is not None else None
        if space is None:
            # Room left to grow, halved for each contact already made this turn.
            space = (1.0 - view.trust(target, actor)) * 0.5 ** view.contacted(target, actor)
            if room is not None:
                room[pair] = space
        value = weight * max(choice.gain, 0.02) * space * (0.3 + view.influence(target)) / cost
        if self.team_bonus and choice.actor != view.player:
            value *= 1.0 + self.team_bonus
        return value


class RandomBot:
    """Any open choice, uniformly, from a generator seeded with the game's seed."""

    name = "random"

    def __init__(self) -> None:
        self.rng = random.Random(0)

    def reset(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def choose(self, view: GameView) -> str:
        return self.rng.choice(view.choices).id


class IdleBot:
    """Does nothing: ends every turn, takes every event's default answer."""

    name = "idle"

    def reset(self, seed: int) -> None:
        """Nothing to reset."""

    def choose(self, view: GameView) -> str:
        return default_answer(view)


def relationship_builder() -> WeightedBot:
    return WeightedBot("relationship-builder", RELATIONSHIP_WEIGHTS)


def discounter() -> WeightedBot:
    return WeightedBot("discounter", DISCOUNT_WEIGHTS)


def lone_star() -> WeightedBot:
    return WeightedBot("lone-star", RELATIONSHIP_WEIGHTS, solo=True)


def constellation() -> WeightedBot:
    return WeightedBot("constellation", CONSTELLATION_WEIGHTS, team_bonus=1.0)


BUILTIN_BOTS = {
    "relationship-builder": relationship_builder,
    "discounter": discounter,
    "lone-star": lone_star,
    "constellation": constellation,
    "random": RandomBot,
    "idle": IdleBot,
}
