"""Dice keyed by what they decide (common random numbers).

Every draw is a pure function of the game's stream key and a description of
what it decides: `dice.roll("offer", turn, competitor)`, never the next number
of a sequence. So two players on one seed face the same customer: the same
offers in the same fortnights, the same events, the same deliveries, the same
resignations, whatever each did before (as duplicate bridge deals the same
cards to every table). Only what a choice really changes differs: an offer
made to someone one player met and the other never did.

A fork's dice come from its own stream key (the game's, salted), so a fork
never shows what the real game will roll; two forks with the same salt share
their dice, which is what look-ahead needs to compare two moves fairly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from hashlib import blake2b

_SCALE = 1.0 / float(1 << 64)


def derived_seed(*what: object) -> int:
    """A 63-bit seed drawn from `what`: a fork's own seed, or a bot's, that says nothing
    about the game's seed it came from."""
    key = "\x1f".join(map(str, what)).encode()
    return int.from_bytes(blake2b(key, digest_size=8).digest(), "big") >> 1


class Dice:
    """Uniform draws in [0, 1), each keyed by what it decides."""

    __slots__ = ("_prefix",)

    def __init__(self, stream_key: str) -> None:
        self._prefix = stream_key.encode() + b"\x1f"

    def roll(self, *what: object) -> float:
        """The draw for `what` (e.g. `"churn", 7, "vince"`): the same key, the same draw."""
        key = self._prefix + "\x1f".join(map(str, what)).encode()
        return int.from_bytes(blake2b(key, digest_size=8).digest(), "big") * _SCALE

    def pick(self, population: Sequence[str], weights: Sequence[float], *what: object) -> str:
        """One of `population`, in proportion to `weights`, keyed by `what`.

        Each candidate draws its own time in an exponential race and the earliest
        wins, so adding or removing a candidate changes the pick only when that
        candidate would have won: the others keep their odds against each other.
        """
        best, best_time = population[0], math.inf
        for person, weight in zip(population, weights, strict=True):
            if weight <= 0:
                continue
            time = -math.log(1.0 - self.roll(*what, person)) / weight
            if time < best_time:
                best, best_time = person, time
        return best
