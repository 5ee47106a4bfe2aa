"""Satisfaction: each customer person's own experience of product and service.

Satisfaction (0..1) lives on each customer node, apart from trust. Gains
saturate like trust (`delta × (1 − s)`), losses are flat. The account's
satisfaction is the influence-weighted mean over the people still buying.
Each turn every person's satisfaction drifts back toward the scenario's
baseline and moves a little with their everyday experience (`dynamics.experience`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from game.engine.graph import CUSTOMER
from game.engine.rng import Dice


def change_satisfaction(data: dict[str, Any], delta: float) -> float:
    """Apply a satisfaction change to one customer node's data; return the actual change."""
    before = data["satisfaction"]
    after = before + delta * (1.0 - before) if delta >= 0 else max(0.0, before + delta)
    data["satisfaction"] = min(1.0, after)
    return data["satisfaction"] - before


def buying(nodes: dict[str, dict[str, Any]], people: Iterable[str]) -> list[str]:
    """The customer people among `people` who are there and still buying from you."""
    return [p for p in people if nodes[p]["side"] == CUSTOMER and not nodes[p]["defected"]]


def account_satisfaction(nodes: dict[str, dict[str, Any]], people: Iterable[str]) -> float:
    """Influence-weighted mean satisfaction of the people still buying (of everyone
    there, once nobody buys any more)."""
    present = [p for p in people if nodes[p]["side"] == CUSTOMER]
    current = [p for p in present if not nodes[p]["defected"]] or present
    total = sum(nodes[p]["influence"] for p in current)
    if total <= 0:
        return sum(nodes[p]["satisfaction"] for p in current) / len(current) if current else 0.0
    return sum(nodes[p]["influence"] * nodes[p]["satisfaction"] for p in current) / total


def drift_and_experience(
    nodes: dict[str, dict[str, Any]],
    people: Iterable[str],
    *,
    baseline: float,
    drift: float,
    experience: float,
    rng: Dice,
    turn: int,
) -> None:
    """Each person's satisfaction returns toward `baseline` and moves with their week.

    The everyday experience is a draw in ±`experience` per person and turn: a slow
    answer from the help desk, a good run on the line. It is why satisfaction
    differs between people who were treated the same.
    """
    for person in buying(nodes, people):
        data = nodes[person]
        value = data["satisfaction"]
        value += drift * (baseline - value)
        if experience:
            value += experience * (2.0 * rng.roll("experience", turn, person) - 1.0)
        data["satisfaction"] = min(1.0, max(0.0, value))
