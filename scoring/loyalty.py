"""Loyalty metrics over a trust graph. Pure functions; no game state beyond the graph.

Personal loyalty of a stakeholder combines their trust in each supplier person
and in the firm like independent reasons to stay (a noisy-OR):

    loyalty = 1 - prod(1 - w * trust)

with `w` the graph's `loyalty_weight` for people and `firm_weight` for the
firm. Breadth helps: two contacts trusted at 0.5 beat one. A stakeholder who
has gone to a competitor has loyalty 0.

Company loyalty is the influence-weighted mean of personal loyalty, times the
graph's `proof`: a new customer counts only part of it (`provisional`) until
it has bought twice, for loyalty starts after the second sale.

Graph conventions (see `game.engine.graph`): node `side` is `customer`,
`supplier`, `firm`, `competitor` or `gone`; customer nodes carry `influence`
and `defected`; supplier nodes carry `active`; trust edges carry `trust`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from scoring.trust_graph import TrustGraph, node_table, succ_table

FIRM = "firm"


def _tables(
    graph: nx.DiGraph,
) -> tuple[Mapping[str, dict[str, Any]], Mapping[str, Mapping[str, dict[str, Any]]]]:
    """The graph's node and successor tables, read only: plain dicts for a game's
    :class:`~scoring.trust_graph.TrustGraph` (these loops run every turn over every
    trust edge), networkx's views for any other graph."""
    if isinstance(graph, TrustGraph):
        return graph.node_table, graph.succ_table
    return node_table(graph), succ_table(graph)


def proof(graph: nx.DiGraph) -> float:
    """The share of personal loyalty that counts as loyalty to the company now."""
    value: float = graph.graph.get("proof", 1.0)
    return value


def _weights(graph: nx.DiGraph) -> tuple[float, float]:
    return graph.graph.get("loyalty_weight", 0.8), graph.graph.get("firm_weight", 0.6)


def stakeholders(graph: nx.DiGraph) -> Iterator[tuple[str, dict[str, Any]]]:
    """Customer people and their node data."""
    nodes, _succ = _tables(graph)
    for node, data in nodes.items():
        if data.get("side") == "customer":
            yield node, data


def supplier_people(graph: nx.DiGraph) -> list[str]:
    """Supplier people who are on the team now (not the firm node)."""
    nodes, _succ = _tables(graph)
    return [n for n, d in nodes.items() if d.get("side") == "supplier" and d.get("active", True)]


def personal_loyalty(graph: nx.DiGraph, person: str, *, without: str | None = None) -> float:
    """Loyalty of customer person `person` to the supplier, optionally as if `without` left."""
    nodes, succ = _tables(graph)
    if nodes[person].get("defected"):
        return 0.0
    weight, firm_weight = _weights(graph)
    keep = 1.0
    for target, edge in succ[person].items():
        value = edge.get("trust")
        if not value or target == without:
            continue
        if target == FIRM:
            keep *= 1.0 - firm_weight * value
        elif nodes[target].get("side") == "supplier":
            keep *= 1.0 - weight * value
    return 1.0 - keep


def company_loyalty(graph: nx.DiGraph, *, without: str | None = None) -> float:
    """Influence-weighted mean of personal loyalty over all stakeholders, times the
    customer's proof, 0..1."""
    total = weighted = 0.0
    for person, data in stakeholders(graph):
        influence = data.get("influence", 0.0)
        total += influence
        if influence:
            weighted += influence * personal_loyalty(graph, person, without=without)
    return proof(graph) * weighted / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The graph-based metrics at one moment, computed in one pass."""

    company_loyalty: float
    resilience: float
    concentration: float
    share: float
    without: dict[str, float]


def snapshot(graph: nx.DiGraph) -> Snapshot:
    """Company loyalty, rep-walk resilience, concentration and share, in one pass.

    Resilience divides each person's factor out of each stakeholder's product
    instead of recomputing loyalty once per person (this runs at every turn's end).
    """
    nodes, succ = _tables(graph)
    weight, firm_weight = _weights(graph)
    people = [n for n, d in nodes.items() if d.get("side") == "supplier" and d.get("active", True)]
    total = now = kept = 0.0
    without = dict.fromkeys(people, 0.0)
    held: dict[str, float] = {}
    for person, data in nodes.items():
        if data.get("side") != "customer":
            continue
        influence = data.get("influence", 0.0)
        total += influence
        if not influence or data.get("defected"):
            continue
        kept += influence
        factors, keep = _factors(nodes, succ[person], weight, firm_weight)
        for target, factor in factors.items():
            if target != FIRM:
                held[target] = held.get(target, 0.0) + influence * (1.0 - factor)
        whole = influence * (1.0 - keep)
        now += whole
        for rep in people:
            without[rep] += influence * (1.0 - _keep_without(factors, keep, rep))
    if not total:
        return Snapshot(0.0, 1.0, 0.0, 0.0, dict.fromkeys(people, 0.0))
    scale = proof(graph) / total
    loyalty = now * scale
    without = {rep: value * scale for rep, value in without.items()}
    resilience = min(without.values()) / loyalty if loyalty > 1e-9 and without else 1.0
    held_total = sum(held.values())
    herfindahl = sum((v / held_total) ** 2 for v in held.values()) if held_total > 0 else 0.0
    return Snapshot(loyalty, resilience, herfindahl, kept / total, without)


def _factors(
    nodes: Mapping[str, dict[str, Any]],
    edges: Mapping[str, dict[str, Any]],
    weight: float,
    firm_weight: float,
) -> tuple[dict[str, float], float]:
    """One stakeholder's reasons to stay: 1 − w × trust for each of your people and your
    firm they trust, and the product of them all (what keeps them from staying)."""
    factors: dict[str, float] = {}
    keep = 1.0
    for target, edge in edges.items():
        value = edge.get("trust")
        if not value:
            continue
        if target == FIRM:
            factor = factors[target] = 1.0 - firm_weight * value
        elif nodes[target].get("side") == "supplier":
            factor = factors[target] = 1.0 - weight * value
        else:
            continue
        keep *= factor
    return factors, keep


def _keep_without(factors: dict[str, float], keep: float, rep: str) -> float:
    factor = factors.get(rep)
    if factor is None:
        return keep
    if factor > 0:
        return keep / factor
    rest = 1.0  # a factor of exactly 0 cannot be divided out: multiply the others
    for other, value in factors.items():
        if other != rep:
            rest *= value
    return rest


def resilience(graph: nx.DiGraph) -> float:
    """Share of company loyalty left if the most important supplier person walked today.

    1.0 means no single departure would cost anything; 0 means all loyalty
    hangs on one person. With no loyalty at all there is nothing to lose: 1.0.
    """
    return snapshot(graph).resilience


def concentration(graph: nx.DiGraph) -> float:
    """Herfindahl index of influence-weighted trust across supplier people, 0..1.

    Each person's weight is the loyalty they contribute (`w * trust`). 1.0 when
    all the customer's trust in people sits with one person; 1/n when it is
    spread evenly over n people; 0 when there is none.
    """
    return snapshot(graph).concentration


def share_of_business(graph: nx.DiGraph) -> float:
    """Influence share of stakeholders who have not gone to a competitor."""
    total = kept = 0.0
    for _person, data in stakeholders(graph):
        influence = data.get("influence", 0.0)
        total += influence
        if not data.get("defected"):
            kept += influence
    return kept / total if total else 0.0
