"""The rules behind the research's lessons: per-person satisfaction, price that costs,
competitors who match, churn by the year, and people who come and go at the customer."""

from __future__ import annotations

import pytest

from game.engine import END, Game
from game.engine.approaches import approach, stated_reason, terms
from game.engine.dynamics import per_turn
from game.play.plain_text import in_play_lines
from game.scenario import parse_scenario
from tests.conftest import scenario_text

CALM = "dynamics: { experience: 0, leak: 0, firm_leak: 0 }"

SERVICE = """\
  - id: help
    label: Help {target}
    behaviour: service
    cost: 1
    effects:
      - satisfaction: 0.2
  - id: one_off
    label: Book a one-off order
    behaviour: selling
    cost: 1
    targets: none
    effects:
      - order: { value: 1000 }
"""

COMINGS_AND_GOINGS = """\
  - id: retire
    label: Bo retires
    behaviour: other
    cost: 0
    targets: none
    effects:
      - leave: { who: boss }
      - join: successor
"""

SUCCESSOR = (
    "    - { id: vp,",
    "    - { id: successor, name: Sol, role: Director, influence: 0.5, present: false,"
    " reports_to: vp }\n    - { id: vp,",
)


def game_of(
    extra: str = "",
    *,
    replace: tuple[tuple[str, str], ...] = (),
    dynamics: str = CALM,
    seed: int = 1,
) -> Game:
    text = scenario_text(replace=(("time_budget: 4", "time_budget: 4\n" + dynamics), *replace))
    if extra:
        text = text.replace("\nactions:\n", "\nactions:\n" + extra, 1)
    return Game(parse_scenario(text, "t.yaml").scenario, seed)


def test_satisfaction_belongs_to_each_person_and_the_account_is_their_weighted_mean() -> None:
    game = game_of(SERVICE)
    nodes = game._world.nodes
    before = {p: nodes[p]["satisfaction"] for p in ("boss", "buyer", "vp")}
    game.step("help:you:buyer")
    assert nodes["buyer"]["satisfaction"] == pytest.approx(
        before["buyer"] + 0.2 * (1 - before["buyer"])
    )
    assert nodes["boss"]["satisfaction"] == before["boss"]
    weighted = sum(nodes[p]["influence"] * nodes[p]["satisfaction"] for p in before)
    assert game.satisfaction() == pytest.approx(weighted / 1.0)


def test_everyday_experience_sets_people_apart() -> None:
    game = game_of(dynamics="dynamics: { experience: 0.12 }")
    for _ in range(4):
        game.step(END)
    values = {round(game._world.nodes[p]["satisfaction"], 6) for p in ("boss", "buyer", "vp")}
    assert len(values) == 3


def test_a_discount_applies_to_every_order_and_comes_off_the_margin() -> None:
    full = game_of(SERVICE)
    full.step("one_off:you")
    cut = game_of(SERVICE)
    cut.step("discount:you")
    cut.step("one_off:you")
    margin = full.scenario.account.margin
    assert full._world.state.revenue == pytest.approx(1000)
    assert cut._world.state.revenue == pytest.approx(900)
    assert full._world.state.margin_earned == pytest.approx(1000 * margin)
    assert cut._world.state.margin_earned == pytest.approx(1000 * (margin - 0.1))
    assert cut._world.state.potential_revenue == full._world.state.potential_revenue == 1000


def test_a_competitor_can_match_a_discount_so_the_price_edge_fades() -> None:
    game = game_of(replace=(("price: 0.9, offer_chance: 0.0", "price: 0.9, price_match: 1"),))
    game.step("discount:you")
    assert game._world.state.rival_discount == {}
    game.step(END)
    assert game._world.state.rival_discount == {"rival": pytest.approx(0.1)}
    never = game_of(replace=(("price: 0.9, offer_chance: 0.0", "price: 0.9, price_match: 0"),))
    never.step("discount:you")
    never.step(END)
    assert never._world.state.rival_discount == {}
    for _ in range(2):
        game.step(END)
    assert game._world.state.discount == 0 and game._world.state.rival_discount == {}


