"""Scenario files: typed models, safe loading with located errors, bundled scenarios."""

from game.scenario.loader import LoadedScenario, content_hash, load_scenario, parse_scenario
from game.scenario.models import Behaviour, Scenario
from game.scenario.problems import Problem, ScenarioError

__all__ = [
    "Behaviour",
    "LoadedScenario",
    "Problem",
    "Scenario",
    "ScenarioError",
    "content_hash",
    "load_scenario",
    "parse_scenario",
]
