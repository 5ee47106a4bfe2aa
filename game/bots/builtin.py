"""The built-in bots: policies trainers use to check what a scenario teaches.

- `relationship-builder` spends time on the seven account-manager behaviours,
  using the whole team;
- `discounter` only moves price and the loyalty programme;
- `lone-star` builds relationships, but lets one rep carry the account: only the
  supplier person the customer trusts most at the start ever acts;
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


#: How much more a choice is worth when it takes a step the game has not taken yet.
PROGRESS_BONUS = 3.0


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
        self._static: dict[str, tuple[float, float, bool]] = {}
        self._star: str | None = None

    def reset(self, seed: int) -> None:
        """Forget cached values: the next game may be another scenario."""
        self._static = {}
        self._star = None

    def star(self, view: GameView) -> str:
        """The one rep a solo bot acts through: whom the customer trusts most at the start."""
        if self._star is None:

            def held(member: str) -> float:
                return sum(view.influence(p) * view.trust(p, member) for p in view.stakeholders)

            self._star = max(view.team, key=lambda m: (held(m), m == view.player))
        return self._star

    def choose(self, view: GameView) -> str:
        if view.pending_event is not None:
            return self.answer(view)
        static = self._static
        best_value, best = 0.0, END
        room: dict[tuple[str, str], float] = {}  # one look-up per pair, however many actions
        new_step: dict[tuple[str, ...], bool] = {}  # one look-up per set of flags
        flags: dict[str, object] | None = None
        for choice in view.choices:
            known = static.get(choice.id)
            if known is None:
                known = static[choice.id] = self._known(view, choice)
            value, ceiling, personal = known
            if ceiling <= best_value:
                continue  # even at its best (a new step, all room to grow) it loses
            if ceiling > value:
                # A step the scenario's process has not taken yet is worth more.
                steps = choice.sets_flags
                fresh = new_step.get(steps)
                if fresh is None:
                    flags = view.flags if flags is None else flags
                    fresh = new_step[steps] = not all(flags.get(name) for name in steps)
                if fresh:
                    value = ceiling
            if personal and value > best_value:
                # personal choices have both a target and an actor (see static_value)
                pair = (choice.target or "", choice.actor or "")
                space = room.get(pair)
                if space is None:
                    # Room left to grow, halved for each contact already made this turn.
                    space = room[pair] = (1.0 - view.trust(*pair)) * 0.5 ** view.contacted(*pair)
                value *= space
            if value > best_value:
                best_value, best = value, choice.id
        return best

    def _known(self, view: GameView, choice: Choice) -> tuple[float, float, bool]:
        """A choice's static value, the most it can be worth, and whether it is personal."""
        value, personal = self.static_value(view, choice)
        ceiling = value * PROGRESS_BONUS if choice.sets_flags and value > 0 else value
        return value, ceiling, personal

    def answer(self, view: GameView) -> str:
        """Answer an event with the choice whose behaviour it values most."""
        ranked = sorted(
            view.choices,
            key=lambda c: (-self.weights.get(c.behaviour, 0.0), not c.default, c.cost),
        )
        if self.weights.get(ranked[0].behaviour, 0.0) <= 0:
            return default_answer(view)
        return ranked[0].id

    def static_value(self, view: GameView, choice: Choice) -> tuple[float, bool]:
        """The part of a choice's value that never changes, and whether it still has to be
        scaled by the room its target has to trust its actor more.

        The whole value is the expected trust gained per hour, weighted by behaviour and
        by how much the target's trust matters.
        """
        weight = self.weights.get(choice.behaviour, 0.0)
        if weight <= 0 or choice.kind == "end" or (self.solo and choice.actor != self.star(view)):
            return 0.0, False
        cost = max(choice.cost, 0.5)
        target, actor = choice.target, choice.actor
        if choice.kind == "introduction" and target:
            return weight * 0.3 * (0.5 + view.influence(target)) / cost, False
        if target is None or actor is None:
            return weight * max(choice.gain, 0.02) * 0.6 / cost, False
        value = weight * max(choice.gain, 0.02) * (0.3 + view.influence(target)) / cost
        if self.team_bonus and actor != view.player:
            value *= 1.0 + self.team_bonus
        return value, True


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
