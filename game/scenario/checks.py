"""Checks beyond types: ids that must exist, conditions that must compile and make
sense, people who must be reachable, costs a turn can pay, texts whose
placeholders can be filled. Each finding is a located :class:`Problem` with its
code (see `game.scenario.codes`).

The checks live by topic: `check_people`, `check_conditions`, `check_effects`,
`check_moves` and `check_texts`, over a shared `check_context`. Each rule is a method
marked `@rule(codes…)`, which registers it in `RULES` with the codes it reports."""

from __future__ import annotations

from pathlib import Path

from game.scenario.check_context import RULES
from game.scenario.check_moves import MoveChecks
from game.scenario.check_people import PeopleChecks
from game.scenario.models import (
    Scenario,
)
from game.scenario.problems import Problem
from game.scenario.yaml_source import YamlSource


class Checker(PeopleChecks, MoveChecks):
    """One validation of a scenario, every topic in its order."""

    def run(self) -> list[Problem]:
        """Every rule (`RULES`), the gathering stages first."""
        for each in sorted(RULES, key=lambda r: r.stage):
            each.check(self)
        return self.problems


def check_scenario(
    scenario: Scenario, source: YamlSource, name: str, folder: Path | None = None
) -> list[Problem]:
    """Every reference, condition, reachability, cost and text problem in `scenario`.

    `folder` is where the scenario file lives, if it is a file: lessons' custom bot
    files are looked for there.
    """
    return Checker(scenario, source, name, folder).run()
