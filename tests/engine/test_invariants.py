"""Stateful property tests: whatever the player does, the model's invariants hold."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from game.engine import Game
from game.scenario.catalog import load_bundled
from scoring.loyalty import company_loyalty

SCENARIOS = {name: load_bundled(name) for name in ("sand-supplier", "director-to-ceo")}


class PlayAnything(RuleBasedStateMachine):
    """Plays random open choices and checks the invariants after each one."""

    @initialize(name=st.sampled_from(sorted(SCENARIOS)), seed=st.integers(-(2**31), 2**31))
    def start(self, name: str, seed: int) -> None:
        loaded = SCENARIOS[name]
        self.game = Game(loaded.scenario, seed, scenario_hash=loaded.content_hash)
        self.people = set(self.game.graph.nodes)

    @rule(pick=st.integers(min_value=0))
    def choose(self, pick: int) -> None:
        choices = self.game.choices()
        if choices:
            self.game.step(choices[pick % len(choices)].id)

    @rule()
    def end_turn(self) -> None:
        ids = {c.id for c in self.game.choices()}
        if "end" in ids:
            self.game.step("end")

    @invariant()
    def trust_stays_between_zero_and_one(self) -> None:
        for _u, _v, value in self.game.graph.edges(data="trust"):
            assert value is None or 0.0 <= value <= 1.0

    @invariant()
    def the_graph_has_exactly_the_scenario_people(self) -> None:
        assert set(self.game.graph.nodes) == self.people

    @invariant()
    def state_values_stay_in_range(self) -> None:
        state = self.game._world.state
        assert 0.0 <= self.game.satisfaction() <= 1.0
        for person in self.game._world.rules.stakeholder_ids:
            assert 0.0 <= self.game._world.nodes[person]["satisfaction"] <= 1.0
        assert 0.0 <= state.reliability <= 1.0
        assert 0.0 <= state.time_left <= self.game.scenario.time_budget
        assert 1 <= state.turn <= self.game.turns
        metrics = self.game.metrics()
        for key in ("company_loyalty", "resilience", "concentration", "share"):
            assert 0.0 <= metrics[key] <= 1.0 + 1e-9, key

    @invariant()
    def cached_loyalty_matches_the_formula(self) -> None:
        assert abs(self.game.company_loyalty() - company_loyalty(self.game.graph)) < 1e-9

    @invariant()
    def choices_are_unique_and_affordable(self) -> None:
        choices = self.game.choices()
        assert len({c.id for c in choices}) == len(choices)
        if not self.game.pending_event:
            assert all(c.cost <= self.game.time_left + 1e-9 for c in choices)


PlayAnything.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestPlayAnything = PlayAnything.TestCase
