"""Company loyalty kept up to date incrementally, for per-step log deltas.

Every trust change marks its customer person dirty; asking for company loyalty
recomputes only those people. It applies `scoring.loyalty`'s formula with the
weight of each supplier node looked up once (they change only when someone
leaves or joins), so the cached value equals `scoring.loyalty.company_loyalty(graph)`
up to rounding — the invariant tests check it.

The running total is kept in exact fixed-point integers, so the value depends
only on the graph, never on how often or when it was asked for: a game that
skips its narration (and the loyalty deltas that go with it) stays identical to
one that keeps it.
"""

from __future__ import annotations

import networkx as nx

from game.engine.graph import tables

FIRM = "firm"
_SCALE = float(2**64)


class LoyaltyCache:
    __slots__ = ("denominator", "dirty", "graph", "influence", "total", "values", "weights")

    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph
        self.influence: dict[str, float] = {}
        self.denominator = 0.0
        self.values: dict[str, int] = {}
        self.total = 0
        self.weights: dict[str, float] = {}
        self.team_changed()

    def team_changed(self) -> None:
        """Someone left or joined (on either side): recompute who counts, and everyone's
        loyalty."""
        graph = self.graph
        self.influence = {
            node: data.get("influence", 0.0)
            for node, data in tables(graph)[0].items()
            if data.get("side") == "customer"
        }
        self.denominator = sum(self.influence.values()) * _SCALE
        self.values = dict.fromkeys(self.influence, 0)
        self.total = 0
        weight = graph.graph.get("loyalty_weight", 0.8)
        self.weights = {
            node: weight
            for node, data in tables(graph)[0].items()
            if data.get("side") == "supplier"
        }
        self.weights[FIRM] = graph.graph.get("firm_weight", 0.6)
        self.dirty: set[str] = set(self.influence)

    def mark(self, person: str) -> None:
        """Person `person`'s trust or status changed."""
        self.dirty.add(person)

    def company(self) -> float:
        """Influence-weighted loyalty over all stakeholders, 0..1."""
        if self.dirty:
            nodes, succ, _pred = tables(self.graph)
            weights = self.weights
            influence = self.influence
            values = self.values
            total = self.total
            for person in self.dirty:
                share = influence.get(person)
                if not share:
                    continue
                keep = 1.0
                if not nodes[person].get("defected"):
                    for target, edge in succ[person].items():
                        weight = weights.get(target)
                        if weight:
                            value = edge.get("trust")
                            if value:
                                keep *= 1.0 - weight * value
                # Fixed point: integer sums are exact, whatever order people change in.
                contribution = int(share * (1.0 - keep) * _SCALE)
                total += contribution - values[person]
                values[person] = contribution
            self.total = total
            self.dirty.clear()
        if not self.denominator:
            return 0.0
        return self.graph.graph.get("proof", 1.0) * self.total / self.denominator
