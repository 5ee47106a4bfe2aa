"""Par: what a reference bot scores on the same scenario and seed.

Seeds matter: across seeds one strategy's score spreads by 80 to 130 points,
as much as the gap between good and mediocre play. Score minus par takes the
seed's luck out, so a board that mixes seeds ranks skill.

The reference is `relationship-builder`: deterministic (par depends only on
the scenario's content and the seed, so every host computes the same), about
10 ms a game, and a competent but beatable player, so par sits mid-board. A
search bot that plays near the best would make a harder par, but takes
seconds a game, too slow to recompute for every submission.
"""

from __future__ import annotations

from functools import lru_cache

from game.bots import make_bot, play
from game.engine import Game
from game.scenario import LoadedScenario

PAR_BOT = "relationship-builder"


def par_score(loaded: LoadedScenario, seed: int) -> int:
    """The reference bot's score on `loaded` with `seed` (played quietly)."""
    game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash, narrate=False)
    return play(game, make_bot(PAR_BOT)).score().total


class ParCache:
    """Par per (scenario version, seed), computed once per process."""

    def __init__(self, size: int = 4096) -> None:
        self._loaded: dict[str, LoadedScenario] = {}
        self._cached = lru_cache(maxsize=size)(self._compute)

    def _compute(self, content_hash: str, seed: int) -> int:
        return par_score(self._loaded[content_hash], seed)

    def __call__(self, loaded: LoadedScenario, seed: int) -> int:
        self._loaded[loaded.content_hash] = loaded
        return self._cached(loaded.content_hash, seed)
