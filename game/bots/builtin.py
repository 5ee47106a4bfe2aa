"""The built-in bots: policies trainers use to check what a scenario teaches.

- `relationship-builder` spends time on the seven account-manager behaviours,
  using the whole team;
- `discounter` only moves price and the loyalty programme;
- `relationship-plus-discounts` makes every discount and loyalty-programme move the
  discounter would, and spends the rest of its time like the relationship builder;
- `lone-star` builds relationships, but lets one rep carry the account: only the
  supplier person the customer trusts most at the start acts, until that person
  leaves the team; then whoever is left carries on;
- `constellation` spreads contact over an account team and talks as a company;
- `narrow` builds relationships only with the two most influential (or, among
  equals, most senior) customer people it has met, climbing by introductions;
- `random` picks any open choice;
- `idle` ends every turn and takes every event's default;

The `expert`, which chooses among the policies above by looking ahead on forks of
the game, lives in `game.bots.expert`; `game.bots.registry` lists all of them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping

from game.bots.base import Bot, default_answer
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
RELATIONSHIP_PLUS_DISCOUNT_WEIGHTS: dict[str, float] = RELATIONSHIP_WEIGHTS | DISCOUNT_WEIGHTS

#: How many customer people the `narrow` bot works with.
NARROW_SIZE = 2


#: How much more a choice is worth when it takes a step the game has not taken yet.
PROGRESS_BONUS = 3.0
#: How much more a move with one of a bot's `first` behaviours is worth: enough that it
#: is always taken while open.
FIRST_FACTOR = 1000.0
#: How much more a personal move is worth when its target is weighing a competitor's
#: offer: any sensible player talks to the customer who is about to leave.
IN_PLAY_FACTOR = 3.0


class WeightedBot:
    """Picks the open choice worth most for its time, by behaviour weights; ends the turn
    when nothing is worth doing.

    `solo`: act only through the star (see `star`) while the star is on the team;
    `team_bonus`: extra value for moves by teammates; `first`: behaviours whose moves
    (weighted above 0) it takes whenever they are open, before anything else.
    """

    def __init__(
        self,
        name: str,
        weights: Mapping[str, float],
        *,
        solo: bool = False,
        team_bonus: float = 0.0,
        first: frozenset[str] = frozenset(),
    ) -> None:
        self.name = name
        self.weights = weights
        self.solo = solo
        self.team_bonus = team_bonus
        self.first = first
        self._static: dict[str, tuple[float, float, bool]] = {}
        self._star: str | None = None
        self._star_here = True

    def reset(self, seed: int) -> None:
        """Forget cached values: the next game may be another scenario."""
        self._static = {}
        self._star = None
        self._star_here = True

    def star(self, view: GameView) -> str:
        """The one rep a solo bot acts through: whom the customer trusts most at the start."""
        if self._star is None:

            def held(member: str) -> float:
                return sum(view.influence(p) * view.trust(p, member) for p in view.stakeholders)

            self._star = max(view.team, key=lambda m: (held(m), m == view.player))
        return self._star

    def follow_star(self, view: GameView) -> None:
        """A solo bot acts through its star while the star is on the team, and through
        the whole team otherwise (cached values change with it)."""
        here = self.star(view) in view.team
        if here != self._star_here:
            self._star_here = here
            self._static = {}

    def choose(self, view: GameView) -> str:
        if view.pending_event is not None:
            return self.answer(view)
        if self.solo:
            self.follow_star(view)
        static = self._static
        best_value, best = 0.0, END
        room: dict[tuple[str, str], float] = {}  # one look-up per pair, however many actions
        new_step: dict[tuple[str, ...], bool] = {}  # one look-up per set of flags
        flags: dict[str, object] | None = None
        in_play = view.weighing  # who, not their terms: this runs on every move
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
                    space = (1.0 - view.trust(*pair)) * 0.5 ** view.contacted(*pair)
                    if pair[0] in in_play:
                        space *= IN_PLAY_FACTOR
                    room[pair] = space
                value *= space
            if value > best_value:
                best_value, best = value, choice.id
        return best

    def _known(self, view: GameView, choice: Choice) -> tuple[float, float, bool]:
        """A choice's static value, the most it can be worth, and whether it is personal."""
        value, personal = self.static_value(view, choice)
        if choice.behaviour in self.first:
            value *= FIRST_FACTOR
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
        if weight <= 0 or choice.kind == "end":
            return 0.0, False
        if self.solo and self._star_here and choice.actor != self.star(view):
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


