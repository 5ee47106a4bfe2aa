"""Every error in one pass: field errors no longer hide the id and story errors of the
rest of the file, each at its own line, named with the file's own indexes."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario import ScenarioError, parse_scenario

TUTORIAL = (Path(__file__).parents[2] / "scenarios" / "tutorial.yaml").read_text()


def _edited(*changes: tuple[int, str, str]) -> str:
    lines = TUTORIAL.splitlines()
    for number, old, new in changes:
        assert old in lines[number - 1], (number, lines[number - 1])
        lines[number - 1] = lines[number - 1].replace(old, new)
    return "\n".join(lines) + "\n"


def _problems(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text, "s.yaml")
    return [(p.line, p.code, p.message) for p in raised.value.problems]


def _line(text: str) -> int:
    return next(n for n, line in enumerate(TUTORIAL.splitlines(), 1) if text in line)


def test_a_field_error_and_an_id_error_show_together() -> None:
    cost = _line("    cost: 3")
    manager = next(
        n for n, line in enumerate(TUTORIAL.splitlines(), 1) if "reports_to: owner" in line
    )
    found = _problems(_edited((cost, "cost: 3", "cost: lots"), (manager, "owner", "ownr")))
    assert [(line, code) for line, code, _message in found] == [(manager, "R301"), (cost, "R203")]
    assert "unknown customer person 'ownr' (did you mean 'owner'?)" in found[0][2]


def test_an_item_after_a_broken_one_keeps_its_own_index_and_line() -> None:
    lines = TUTORIAL.splitlines()
    actions = lines.index("actions:") + 1
    starts = [n for n in range(actions, len(lines) + 1) if lines[n - 1].startswith("  - id:")]
    first_cost = next(n for n in range(starts[0], starts[1]) if "cost:" in lines[n - 1])
    later = next(n for n in range(starts[1], len(lines) + 1) if "to: firm" in lines[n - 1])
    index = sum(1 for n in starts if n < later) - 1  # the later action's index in the file
    found = _problems(
        _edited((first_cost, lines[first_cost - 1].split(":")[1].strip(), "lots")).replace(
            lines[later - 1], lines[later - 1].replace("to: firm", "to: frm")
        )
    )
    assert next((line, code) for line, code, _ in found) == (first_cost, "R203")
    (id_problem,) = [(line, message) for line, code, message in found if code == "R301"]
    assert id_problem[0] == later
    assert id_problem[1].startswith(f"actions[{index}].")  # not the index after the removal


def test_what_refers_to_a_broken_item_is_not_reported_as_unknown() -> None:
    influence = _line("influence: 0.3")
    found = _problems(_edited((influence, "influence: 0.3", "influence: much")))
    assert [(line, code) for line, code, _ in found] == [(influence, "R203")]
