"""Loading scenarios: valid files load; every broken file gives located problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.scenario import ScenarioError, load_scenario, parse_scenario
from game.scenario.catalog import bundled_ids, load_bundled
from tests.conftest import MINI, scenario_text

LOCATED = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def problems_of(text: str | bytes, name: str = "s.yaml") -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, name)
    lines = [str(p) for p in caught.value.problems]
    for line in lines:
        assert LOCATED.match(line), f"not PATH:LINE:COL: message: {line!r}"
    return lines


def test_bundled_scenarios_load_without_warnings() -> None:
    assert {"sand-supplier", "director-to-ceo"} <= set(bundled_ids())
    for scenario_id in bundled_ids():
        loaded = load_bundled(scenario_id)
        assert loaded.scenario.id == scenario_id
        # the tutorial is short on purpose: a first game that teaches the interface
        low, high = (4, 6) if scenario_id == "tutorial" else (15, 30)
        assert low <= loaded.scenario.turns <= high
        assert loaded.warnings == []


def test_content_hash_ignores_comments_and_layout(mini) -> None:
    commented = "# a comment\n" + MINI.replace("title: Mini", "title:   Mini   # same title")
    assert parse_scenario(commented, "x.yaml").content_hash == mini.content_hash
    changed = parse_scenario(MINI.replace("turns: 6", "turns: 7"), "x.yaml")
    assert changed.content_hash != mini.content_hash


def test_yaml_syntax_error_is_located() -> None:
    (problem,) = problems_of("rapport: 1\nid: [unclosed\ntitle: x\n")
    # where the bracket opened, not where the parser gave up
    assert problem.startswith("s.yaml:2:5: R108 this `[` is never closed")


@pytest.mark.parametrize(
    ("old", "new", "words", "at"),
    [
        pytest.param(
            "turns: 6",
            "turns: six",
            "R203 turns: Input should be a valid integer, unable to parse string as an integer "
            "(got 'six')",
            "s.yaml:4:8:",
            id="wrong-type",
        ),
        pytest.param(
            "time_budget: 4",
            "time_budgett: 4",
            "unknown field 'time_budgett' (did you mean 'time_budget'?)",
            "s.yaml:5:1:",
            id="unknown-field",
        ),
        pytest.param(
            "reports_to: boss",
            "reports_to: bos",
            "unknown customer person 'bos' (did you mean 'boss'?)",
            "s.yaml:16:",
            id="unknown-person",
        ),
        pytest.param(
            "turns: 6\n",
            "turns: 6\nturns: 7\n",
            "duplicate key 'turns' (first given at line 4)",
            "s.yaml:5:",
            id="duplicate-key",
        ),
    ],
)
def test_a_slip_is_named_where_it_is_with_a_hint(old: str, new: str, words: str, at: str) -> None:
    problems = problems_of(scenario_text(replace=((old, new),)))
    assert any(words in p and p.startswith(at) for p in problems), problems


def test_missing_field_points_at_parent() -> None:
    text = scenario_text(
        replace=(
            (
                "    - { id: tech, name: Tess, role: Technician }\n",
                "    - { id: tech, role: Technician }\n",
            ),
        )
    )
    (problem,) = problems_of(text)
    assert "supplier.people[1]: missing required field 'name'" in problem
    assert problem.startswith("s.yaml:11:7:")


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = scenario_text(
        replace=(("turns: 6", "turns: -1"), ("cost: 1\n    by: team", "cost: x\n    by: team"))
    )
    problems = problems_of(text)
    assert len(problems) == 2


def test_bad_condition_is_located_inside_the_expression() -> None:
    text = scenario_text("""\
    events:
      - id: e
        title: E
        text: t
        when: "turn > 2 and trust(boss, yuo) > 0.5"
    """)
    (problem,) = problems_of(text)
    assert "unknown supplier person 'yuo' (did you mean 'you'?)" in problem
    line, col = LOCATED.match(problem).group("line", "col")
    source_line = text.splitlines()[int(line) - 1]
    assert source_line[int(col) - 1 :].startswith("yuo")


@pytest.mark.parametrize(
    "condition",
    [
        "__import__('os').system('true')",
        "().__class__.__bases__",
        "open('/etc/passwd')",
        "lambda: 1",
        "[x for x in range(10)]",
        "turn.real",
        "exec('1')",
    ],
)
def test_conditions_reject_anything_but_the_small_language(condition: str) -> None:
    text = scenario_text(f"""\
    events:
      - id: e
        title: E
        text: t
        when: "{condition}"
    """)
    (problem,) = problems_of(text)
    assert "events[0].when" in problem


def test_file_over_one_megabyte_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"rapport: 1\n" + b"# padding\n" * 500_000)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}:1:1:") and "at most 1,048,576 bytes" in str(problem)


def test_alias_bomb_is_refused() -> None:
    bomb = "rapport: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        aliases = ", ".join([f"*{previous}"] * 10)
        bomb += f"{level}: &{level} [{aliases}]\n"
    (problem,) = problems_of(bomb)
    assert "expands to more than" in problem


def test_version_field_is_required_and_checked() -> None:
    (missing,) = problems_of(MINI.replace("rapport: 1\n", ""))
    assert "rapport: 1" in missing
    (wrong,) = problems_of(MINI.replace("rapport: 1", "rapport: 2"))
    assert "version 2 is not supported" in wrong


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "the file is empty"),
        (b"- just\n- a list\n", "a scenario is a mapping"),
        (b"rapport: 1\ntitle: caf\xe9\n", "not UTF-8"),
        (b"rapport: 1\nx: !!python/object:os.system {}\n", "YAML"),
        (b"rapport: 1\n" + b"a: " + b"[" * 200 + b"]" * 200 + b"\n", "nest"),
    ],
)
def test_hostile_or_odd_input_gives_one_clear_problem(raw: bytes, expected: str) -> None:
    problems = problems_of(raw)
    assert any(expected in p for p in problems), problems


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nope.yaml")
    with pytest.raises(ScenarioError, match="not a file"):
        load_scenario(tmp_path)


def test_reserved_and_duplicate_ids() -> None:
    text = scenario_text(
        replace=(
            ("{ id: tech, name: Tess", "{ id: firm, name: Tess"),
            ("{ id: vp, name: Vic", "{ id: buyer, name: Vic"),
        )
    )
    problems = problems_of(text)
    assert any("'firm' is a reserved word" in p for p in problems)
    assert any("id 'buyer' is already used by customer.people[1]" in p for p in problems)


def test_effect_needs_exactly_one_key() -> None:
    text = scenario_text(
        replace=(
            (
                "      - trust: { delta: 0.1 }\n",
                "      - trust: { delta: 0.1 }\n        satisfaction: 0.1\n",
            ),
        )
    )
    (problem,) = problems_of(text)
    assert "an effect has exactly one key" in problem


def test_yaml_boolean_words_as_keys_stay_words() -> None:
    """YAML 1.1 reads `on:`/`yes:` as booleans; as keys they are kept as written."""
    text = scenario_text(replace=(("    targets: none\n", "    targets: none\n    on: none\n"),))
    (problem,) = problems_of(text)
    assert "unknown field 'on'" in problem


def test_unreachable_person_fails_unless_intended() -> None:
    text = scenario_text(replace=(("introduced_by: [boss]", "introduced_by: []"),))
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text, "x.yaml")
    (problem,) = raised.value.problems
    assert problem.code == "R503" and problem.severity == "error"
    assert "add R503 to `intended:`" in problem.message
    loaded = parse_scenario(text + "intended: [R503]\n", "x.yaml")
    assert [w.message for w in loaded.warnings] == [
        "customer.people[2]: no chain of introductions reaches 'vp'"
    ]
    # What the author means changes nothing in play: the same game, the same hash.
    plain, meant = (
        parse_scenario(MINI, "a.yaml"),
        parse_scenario(MINI + "intended: [R502]\n", "b.yaml"),
    )
    assert plain.content_hash == meant.content_hash


@pytest.mark.parametrize(
    "condition",
    [
        "turn > 6",  # MINI has 6 turns
        "turn == 0",
        "satisfaction > 1",
        "trust(boss, you) >= 1.5",
        "turn >= 3 and turn < 2",
        "met(vp) and turn > 100",
        "-turn > 0",
        "flag(no_such_flag)",
    ],
)
def test_conditions_that_can_never_be_true_fail_unless_intended(condition: str) -> None:
    text = scenario_text(f"""\
    events:
      - id: dead
        title: Dead
        text: t
        when: "{condition}"
        effects: [{{satisfaction: 0.1}}]
    """)
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text, "x.yaml")
    assert any("can never be true" in p.message for p in raised.value.problems)
    meant = parse_scenario(text + "intended: [R501, R507]\n", "x.yaml")
    messages = [w.message for w in meant.warnings]
    assert any("can never be true" in m for m in messages), messages


@pytest.mark.parametrize(
    "condition",
    [
        "turn == 6",
        "turn >= 2 and satisfaction < 0.5",
        "trust(boss, you) > 0.9 or turn == 1",
        "not met(vp)",
        "sales * 2 > 3",
        "turn != 3",
    ],
)
def test_conditions_that_can_be_true_are_not_flagged(condition: str) -> None:
    text = scenario_text(f"""\
    events:
      - id: alive
        title: Alive
        text: t
        when: "{condition}"
        effects: [{{satisfaction: 0.1}}]
    """)
    assert parse_scenario(text, "x.yaml").warnings == []


def test_moves_and_answers_that_change_nothing_are_warned_about() -> None:
    text = scenario_text("""\
    events:
      - id: e
        title: E
        text: t
        when: turn == 2
        choices:
          - { id: noop, label: Nothing at all, behaviour: other, effects: [{log: hello}] }
          - { id: wait, label: Wait, behaviour: other, default: true }
    """).replace(
        "      - discount: { rate: 0.1, turns: 2 }\n      - satisfaction: 0.1\n",
        "      - log: a discount, in words only\n      - flag: { unused: true }\n",
    )
    messages = sorted(w.message for w in parse_scenario(text, "x.yaml").warnings)
    assert messages == [
        "actions[1]: 'discount' has no effect on the game (only log lines or flags nothing reads)",
        "events[0].choices[0]: choice 'noop' changes nothing; mark it `default: true` if it is "
        "the do-nothing answer",
    ]


def test_validate_strict_turns_warnings_into_failures(tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / "w.yaml"
    path.write_text(
        scenario_text(replace=(("introduced_by: [boss]", "introduced_by: []"),))
        + "intended: [R503]\n"
    )
    plain = subprocess.run(
        [sys.executable, "-m", "game", "validate", str(path)], capture_output=True, text=True
    )
    assert plain.returncode == 0 and "warning: customer.people[2]" in plain.stdout
    strict = subprocess.run(
        [sys.executable, "-m", "game", "validate", "--strict", str(path)],
        capture_output=True,
        text=True,
    )
    assert strict.returncode == 1


def test_misspelled_bot_and_behaviour_names_get_a_suggestion() -> None:
    text = scenario_text("""\
    lessons:
      - { id: l, text: t, metric: company_loyalty, bot: relationship-buildr, above: idle }
    """).replace("behaviour: contact", "behaviour: contakt")
    problems = problems_of(text)
    assert any("did you mean 'relationship-builder'" in p for p in problems)
    assert any("did you mean 'contact'" in p for p in problems)