class NarrowBot(WeightedBot):
    """Relationship play aimed only at the few most influential customer people.

    Its narrow set is the `size` most influential people it can talk to now (the more
    senior among equals), so it climbs: it takes introductions to anyone more
    influential than someone in its set, then drops the lesser contact. It values
    only moves aimed at its set and moves with no target person, and answers events
    about anyone else with the default.
    """

    def __init__(self, name: str, weights: Mapping[str, float], size: int = NARROW_SIZE) -> None:
        super().__init__(name, weights)
        self.size = size
        self._rank: dict[str, tuple[float, int]] = {}

    def reset(self, seed: int) -> None:
        super().reset(seed)
        self._rank = {}

    def rank(self, view: GameView, person: str) -> tuple[float, int]:
        """Sort key: the highest influence first, then fewer managers above."""
        key = self._rank.get(person)
        if key is None:
            count, seen, boss = 0, {person}, view.manager(person)
            while boss is not None and boss not in seen:
                seen.add(boss)
                count, boss = count + 1, view.manager(boss)
            key = self._rank[person] = (-view.influence(person), count)
        return key

    def narrow(self, view: GameView) -> frozenset[str]:
        """The people it works with now: the most influential of those it has met."""
        reachable = [
            p for p in view.stakeholders if view.met(p) and view.present(p) and not view.defected(p)
        ]
        reachable.sort(key=lambda p: self.rank(view, p))
        return frozenset(reachable[: self.size])

    def choose(self, view: GameView) -> str:
        # The narrow set changes as people are met: values cached per choice would be stale.
        self._static = {}
        return super().choose(view)

    def static_value(self, view: GameView, choice: Choice) -> tuple[float, bool]:
        target = choice.target
        if target is not None:
            chosen = self.narrow(view)
            if choice.kind == "introduction":
                worst = max((self.rank(view, p) for p in chosen), default=(0.0, 0))
                if len(chosen) >= self.size and self.rank(view, target) >= worst:
                    return 0.0, False  # not more senior than anyone it already courts
            elif target not in chosen:
                return 0.0, False
        return super().static_value(view, choice)

    def answer(self, view: GameView) -> str:
        target = view.choices[0].target
        if target is not None and target not in self.narrow(view):
            return default_answer(view)
        return super().answer(view)


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


def relationship_plus_discounts() -> WeightedBot:
    return WeightedBot(
        "relationship-plus-discounts",
        RELATIONSHIP_PLUS_DISCOUNT_WEIGHTS,
        first=frozenset(DISCOUNT_WEIGHTS),
    )


def lone_star() -> WeightedBot:
    return WeightedBot("lone-star", RELATIONSHIP_WEIGHTS, solo=True)


def constellation() -> WeightedBot:
    return WeightedBot("constellation", CONSTELLATION_WEIGHTS, team_bonus=1.0)


def narrow() -> NarrowBot:
    return NarrowBot("narrow", RELATIONSHIP_WEIGHTS)


#: The bots that choose by rule, without looking ahead; `game.bots.registry` adds the
#: expert, which plays these on forks of the game.
HEURISTIC_BOTS: dict[str, Callable[[], Bot]] = {
    "relationship-builder": relationship_builder,
    "discounter": discounter,
    "relationship-plus-discounts": relationship_plus_discounts,
    "lone-star": lone_star,
    "constellation": constellation,
    "narrow": narrow,
    "random": RandomBot,
    "idle": IdleBot,
}
