"""Scoring formulas on hand-built graphs, with the numbers worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from scoring.facts import RunFacts
from scoring.loyalty import (
    company_loyalty,
    concentration,
    personal_loyalty,
    resilience,
    share_of_business,
    snapshot,
)
from scoring.score import score_run
from scoring.value import lifetime_value, retention_rate


def graph(**trust: float) -> nx.DiGraph:
    """Two stakeholders (a: influence 3, b: influence 1), reps r1 and r2, and the firm.

    Keyword `a_r1=0.5` means trust from a in r1 is 0.5.
    """
    g = nx.DiGraph(loyalty_weight=1.0, firm_weight=0.5)
    g.add_node("firm", side="firm")
    for rep in ("r1", "r2"):
        g.add_node(rep, side="supplier", active=True)
    g.add_node("a", side="customer", influence=3.0, defected=None)
    g.add_node("b", side="customer", influence=1.0, defected=None)
    for key, value in trust.items():
        source, target = key.split("_")
        g.add_edge(source, target, trust=value)
    return g


def test_personal_loyalty_is_a_noisy_or_so_breadth_helps() -> None:
    one = graph(a_r1=0.5)
    two = graph(a_r1=0.5, a_r2=0.5)
    assert personal_loyalty(one, "a") == pytest.approx(0.5)
    assert personal_loyalty(two, "a") == pytest.approx(0.75)


def test_trust_in_the_firm_counts_beside_people() -> None:
    g = graph(a_r1=0.5, a_firm=0.4)
    assert personal_loyalty(g, "a") == pytest.approx(1 - 0.5 * (1 - 0.5 * 0.4))


def test_company_loyalty_is_influence_weighted() -> None:
    g = graph(a_r1=0.8, b_r1=0.4)
    assert company_loyalty(g) == pytest.approx((3 * 0.8 + 1 * 0.4) / 4)


def test_a_defected_stakeholder_counts_zero_and_leaves_the_share() -> None:
    g = graph(a_r1=0.8, b_r1=0.4)
    g.nodes["b"]["defected"] = "rival"
    assert personal_loyalty(g, "b") == 0
    assert company_loyalty(g) == pytest.approx(3 * 0.8 / 4)
    assert share_of_business(g) == pytest.approx(0.75)


def test_resilience_is_loyalty_left_after_the_worst_single_departure() -> None:
    lone = graph(a_r1=0.8, b_r1=0.8)
    assert resilience(lone) == pytest.approx(0.0)
    team = graph(a_r1=0.6, a_r2=0.6, b_r1=0.6, b_r2=0.6)
    now = 1 - 0.4 * 0.4
    assert resilience(team) == pytest.approx(0.6 / now)
    with_firm = graph(a_r1=0.8, a_firm=1.0, b_r1=0.8, b_firm=1.0)
    assert resilience(with_firm) == pytest.approx(0.5 / (1 - 0.2 * 0.5))
    assert resilience(graph()) == 1.0


def test_walk_losses_match_recomputing_without_each_person() -> None:
    g = graph(a_r1=0.7, a_r2=0.2, a_firm=0.3, b_r2=0.9)
    snap = snapshot(g)
    for rep in ("r1", "r2"):
        assert snap.without[rep] == pytest.approx(company_loyalty(g, without=rep))
    assert snap.company_loyalty == pytest.approx(company_loyalty(g))


def test_concentration_is_a_herfindahl_index() -> None:
    assert concentration(graph(a_r1=0.5, b_r1=0.9)) == pytest.approx(1.0)
    assert concentration(graph(a_r1=0.5, a_r2=0.5)) == pytest.approx(0.5)
    assert concentration(graph()) == 0.0


def test_lifetime_value_matches_the_textbook_example() -> None:
    assert lifetime_value(1.0, 0.8, 0.1) == pytest.approx(0.8 / 0.3)
    assert lifetime_value(1.0, 0.8, 0.1) == pytest.approx(2.67, abs=0.01)
    assert lifetime_value(100.0, 0.0, 0.1) == 0.0
    assert retention_rate(1.0, 1.0) == pytest.approx(0.95)
    assert retention_rate(0.0, 1.0) == pytest.approx(0.5)
    assert retention_rate(1.0, 0.5) == pytest.approx(0.475)


def facts(margin_earned: float = 100.0, **final: float) -> RunFacts:
    base = {
        "turn": 10,
        "company_loyalty": 0.5,
        "resilience": 0.5,
        "concentration": 0.5,
        "satisfaction": 0.7,
        "revenue": 500.0,
        "share": 1.0,
    }
    base.update(final)
    return RunFacts(
        turns_played=10,
        years_played=0.4,
        final=base,
        timeline=[base],
        potential_revenue=1000.0,
        margin_earned=margin_earned,
        margin=0.2,
        interest=0.1,
        sales=3,
        sales_before=0,
        tracks_sales=True,
        attribution={"contact": 0.2, "leak": -0.1, "discount": 0.01},
        defections=[],
        promises_kept=1,
        promises_broken=0,
        weights={
            "company_loyalty": 350,
            "resilience": 150,
            "share": 150,
            "margin": 100,
            "satisfaction": 100,
            "milestones": 150,
        },
    )


def test_score_is_0_to_1000_and_its_parts_add_up() -> None:
    best = score_run(
        facts(margin_earned=200.0, company_loyalty=1.0, resilience=1.0, satisfaction=1.0)
    )
    assert best.total == 1000
    worst = score_run(
        facts(margin_earned=0.0, company_loyalty=0.0, resilience=0.0, satisfaction=0.0, share=0.0)
    )
    assert worst.total == 150  # only the two milestones remain
    middle = score_run(facts())
    assert 0 < middle.total < 1000
    assert middle.total == round(sum(p.points for p in middle.parts))


def test_the_breakdown_names_what_built_and_what_leaked() -> None:
    score = score_run(facts())
    assert [d.cause for d in score.built] == ["contact", "discount"]
    assert [d.cause for d in score.leaked] == ["leak"]
    assert score.built[0].label == "Regular contact" and score.built[0].points == pytest.approx(20)


def test_parts_a_scenario_does_not_use_are_left_out_and_the_rest_rescaled() -> None:
    f = facts(company_loyalty=1.0, resilience=1.0, satisfaction=1.0)
    unused = RunFacts(**{**f.__dict__, "potential_revenue": 0.0, "tracks_sales": False})
    score = score_run(unused)
    assert {p.key for p in score.parts} == {
        "company_loyalty",
        "resilience",
        "share",
        "satisfaction",
    }
    assert score.total == 1000


def test_discounts_cost_margin_in_the_score() -> None:
    """The margin part is margin earned over the margin at list price: a discount that
    gives away a quarter of the margin costs a quarter of the part."""
    full = score_run(facts(margin_earned=200.0))
    discounted = score_run(facts(margin_earned=150.0))
    part = {p.key: p for p in full.parts}["margin"]
    cut = {p.key: p for p in discounted.parts}["margin"]
    assert part.value == pytest.approx(1.0) and cut.value == pytest.approx(0.75)
    assert discounted.total < full.total
    assert score_run(facts(margin_earned=-50.0)).total >= 0


def test_a_trust_graph_keeps_the_tables_networkx_stores_it_in() -> None:
    import copy
    import pickle

    from scoring.trust_graph import TrustGraph, node_table, succ_table

    graph = TrustGraph(loyalty_weight=0.5)
    graph.add_node("you", side="supplier")
    graph.add_edge("buyer", "you", trust=0.4)
    assert graph.nodes["buyer"] is graph.node_table["buyer"]
    assert graph.succ["buyer"]["you"] is graph.succ_table["buyer"]["you"]
    assert graph.pred_table["you"]["buyer"] is graph.succ_table["buyer"]["you"]
    for twin in (copy.deepcopy(graph), pickle.loads(pickle.dumps(graph))):
        twin.add_edge("boss", "you", trust=0.2)
        assert twin.succ_table["boss"]["you"] == {"trust": 0.2}
        assert twin.pred_table["you"]["boss"] is twin.succ_table["boss"]["you"]
        assert "boss" not in graph.node_table
    plain = nx.DiGraph()
    plain.add_edge("buyer", "you", trust=0.4)
    assert succ_table(plain)["buyer"]["you"] == {"trust": 0.4}
    assert dict(node_table(plain)) == {"buyer": {}, "you": {}}
