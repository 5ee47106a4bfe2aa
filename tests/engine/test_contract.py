"""A contract's end: the buying centre renews, re-tenders or leaves, on the same terms
as a defection, and a scenario without a contract plays and hashes as before."""

from __future__ import annotations

from collections import Counter

import pytest

from game.engine import END, Game, RunLog, replay
from game.scenario import ScenarioError, parse_scenario
from tests.conftest import scenario_text

CONTRACT = (("  orders_every: 1\n", "  orders_every: 1\n  contract: { ends: 4, notice: 1 }\n"),)


def _outcome(text: str, seed: int) -> tuple[str | bool | int | float | None, Game]:
    scenario = parse_scenario(text).scenario
    game = Game(scenario, seed)
    while game.turn <= 3 and not game.finished:
        game.step(END)
    return game.flags.get("contract"), game


def test_a_loyal_customer_renews_and_a_cold_one_leaves() -> None:
    loyal = scenario_text(
        replace=(
            *CONTRACT,
            ("{ from: boss, to: you, value: 0.5 }", "{ from: boss, to: you, value: 1.0 }"),
            ("{ from: buyer, to: you, value: 0.3 }", "{ from: buyer, to: you, value: 1.0 }"),
        )
    )
    cold = scenario_text(
        replace=(
            *CONTRACT,
            ("price: 0.9", "price: 0.5"),
            ("{ from: boss, to: you, value: 0.5 }", "{ from: boss, to: you, value: 0.0 }"),
            ("{ from: buyer, to: you, value: 0.3 }", "{ from: buyer, to: you, value: 0.0 }"),
        )
    )
    for seed in range(10):
        renewed, game = _outcome(loyal, seed)
        assert renewed == "renewed"
        assert any("renews it with you" in e.text for e in game.log_entries)
        left, game = _outcome(cold, seed)
        assert left == "left"
        # every buyer goes, the vice-president you never met included
        assert {d.who for d in game.defections} == {"boss", "buyer", "vp"}
        assert {d.competitor for d in game.defections} == {"rival"}


def test_in_between_the_contract_is_sometimes_put_out_to_tender() -> None:
    middling = scenario_text(replace=CONTRACT)
    outcomes = Counter(_outcome(middling, seed)[0] for seed in range(60))
    assert outcomes["tender"] > 0, outcomes
    tender_seed = next(s for s in range(60) if _outcome(middling, s)[0] == "tender")
    _flag, game = _outcome(middling, tender_seed)
    offers = [e.text for e in game.log_entries if "puts it out to tender" in e.text]
    assert offers and "bids to everyone who buys" in offers[0]
    log = RunLog.from_json(game.run_log().to_json())
    assert replay(game.scenario, log).flags == game.flags  # the same dice decide again


@pytest.mark.parametrize(
    ("contract", "message"),
    [
        ("{ ends: 9 }", "is after the last turn (6)"),
        ("{ ends: 3, notice: 3 }", "before the game starts"),
        ("{ ends: 4, competitor: nobody }", "unknown competitor 'nobody'"),
    ],
)
def test_a_contract_that_cannot_be_is_refused_with_why(contract: str, message: str) -> None:
    text = scenario_text(
        replace=(("  orders_every: 1\n", f"  orders_every: 1\n  contract: {contract}\n"),)
    )
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text)
    assert message in str(raised.value)


def test_a_scenario_without_a_contract_hashes_as_before() -> None:
    from game.scenario.catalog import load_bundled

    # Recorded before contracts existed: saved games and boards keep their version.
    assert load_bundled("tutorial").content_hash == (
        "sha256:99b623fa2de882b50cdf5add71bd439977babb464c1f14871a28545cb3630f9a"
    )
