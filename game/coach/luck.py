"""How much of a score is luck: the seed against the strategy, over sensible policies.

Every policy plays the same seeds. A two-way split of the scores' variance
(policy × seed, one game a cell) tells how much comes from the policy, how
much from the seed and how much from the two together; *concordance* tells,
for each pair of policies whose means differ by at least `gap` points, on what
share of seeds the better policy scored higher. A game teaches when the
policy, not the seed, decides: high concordance on every pair.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from game.bots import make_bot, play
from game.engine import Game
from game.scenario.catalog import load_bundled

#: Built-in policies a sensible player might follow: relationship work in its
#: several shapes, with and without discounts. (Not the discounter, chance or idling.)
SENSIBLE_BOTS = (
    "relationship-builder",
    "constellation",
    "narrow",
    "lone-star",
    "relationship-plus-discounts",
)


@dataclass(frozen=True, slots=True)
class PairConcordance:
    better: str
    worse: str
    gap: float
    """Mean score of `better` less that of `worse`."""
    wins: float
    """Share of seeds on which `better` scored higher (a tie counts half)."""


@dataclass(frozen=True, slots=True)
class LuckReport:
    scenario: str
    policies: tuple[str, ...]
    seeds: tuple[int, ...]
    scores: dict[str, tuple[int, ...]]
    seed_share: float
    policy_share: float
    interaction_share: float
    pairs: tuple[PairConcordance, ...]

    @property
    def mean_concordance(self) -> float | None:
        return statistics.fmean(p.wins for p in self.pairs) if self.pairs else None

    @property
    def worst_pair(self) -> PairConcordance | None:
        return min(self.pairs, key=lambda p: p.wins) if self.pairs else None

    def as_dict(self) -> dict[str, object]:
        return {
            "scenario": self.scenario,
            "seeds": len(self.seeds),
            "means": {p: round(statistics.fmean(s), 1) for p, s in self.scores.items()},
            "variance": {
                "seed": round(self.seed_share, 3),
                "policy": round(self.policy_share, 3),
                "interaction": round(self.interaction_share, 3),
            },
            "pairs": [
                {"better": p.better, "worse": p.worse, "gap": round(p.gap, 1), "wins": p.wins}
                for p in self.pairs
            ],
        }


def score_of(scenario_id: str, bot_name: str, seed: int) -> int:
    """One game of a bundled scenario by one built-in bot."""
    loaded = load_bundled(scenario_id)
    game = play(Game(loaded.scenario, seed), make_bot(bot_name))
    return game.score().total


def _score_task(task: tuple[str, str, int]) -> int:
    return score_of(*task)


def split_variance(scores: Mapping[str, Sequence[float]]) -> tuple[float, float, float]:
    """Shares of the total sum of squares due to the seed, the policy and both together
    (a two-way layout with one observation per cell: the interaction is the residual)."""
    policies = list(scores)
    n_seeds = len(next(iter(scores.values())))
    grand = statistics.fmean(v for p in policies for v in scores[p])
    policy_means = {p: statistics.fmean(scores[p]) for p in policies}
    seed_means = [statistics.fmean(scores[p][i] for p in policies) for i in range(n_seeds)]
    total = sum((v - grand) ** 2 for p in policies for v in scores[p])
    if total == 0:
        return 0.0, 0.0, 0.0
    seed_ss = len(policies) * sum((m - grand) ** 2 for m in seed_means)
    policy_ss = n_seeds * sum((m - grand) ** 2 for m in policy_means.values())
    return seed_ss / total, policy_ss / total, max(0.0, 1.0 - (seed_ss + policy_ss) / total)


def concordance(scores: Mapping[str, Sequence[float]], gap: float) -> tuple[PairConcordance, ...]:
    """For each pair whose means differ by at least `gap`: how often the better one wins."""
    means = {p: statistics.fmean(s) for p, s in scores.items()}
    pairs = []
    names = sorted(scores, key=lambda p: -means[p])
    for i, better in enumerate(names):
        for worse in names[i + 1 :]:
            difference = means[better] - means[worse]
            if difference < gap:
                continue
            duels = [
                1.0 if b > w else 0.5 if b == w else 0.0
                for b, w in zip(scores[better], scores[worse], strict=True)
            ]
            pairs.append(PairConcordance(better, worse, difference, statistics.fmean(duels)))
    return tuple(pairs)


def measure_luck(
    scenario_id: str,
    *,
    policies: Sequence[str] = SENSIBLE_BOTS,
    seeds: Sequence[int] = tuple(range(1, 41)),
    gap: float = 30.0,
    jobs: int = 1,
) -> LuckReport:
    """Play every policy on every seed of a bundled scenario and measure the luck."""
    tasks = [(scenario_id, p, s) for p in policies for s in seeds]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            totals = list(pool.map(_score_task, tasks, chunksize=8))
    else:
        totals = [_score_task(t) for t in tasks]
    scores = {
        p: tuple(totals[i * len(seeds) : (i + 1) * len(seeds)]) for i, p in enumerate(policies)
    }
    seed_share, policy_share, interaction_share = split_variance(scores)
    return LuckReport(
        scenario_id,
        tuple(policies),
        tuple(seeds),
        scores,
        seed_share,
        policy_share,
        interaction_share,
        concordance(scores, gap),
    )