def test_a_yearly_churn_rate_becomes_a_rate_per_turn() -> None:
    assert per_turn(0.347, 14) == pytest.approx(1 - (1 - 0.347) ** (14 / 365))
    assert per_turn(0.347, 365) == pytest.approx(0.347)
    assert per_turn(1.0, 14) == 1.0
    game = game_of(dynamics="dynamics: { churn_per_year: 1.0 }")
    game.step(END)
    assert not game._world.nodes["tech"]["active"]
    assert game._world.nodes["you"]["active"]  # the player's own rep never resigns


def test_a_customer_person_who_leaves_takes_their_trust_and_a_successor_arrives_unmet() -> None:
    game = game_of(COMINGS_AND_GOINGS, replace=(SUCCESSOR,))
    assert game._world.nodes["successor"]["side"] == "absent"
    assert "call:you:successor" not in {c.id for c in game.choices()}
    loyalty = game.company_loyalty()
    game.step("retire:you")
    assert game._world.nodes["boss"]["side"] == "gone"
    assert game.trust("boss", "you") == 0.0
    assert game._world.nodes["successor"]["side"] == "customer"
    assert not game._world.nodes["successor"]["met"]
    assert game.company_loyalty() < loyalty  # the newcomer trusts no one yet
    assert "call:you:boss" not in {c.id for c in game.choices()}
    assert game.graph.graph["total_influence"] == pytest.approx(1.0)
    assert game.share() == 1.0
    assert game._world.state.attribution["turnover"] < 0


def test_people_not_there_cannot_defect_and_people_not_met_go_by_their_colleagues() -> None:
    game = game_of(COMINGS_AND_GOINGS, replace=(SUCCESSOR,))
    world = game._world
    assert approach(world, "rival", world.dice, who="successor", extra_discount=0.9) == []
    assert not world.nodes["successor"]["defected"]  # not there yet
    assert approach(world, "rival", world.dice, who="vp", extra_discount=0.0) != []
    unmet = terms(world, world.state.approaches["vp"])
    assert not unmet.met and unmet.colleagues_weight == 1.0
    said = " ".join(in_play_lines(game.view()))
    assert "never met you" in said and "colleagues' loyalty alone" in said
    assert unmet.loyalty == pytest.approx(unmet.colleagues)
    world.nodes["vp"]["met"] = True  # an introduction lets their own trust count
    met = terms(world, world.state.approaches["vp"])
    assert met.met and met.colleagues_weight == world.dyn.defection.colleagues
    assert game.view().in_play[0].met


def test_a_defector_you_never_met_speaks_through_the_colleague_who_trusts_you_most() -> None:
    game = game_of(dynamics="dynamics: { experience: 0, defection: { candour: 0.4 } }")
    assert not game._world.nodes["vp"]["met"]
    assert game.trust("boss", "you") >= 0.4
    assert stated_reason(game._world, "vp", "relationship", 0.1) == "relationship"
    distant = game_of(dynamics="dynamics: { experience: 0, defection: { candour: 0.99 } }")
    assert stated_reason(distant._world, "vp", "relationship", 0.1) == "price"


def test_a_defector_admits_the_relationship_only_to_someone_they_still_trust() -> None:
    game = game_of(dynamics="dynamics: { experience: 0, defection: { candour: 0.4 } }")
    assert game.trust("boss", "you") >= game.scenario.dynamics.defection.candour
    assert stated_reason(game._world, "boss", "relationship", 0.1) == "relationship"
    assert game.trust("buyer", "you") < game.scenario.dynamics.defection.candour
    assert stated_reason(game._world, "buyer", "relationship", 0.1) == "price"
    assert stated_reason(game._world, "buyer", "relationship", 0.0) == "needs changed"
    assert stated_reason(game._world, "buyer", "price", 0.1) == "price"
