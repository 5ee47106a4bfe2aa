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
from game.engine import Game, Injected
from game.scenario import LoadedScenario

PAR_BOT = "relationship-builder"


def par_score(
    loaded: LoadedScenario,
    seed: int,
    *,
    injected: tuple[Injected, ...] = (),
    until_turn: int | None = None,
    team: tuple[str, ...] = (),
) -> int:
    """The reference bot's score on `loaded` with `seed` (played quietly).

    With the trainer's `injected` events, the bot meets them at the same turns as the
    player did. With `until_turn`, the score the bot had when that turn began: par for
    a game the trainer's end of the round stopped there. With a `team`, the bot plays
    the team game (every seat's time is its to use).
    """
    game = Game(
        loaded.scenario,
        seed,
        scenario_hash=loaded.content_hash,
        narrate=False,
        injected=injected,
        team=team,
    )
    return play(game, make_bot(PAR_BOT), until_turn=until_turn).score().total


def par_by_turn(
    loaded: LoadedScenario,
    seed: int,
    injected: tuple[Injected, ...] = (),
    team: tuple[str, ...] = (),
) -> tuple[int, ...]:
    """The reference bot's score as each turn begins (index 0: turn 1), then at the end."""
    game = Game(
        loaded.scenario,
        seed,
        scenario_hash=loaded.content_hash,
        narrate=False,
        injected=injected,
        team=team,
    )
    bot = make_bot(PAR_BOT)
    scores = []
    for turn in range(1, loaded.scenario.turns + 2):
        play(game, bot, until_turn=turn)
        scores.append(game.score().total)
    return tuple(scores)


class ParCache:
    """Par per (scenario version, seed, trainer's events, turn), computed once per process."""

    def __init__(self, size: int = 4096) -> None:
        self._loaded: dict[str, LoadedScenario] = {}
        self._cached = lru_cache(maxsize=size)(self._compute)

    def _compute(
        self,
        content_hash: str,
        seed: int,
        injected: tuple[Injected, ...],
        until: int | None,
        team: tuple[str, ...],
    ) -> int:
        loaded = self._loaded[content_hash]
        return par_score(loaded, seed, injected=injected, until_turn=until, team=team)

    def __call__(
        self,
        loaded: LoadedScenario,
        seed: int,
        *,
        injected: tuple[Injected, ...] = (),
        until_turn: int | None = None,
        team: tuple[str, ...] = (),
    ) -> int:
        self._loaded[loaded.content_hash] = loaded
        return self._cached(loaded.content_hash, seed, injected, until_turn, team)


class TurnPars:
    """Par as each turn begins, per (scenario version, seed, trainer's events); thread-safe
    enough to share between a console's reads (a lost race computes a value twice)."""

    def __init__(self, size: int = 256) -> None:
        self._cache: dict[
            tuple[str, int, tuple[Injected, ...], tuple[str, ...]], tuple[int, ...]
        ] = {}
        self._size = size

    def __call__(
        self,
        loaded: LoadedScenario,
        seed: int,
        injected: tuple[Injected, ...] = (),
        team: tuple[str, ...] = (),
    ) -> tuple[int, ...]:
        key = (loaded.content_hash, seed, injected, team)
        found = self._cache.get(key)
        if found is None:
            found = par_by_turn(loaded, seed, injected, team)
            if len(self._cache) >= self._size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = found
        return found
