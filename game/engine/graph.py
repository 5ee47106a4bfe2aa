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
from scoring.trust_graph import AdjacencyTable, NodeTable, TrustGraph, succ_table

CUSTOMER = "customer"
SUPPLIER = "supplier"
COMPETITOR = "competitor"
GONE = "gone"
ABSENT = "absent"


def proof(provisional: float, sales: int) -> float:
    """How much of its people's loyalty the customer counts as loyalty to the company:
    `provisional` until it has bought twice, all of it after."""
    return 1.0 if sales >= 2 else provisional


def build_graph(scenario: Scenario) -> nx.DiGraph:
    """The graph at the start of a game."""
    dyn = scenario.dynamics
    graph = TrustGraph(
        supplier=scenario.supplier.name,
        customer=scenario.customer.name,
        loyalty_weight=dyn.loyalty_weight,
        firm_weight=dyn.firm_weight,
        proof=proof(dyn.provisional, scenario.account.sales_before),
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
        for rival in competitor.people:
            graph.add_node(
                rival.id,
                side=COMPETITOR,
                name=rival.name,
                role=rival.role,
                employer=competitor.id,
                active=True,
            )
    satisfaction = scenario.account.satisfaction
    for stakeholder in scenario.customer.people:
        graph.add_node(
            stakeholder.id,
            side=CUSTOMER if stakeholder.present else ABSENT,
            name=stakeholder.name,
            role=stakeholder.role,
            influence=stakeholder.influence,
            met=stakeholder.met and stakeholder.present,
            defected=None,
            satisfaction=satisfaction
            if stakeholder.satisfaction is None
            else stakeholder.satisfaction,
        )
    for stakeholder in scenario.customer.people:
        if stakeholder.reports_to:
            graph.add_edge(stakeholder.id, stakeholder.reports_to, reports_to=True)
    for seed in scenario.trust:
        graph.add_edge(seed.source, seed.to, trust=seed.value, contact=0)
    return graph


def tables(graph: nx.DiGraph) -> tuple[NodeTable, AdjacencyTable, AdjacencyTable]:
    """The node, successor and predecessor dicts of a game's graph (a
    :class:`~scoring.trust_graph.TrustGraph`), for the engine's hot loops.

    The public views (`graph.nodes`, `graph.succ`) wrap these very dicts, but
    every lookup through a view costs several times more. The engine mutates
    attributes in place and adds or removes edges only through the graph's API.
    """
    if not isinstance(graph, TrustGraph):
        raise TypeError("a game's graph is a TrustGraph (see game.engine.graph.build_graph)")
    return graph.node_table, graph.succ_table, graph.pred_table


def trust(graph: nx.DiGraph, source: str, target: str) -> float:
    """Trust from customer person `source` in `target` (0 if none)."""
    edge = succ_table(graph)[source].get(target)
    return edge.get("trust", 0.0) if edge else 0.0
