"""Company loyalty kept up to date incrementally, for per-step log deltas.

Every trust change marks its customer person dirty; asking for company loyalty
recomputes only those people. It applies `scoring.loyalty`'s formula with the
weight of each supplier node looked up once (they change only when someone
leaves or joins), so the cached value always equals
`scoring.loyalty.company_loyalty(graph)` — the invariant tests check it.
"""

from __future__ import annotations

import networkx as nx

FIRM = "firm"


class LoyaltyCache:
    __slots__ = ("dirty", "graph", "influence", "total", "values", "weighted", "weights")

    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph
        nodes = graph._node
        self.influence = {
            node: data.get("influence", 0.0)
            for node, data in nodes.items()
            if data.get("side") == "customer"
        }
        self.total = sum(self.influence.values())
        self.values = dict.fromkeys(self.influence, 0.0)
        self.weighted = 0.0
        self.weights: dict[str, float] = {}
        self.team_changed()

    def team_changed(self) -> None:
        """Someone left or joined: recompute which nodes count, and everyone's loyalty."""
        graph = self.graph
        weight = graph.graph.get("loyalty_weight", 0.8)
        self.weights = {
            node: weight for node, data in graph._node.items() if data.get("side") == "supplier"
        }
        self.weights[FIRM] = graph.graph.get("firm_weight", 0.6)
        self.dirty: set[str] = set(self.influence)

    def mark(self, person: str) -> None:
        """Person `person`'s trust or status changed."""
        self.dirty.add(person)

    def company(self) -> float:
        """Influence-weighted loyalty over all stakeholders, 0..1."""
        if self.dirty:
            # Many changes: sum afresh, so rounding errors never pile up.
            fresh = len(self.dirty) * 4 > len(self.values)
            nodes = self.graph._node
            succ = self.graph._succ
            weights = self.weights
            influence = self.influence
            values = self.values
            for person in self.dirty:
                share = influence[person]
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
                loyalty = 1.0 - keep
                if not fresh:
                    self.weighted += share * (loyalty - values[person])
                values[person] = loyalty
            self.dirty.clear()
            if fresh:
                self.weighted = sum(influence[p] * v for p, v in values.items())
        return self.weighted / self.total if self.total else 0.0
