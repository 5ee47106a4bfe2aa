"""Build the trust graph of a scenario, and read it.

Nodes are people plus one node for the supplier firm. Node attribute `side`
says whose they are: `supplier`, `customer`, `competitor`, `firm`, `gone` for
someone who left (a supplier person who joined no competitor, or a customer
person who retired or moved on), or `absent` for a customer person who has not
arrived yet. Customer nodes carry their own `satisfaction`. Edges carry:

- `trust` (0..1) from a customer person to a supplier person, the firm or a
  competitor's rep, with `contact`, the last turn they were in touch;
- `reports_to` from a customer person to their manager;
- `introduced` (the turn) from an introducer to the person they introduced.
"""

from __future__ import annotations

import networkx as nx

from game.scenario.models import FIRM, Scenario

CUSTOMER = "customer"
SUPPLIER = "supplier"
COMPETITOR = "competitor"
GONE = "gone"
ABSENT = "absent"


def build_graph(scenario: Scenario) -> nx.DiGraph:
    """The graph at the start of a game."""
    dyn = scenario.dynamics
    graph = nx.DiGraph(
        supplier=scenario.supplier.name,
        customer=scenario.customer.name,
        loyalty_weight=dyn.loyalty_weight,
        firm_weight=dyn.firm_weight,
        total_influence=sum(p.influence for p in scenario.customer.people if p.present),
    )
    graph.add_node(FIRM, side="firm", name=scenario.supplier.name, role="the company", active=True)
    for person in scenario.supplier.people:
        graph.add_node(
            person.id,
            side=SUPPLIER,
            name=person.name,
            role=person.role,
            player=person.player,
            active=person.active,
        )
    for competitor in scenario.competitors:
        for person in competitor.people:
            graph.add_node(
                person.id,
                side=COMPETITOR,
                name=person.name,
                role=person.role,
                employer=competitor.id,
                active=True,
            )
    satisfaction = scenario.account.satisfaction
    for person in scenario.customer.people:
        graph.add_node(
            person.id,
            side=CUSTOMER if person.present else ABSENT,
            name=person.name,
            role=person.role,
            influence=person.influence,
            met=person.met and person.present,
            defected=None,
            satisfaction=satisfaction if person.satisfaction is None else person.satisfaction,
        )
    for person in scenario.customer.people:
        if person.reports_to:
            graph.add_edge(person.id, person.reports_to, reports_to=True)
    for seed in scenario.trust:
        graph.add_edge(seed.source, seed.to, trust=seed.value, contact=0)
    return graph


def tables(graph: nx.DiGraph) -> tuple[dict[str, dict], dict[str, dict], dict[str, dict]]:
    """networkx's own node, successor and predecessor dicts, for the engine's hot loops.

    The public views (`graph.nodes`, `graph.succ`) wrap these very dicts, but
    every lookup through a view costs several times more. The engine mutates
    attributes in place and adds or removes edges only through the graph's API.
    """
    return graph._node, graph._succ, graph._pred


def trust(graph: nx.DiGraph, source: str, target: str) -> float:
    """Trust from customer person `source` in `target` (0 if none)."""
    edge = graph._succ[source].get(target)
    return edge.get("trust", 0.0) if edge else 0.0
