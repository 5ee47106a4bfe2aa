"""Choosing by forks, as the expert does and as the analysis looks at it: play each
option out on the same forks of the game (the same dice for all) and keep the best,
but only when it is ahead by more than `z` standard errors of the paired differences.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

Outcome = Callable[[str, str], float]
#: Many (option, salt) outcomes at once, in order.
Batch = Callable[[list[tuple[str, str]]], list[float]]
"""An option's score on the fork named by a salt."""


def paired_gain(first: list[float], second: list[float], z: float) -> float | None:
    """How much `first` beats `second` by on average (outcomes on the same forks), if
    by more than `z` standard errors of their paired differences; else None."""
    diffs = [a - b for a, b in zip(first, second, strict=True)]
    gain = statistics.fmean(diffs)
    error = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else 0.0
    return gain if gain > z * error + 1e-9 else None


def choose_by_forks(
    options: Sequence[str],
    baseline: str,
    outcome: Outcome,
    salts: Sequence[str],
    *,
    screen: int,
    z: float,
) -> str:
    """`baseline`, unless another option beats it on these forks by more than `z`
    standard errors; then the one that beats it by the most. Every option plays the
    first `screen` forks, only those ahead of the baseline all of them."""
    head, tail = salts[:screen], salts[screen:]
    scores = {option: [outcome(option, salt) for salt in head] for option in options}
    ahead = statistics.fmean(scores[baseline])
    kept = [o for o in options if o != baseline and statistics.fmean(scores[o]) > ahead]
    if not kept:
        return baseline
    best, best_gain = baseline, 0.0
    for option in (baseline, *kept):
        scores[option] += [outcome(option, salt) for salt in tail]
    for option in kept:
        gain = paired_gain(scores[option], scores[baseline], z)
        if gain is not None and gain > best_gain:
            best, best_gain = option, gain
    return best


def best_by_forks(
    names: Sequence[str],
    outcome: Outcome,
    salts: Sequence[str],
    *,
    step: int,
    z: float,
    each_round: Callable[[], object] | None = None,
    batch: Batch | None = None,
) -> str:
    """The option that scores best, in a race: every option still in it plays `step`
    more forks a round, and one is dropped once the leader beats it by `z` standard
    errors; when the salts run out, the best mean wins. `batch`, if given, plays a
    round's (option, salt) pairs all at once (in other processes, say) in place of
    `outcome`: the outcomes, and so the winner, are the same."""
    scores: dict[str, list[float]] = {name: [] for name in names}
    alive = list(scores)
    for start in range(0, len(salts), step):
        pairs = [(name, salt) for name in alive for salt in salts[start : start + step]]
        played = batch(pairs) if batch is not None else [outcome(*pair) for pair in pairs]
        for (name, _salt), score in zip(pairs, played, strict=True):
            scores[name].append(score)
        if each_round is not None:
            each_round()
        leader = max(alive, key=lambda name: statistics.fmean(scores[name]))
        alive = [
            name
            for name in alive
            if name == leader or paired_gain(scores[leader], scores[name], z) is None
        ]
        if len(alive) == 1:
            break
    return max(alive, key=lambda name: statistics.fmean(scores[name]))
