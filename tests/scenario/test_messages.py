"""The words of a problem message: hints for slips in YAML, conditions and numbers,
the place a problem points at, and `rapport validate`'s lines (each code itself is
raised by a case in test_codes.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario import ScenarioError, load_scenario
from tests.conftest import MINI, Runner
from tests.scenario.test_codes import WHEN, Case, event, problems


def messages(text: str, tmp_path: Path) -> list[str]:
    return [str(p) for p in problems(Case("R000", text, ""), tmp_path)]


def test_an_unclosed_brace_points_where_it_opened(tmp_path: Path) -> None:
    text = MINI.replace(
        "    - { id: tech, name: Tess, role: Technician }",
        "    - { id: tech, name: Tess, role: Technician",
    )
    (line,) = messages(text, tmp_path)
    assert ":11:7: R108 this `{` is never closed" in line


def test_an_unclosed_quote_points_where_it_opened(tmp_path: Path) -> None:
    (line,) = messages(MINI.replace("title: Mini", 'title: "Mini'), tmp_path)
    assert ':3:8: R108 this " is never closed' in line


def test_a_missing_comma_in_brackets_is_not_taken_for_a_text(tmp_path: Path) -> None:
    text = MINI.replace("name: Tess, role: Technician", "name: Tess\n        role: Technician")
    (line,) = messages(text, tmp_path)
    assert "R104" in line and "is a comma missing" in line


@pytest.mark.parametrize(
    ("written", "words"),
    [
        (
            "role: Lead: tech }",
            "R106 a `: ` inside a value: YAML reads it as the start of "
            'another field. Put the whole value in quotes: role: "Lead: tech"',
        ),
        (
            "role: {actor} tech }",
            "R107 a value that starts with `{` is read as a mapping: if "
            'it is a text, put the whole value in quotes: role: "{actor} tech"',
        ),
    ],
)
def test_slips_inside_brackets_get_the_same_hints(written: str, words: str, tmp_path: Path) -> None:
    text = MINI.replace("role: Technician }", written)
    (line,) = messages(text, tmp_path)
    assert f":11:37: {words}" in line


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("turn => 3", "`=>` is not a comparison: write `>=`"),
        ("turn =< 3", "`=<` is not a comparison: write `<=`"),
        ("turn <> 3", "`<>` is not a comparison: write `!=`"),
        ("turn > 1 && met(vp)", "write `and` and `or`"),
        ("turn > 3 and", "the condition ends early, after 'and'"),
        ("(turn > 3", "this '(' is never closed"),
        ("met(vp) or turn = 17", "`=` is not a comparison"),
        ("turn + 'x' > 1", "`'x'` is a text, and `+` works on numbers only"),
        ("-'x' > 0", "a sign (- or +) goes before a number"),
        ("'ab' * 1000000000 == 'x'", "`*` works on numbers only"),
        ("turn == 'x'", "this compares a number `turn` with a text `'x'`"),
        ("'pilot'", "is a text, not something true or false"),
        ("1e999 > turn", "is too large"),
        ("not " * 45 + "met(vp)", "nests more than 40 levels"),
    ],
)
def test_condition_hints(condition: str, words: str, tmp_path: Path) -> None:
    lines = messages(event(condition), tmp_path)
    assert any(words in line for line in lines), lines


def test_flags_compare_with_their_declared_kinds(tmp_path: Path) -> None:
    def with_flag(condition: str) -> list[str]:
        text = event(
            condition, "  - { id: set, title: S, text: t, effects: [{flag: {stage: pilot}}] }\n"
        )
        return [line for line in messages(text, tmp_path) if "warning" not in line]

    assert with_flag("flag(stage) == 'pilot'") == []
    assert with_flag("not flag(stage)") == []
    (line,) = with_flag("flag(stage) > 1")
    assert "R406" in line and "`flag(stage)` can be a text (an effect sets it to one)" in line


ONE_PROBLEM = [
    pytest.param(
        MINI.replace("time_budget: 4", "   time_budget: 4"),
        ("R104", "(is this line indented further than the one above?)"),
        id="indented-too-far",
    ),
    pytest.param(
        MINI.replace("label: Call {target}", "label: {target}"),
        ("R107 actions[0].label: expected a text, but YAML read a mapping",),
        id="bracketed-value",
    ),
    pytest.param(
        event("turn == 2", "    actor: buyer\n"),
        ("events[0].actor: 'buyer' is a customer person, not a supplier person",),
        id="id-of-the-wrong-kind",
    ),
    pytest.param(
        MINI.replace("intro_trust: 0.4", "intro_trust: 0.4, present: false"),
        ("R503", "no `join` effect brings them in"),
        id="never-arrives",
    ),
    pytest.param(
        event(
            "turn == 2",
            "    choices:\n      - { id: big, label: Big, cost: 9, effects: [{satisfaction: 0.1}] }"
            "\n      - { id: nothing, label: Nothing, default: true }\n",
        ),
        ("R504", "answer 'big' costs 9 h, more than a whole turn's 4 h"),
        id="answer-costs-more-than-a-turn",
    ),
]


@pytest.mark.parametrize(("text", "words"), ONE_PROBLEM)
def test_one_problem_in_plain_words(text: str, words: tuple[str, ...], tmp_path: Path) -> None:
    (line,) = messages(text, tmp_path)
    assert all(word in line for word in words), line


def test_a_reporting_loop_is_one_message_naming_its_members(tmp_path: Path) -> None:
    text = MINI.replace(
        "influence: 0.5, met: true", "influence: 0.5, met: true, reports_to: vp"
    ).replace("introduced_by: [boss], intro_trust: 0.4", "reports_to: buyer")
    loops = [line for line in messages(text, tmp_path) if "R304" in line]
    assert len(loops) == 1, loops
    assert "boss → vp → buyer → boss (each reports to the next)" in loops[0]


def test_left_on_a_customer_person_is_explained(tmp_path: Path) -> None:
    (line,) = messages(event("left(buyer)"), tmp_path)
    assert "'buyer' is a customer person, not a supplier person" in line
    assert "active() and left() are about your own people" in line and "fired(EVENT)" in line


def test_an_event_waiting_on_an_event_that_never_fires_is_warned_about(tmp_path: Path) -> None:
    text = event(
        "turn == 2",
        "    chance: 0\n  - { id: after, title: A, text: t, when: fired(e), "
        "effects: [{satisfaction: 0.1}] }\n",
    )
    lines = messages(text, tmp_path)
    assert any(
        "R502" in line and "'after' can never fire: it waits on 'e'" in line for line in lines
    )


def test_merge_keys_work_and_are_not_duplicates(tmp_path: Path) -> None:
    text = MINI.replace(
        "    - { id: tech, name: Tess, role: Technician }",
        "    - &tess { id: tech, name: Tess, role: Technician }\n"
        "    - { <<: *tess, id: tech2, name: Tom }",
    )
    path = tmp_path / "merge.yaml"
    path.write_text(text)
    people = load_scenario(path).scenario.supplier.people
    assert [(p.id, p.name, p.role) for p in people][-1] == ("tech2", "Tom", "Technician")


# --------------------------------------------------------------------------- the real command


def test_validate_prints_codes_one_line_each_and_escapes_scenario_text(
    rapport: Runner, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINI.replace("title: Mini", "title: Note: mini"))
    tabbed = tmp_path / "tabbed.yaml"
    tabbed.write_text(MINI.replace("  name: Supplier Co", "\tname: Supplier Co"))
    control = tmp_path / "control.yaml"
    control.write_bytes(MINI.replace("title: Mini", "title: Mi\x1bni").encode())
    result = rapport("validate", str(broken), str(tabbed), str(control))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{broken}:3:8: R106 a `: ` inside a value: YAML reads it as the start of another "
        'field. Put the whole value in quotes: title: "Note: mini"',
        f"{broken}: 1 error",
        f"{tabbed}:7:1: R105 a tab character: YAML indents with spaces only; replace the tab "
        "with spaces",
        f"{tabbed}: 1 error",
        f"{control}:3:10: R103 character U+001B (escape) is a control character, not text: "
        "remove it (a scenario may hold tabs and line breaks, but no other control "
        "characters or terminal escapes)",
        f"{control}: 1 error",
    ]
    assert "Traceback" not in result.stderr


def test_validate_escapes_a_title_with_terminal_escapes(rapport: Runner, tmp_path: Path) -> None:
    path = tmp_path / "escape.yaml"
    path.write_text(MINI.replace("title: Mini", 'title: "Mini \\e[31mred\\u202e"'))
    plain = rapport("validate", str(path))
    assert plain.returncode == 0, plain.stdout
    assert "\x1b" not in plain.stdout and "\u202e" not in plain.stdout
    assert "R511 warning: this text holds U+001B (escape)" in plain.stdout
    assert "valid, but with 1 warning (mini: Mini \\x1b[31mred\\u202e, 6 turns)" in plain.stdout
    strict = rapport("validate", "--strict", str(path))
    assert strict.returncode == 1


def test_validate_names_the_condition_slip(rapport: Runner, tmp_path: Path) -> None:
    path = tmp_path / "slip.yaml"
    path.write_text(event("turn = 17"))
    result = rapport("validate", str(path))
    assert result.returncode == 1
    line, summary = result.stdout.splitlines()
    assert summary == f"{path}: 1 error"
    assert line == (
        f"{path}:{WHEN[0]}:{WHEN[1] + 5}: R402 events[0].when: `=` is not a comparison: "
        "write `==` (turn == 17)"
    )


def test_a_duplicate_id_names_both_places(tmp_path: Path) -> None:
    from game.scenario import parse_scenario

    text = MINI.replace(
        "    - { id: tech, name: Tess, role: Technician }",
        "    - { id: tech, name: Tess, role: Technician }\n"
        "    - { id: tech, name: Tom, role: Driver }",
    )
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text, "dup.yaml")
    (problem,) = raised.value.problems
    first = text.splitlines().index("    - { id: tech, name: Tess, role: Technician }") + 1
    assert problem.code == "R303" and problem.line == first + 1
    assert f"already used by supplier.people[1] (line {first})" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("rate: 0.1", "rate: 12", "this is a share, not a percentage: write 0.12 for 12%"),
        (
            "time_budget: 4",
            "time_budget: 6h",
            "write the number alone (6); the scenario's time_unit",
        ),
        ("reliability: 0.9", "reliability: 90%", "write the share as a number, 0.9"),
    ],
)
def test_numbers_written_as_people_write_them_get_a_plain_hint(
    old: str, new: str, hint: str
) -> None:
    from game.scenario import parse_scenario

    with pytest.raises(ScenarioError) as raised:
        parse_scenario(MINI.replace(old, new, 1), "units.yaml")
    assert any(hint in p.message for p in raised.value.problems), raised.value.problems


def test_a_dedented_line_is_told_in_plain_words() -> None:
    from game.scenario import parse_scenario

    lines = MINI.splitlines()
    lines.insert(8, " bad: dedent")
    with pytest.raises(ScenarioError) as raised:
        parse_scenario("\n".join(lines), "dedent.yaml")
    (problem,) = raised.value.problems
    assert problem.line == 9 and problem.code == "R104"
    assert "indented differently" in problem.message and "<block" not in problem.message
