"""Company loyalty kept up to date incrementally, for per-step log deltas.

Every trust change marks its customer person dirty; asking for company loyalty
recomputes only those people. The formula is `scoring.loyalty`'s, so the cached
value always equals `scoring.loyalty.company_loyalty(graph)`.
"""

from __future__ import annotations

import networkx as nx

from scoring.loyalty import personal_loyalty


class LoyaltyCache:
    __slots__ = ("dirty", "graph", "influence", "total", "values", "weighted")

    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph
        self.influence = {
            node: data.get("influence", 0.0)
            for node, data in graph._node.items()
            if data.get("side") == "customer"
        }
        self.total = sum(self.influence.values())
        self.values = dict.fromkeys(self.influence, 0.0)
        self.weighted = 0.0
        self.dirty: set[str] = set(self.influence)

    def mark(self, person: str) -> None:
        """Person `person`'s trust or status changed."""
        self.dirty.add(person)

    def mark_all(self) -> None:
        self.dirty.update(self.influence)

    def company(self) -> float:
        """Influence-weighted loyalty over all stakeholders, 0..1."""
        if self.dirty:
            graph = self.graph
            for person in self.dirty:
                weight = self.influence[person]
                if weight:
                    value = personal_loyalty(graph, person)
                    self.weighted += weight * (value - self.values[person])
                    self.values[person] = value
            self.dirty.clear()
        return self.weighted / self.total if self.total else 0.0
