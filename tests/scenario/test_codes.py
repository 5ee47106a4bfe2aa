"""Every error code: a real file that raises it, its message, and its entry in the docs.

Each case writes a YAML file, validates it through the Python API (a few through the
real `rapport validate`), and checks the code, the located line and the words a
trainer reads. Every code in `game.scenario.codes` has a case here and an entry in
docs/authoring.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from game.scenario import ScenarioError, load_scenario
from game.scenario.codes import CODES, NEVER_HAPPENS
from game.scenario.problems import Problem
from tests.conftest import MINI, Runner, scenario_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
LINE = re.compile(r"^[^:]+:\d+:\d+: R\d{3} (warning: )?\S")


@dataclass(frozen=True)
class Case:
    code: str
    content: str | bytes
    words: str
    """Text the message must contain."""
    at: tuple[int, int] | None = None
    """The line and column the problem must point at, if the case says."""


def event(when: str, extra: str = "", effects: str = "[{satisfaction: 0.1}]") -> str:
    """MINI with one event guarded by `when`; `extra` adds lines (fields of the event,
    indented by four spaces, or more events)."""
    return (
        MINI
        + "events:\n  - id: e\n    title: E\n    text: t\n"
        + f'    when: "{when}"\n    effects: {effects}\n'
        + extra
    )


#: The line of the event's `when` in `event(...)`, and the column its text starts at.
WHEN = (MINI.count("\n") + 5, 12)


MANY_ACTIONS = MINI + "".join(
    f"  - {{ id: a{i}, label: A, behaviour: contact, cost: 1, effects: [{{satisfaction: 0.1}}] }}\n"
    for i in range(150)
)
ALIAS_BOMB = "rapport: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)

CASES = [
    Case("R101", b"", "no such file"),  # special-cased below: the file is not written
    Case("R102", b"rapport: 1\ntitle: caf\xe9\n", "not UTF-8 text (byte 0xe9)", (2, 11)),
    Case("R103", "rapport: 1\ntitle: a\x1bb\n", "U+001B (escape) is a control character", (2, 9)),
    Case("R104", "rapport: 1\na: *nope\n", "YAML syntax: found undefined alias 'nope'", (2, 4)),
    Case(
        "R105",
        MINI.replace("  name: Supplier Co", "\tname: Supplier Co"),
        "a tab character: YAML indents with spaces only",
        (7, 1),
    ),
    Case(
        "R106",
        MINI.replace("title: Mini", "title: Note: mini"),
        'Put the whole value in quotes: title: "Note: mini"',
        (3, 8),
    ),
    Case(
        "R107",
        MINI.replace("label: Give a discount", "label: {target} gets a discount"),
        'put the whole value in quotes: label: "{target} gets a discount"',
        (35, 12),
    ),
    Case(
        "R108",
        MINI.replace("title: Mini", "title: [Mini"),
        "this `[` is never closed: YAML reached line 4",
        (3, 8),
    ),
    Case("R109", MINI.replace("title: Mini", "title: !!binary aGk="), "'!!binary' is not allowed"),
    Case(
        "R110",
        MINI.replace("turns: 6", "turns: 6\ncalendar: {start: !!timestamp not a date}"),
        "YAML cannot read 'not a date' as a date",
        (5, 19),
    ),
    Case("R111", MINI.replace("turns: 6", "turns: 1" + "0" * 30), "is too large", (4, 8)),
    Case("R112", ALIAS_BOMB, "expands to more than 200,000 values"),
    Case("R113", "rapport: 1\na: " + "[" * 100 + "]" * 100 + "\n", "nest deeper than 64"),
    Case(
        "R114", MINI.replace("turns: 6\n", "turns: 6\nturns: 7\n"), "duplicate key 'turns'", (5, 1)
    ),
    Case("R115", MINI + "[a, b]: 1\n", "a key must be a plain word"),
    Case("R116", "- just\n- a list\n", "a scenario is a mapping of fields, not list"),
    Case("R117", MINI.replace("rapport: 1", "rapport: 2"), "format version 2 is not supported"),
    Case(
        "R201",
        MINI.replace(
            "{ id: tech, name: Tess, role: Technician }", "{ id: tech, role: Technician }"
        ),
        "supplier.people[1]: missing required field 'name'",
        (11, 7),
    ),
    Case("R202", MINI.replace("time_budget:", "time_budgett:"), "(did you mean 'time_budget'?)"),
    Case("R203", MINI.replace("turns: 6", "turns: six"), "turns: Input should be a valid integer"),
    Case("R204", MINI.replace("id: mini", "id: Mini Game"), "'Mini Game' is not a valid id"),
    Case(
        "R205",
        MINI.replace("behaviour: contact", "behaviour: contakt"),
        "unknown value 'contakt' (did you mean 'contact'?)",
    ),
    Case(
        "R206",
        scenario_text("""\
        lessons:
          - { id: l, text: t, metric: score, bot: relationship-buildr, above: idle }
        """),
        "unknown bot 'relationship-buildr'; did you mean 'relationship-builder'?",
    ),
    Case(
        "R207",
        MINI.replace(
            "      - trust: { delta: 0.1 }\n",
            "      - trust: { delta: 0.1 }\n        satisfaction: 0.1\n",
        ),
        "an effect has exactly one key",
    ),
    Case("R208", MINI.replace("role: Technician", "role: Technician, player: true"), "exactly one"),
    Case("R209", MANY_ACTIONS, "actions: List should have at most 150 items"),
    Case("R301", MINI.replace("reports_to: boss", "reports_to: bos"), "(did you mean 'boss'?)"),
    Case("R302", MINI.replace("{ id: tech,", "{ id: firm,"), "'firm' is a reserved word"),
    Case(
        "R303",
        MINI.replace("  - id: discount\n", "  - id: call\n"),
        "actions[1].id: 'call' is used twice",
    ),
    Case(
        "R304",
        MINI.replace("influence: 0.5, met: true", "influence: 0.5, met: true, reports_to: buyer"),
        "reporting lines go round in a circle: boss → buyer → boss",
    ),
    Case("R305", MINI.replace("met: true", "met: false"), "nobody is `met: true`"),
    Case(
        "R306",
        MINI.replace("      - satisfaction: 0.1\n", "      - trust: { who: target, delta: 0.1 }\n"),
        "'target' names nobody here",
    ),
    Case(
        "R307",
        event("turn == 2", effects="[{leave: {who: buyer, to: rival}}]"),
        "'buyer' is a customer person: one who leaves retires or moves on",
    ),
    Case(
        "R308",
        MINI.replace("label: Call {target}", "label: Call {targt}"),
        "unknown placeholder '{targt}' (did you mean 'target'?)",
        (28, 17),
    ),
    Case(
        "R309",
        scenario_text("""\
        lessons:
          - { id: l, text: t, metric: loyality, bot: idle, above: discounter }
        """),
        "unknown metric 'loyality'",
    ),
    Case(
        "R310",
        MINI.replace("turns: 6", "turns: 6\ncalendar: {start: 9999-12-01}"),
        "run past the last date Rapport can show",
    ),
    Case(
        "R311",
        MINI.replace("cost: 1\n    by: team", "cost: 0\n    per_turn: 200\n    by: team"),
        "one turn could hold up to 605 moves",
    ),
    Case(
        "R312",
        MINI.replace("  orders_every: 1\n", "  orders_every: 1\n  contract: { ends: 9 }\n"),
        "turn 9 is after the last turn (6)",
    ),
    Case("R401", event("turn > 3 4"), "not a valid expression"),
    Case("R402", event("turn = 3"), "`=` is not a comparison: write `==`", (WHEN[0], WHEN[1] + 5)),
    Case("R403", event("turn >"), "the condition ends early, after '>'", (WHEN[0], WHEN[1] + 6)),
    Case("R404", event("trun > 1"), "unknown name 'trun' (did you mean 'turn'?)"),
    Case("R405", event("turn in [1, 2]"), "is not allowed in a condition"),
    Case("R406", event("turn < 'x'"), "`'x'` is a text; <, <=, > and >= compare numbers only"),
    Case("R407", event("turn < " + "9" * 400), "is too large"),
    Case("R501", event("turn > 6"), "can never be true"),
    Case("R502", event("turn == 2", "    chance: 0\n"), "has chance 0, so it never fires"),
    Case(
        "R503",
        MINI.replace("introduced_by: [boss]", "introduced_by: []"),
        "no chain of introductions reaches 'vp'",
    ),
    Case(
        "R504",
        MINI.replace("cost: 1\n    by: team", "cost: 5\n    by: team"),
        "'call' costs 5 h, but a turn has only 4 h (time_budget), so it can never be used",
    ),
    Case(
        "R505",
        MINI.replace("label: Give a discount", "label: Give {target} a discount"),
        "'{target}' cannot be filled here (this action has no target person: `targets: none`)",
        (35, 17),
    ),
    Case(
        "R506",
        MINI.replace("label: Call {target}", "label: Call {target"),
        "this `{` is never closed",
        (28, 17),
    ),
    Case("R507", event("flag(no_such_flag)"), "flag 'no_such_flag' is never set by any effect"),
    Case(
        "R508",
        MINI.replace("      - discount: { rate: 0.1, turns: 2 }\n      - satisfaction: 0.1\n", "")
        + "      - log: words only\n",
        "'discount' has no effect on the game",
    ),
    Case(
        "R509",
        event("turn == 2", effects="[{join: tech}]"),
        "'tech' is already there at the start; give them `active: false`",
    ),
    Case(
        "R510",
        scenario_text("""\
        lessons:
          - { id: l, text: t, metric: score, bot: mine.py, above: idle }
        """),
        "no bot file 'mine.py'",
    ),
    Case(
        "R511",
        MINI.replace("title: Mini", 'title: "Mini \\e[31mred"'),
        "this text holds U+001B (escape), a control character",
        (3, 8),
    ),
]


def problems(case: Case, folder: Path) -> list[Problem]:
    """Everything `rapport validate` would say about the case's file."""
    path = folder / "case.yaml"
    if case.code != "R101":
        content = case.content
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    try:
        return load_scenario(path).warnings
    except ScenarioError as error:
        return error.problems


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_each_code_has_a_file_that_raises_it(case: Case, tmp_path: Path) -> None:
    found = problems(case, tmp_path)
    lines = [str(p) for p in found]
    for line in lines:
        assert LINE.match(line) and "\n" not in line, line
    mine = [p for p in found if p.code == case.code]
    assert mine, lines
    assert any(case.words in p.message for p in mine), lines
    severity = "error" if case.code in NEVER_HAPPENS else CODES[case.code].severity
    assert all(p.severity == severity for p in mine)
    if case.at is not None:
        assert any((p.line, p.col) == case.at for p in mine), lines


def test_every_code_has_a_case_and_an_entry_in_the_docs() -> None:
    assert sorted(c.code for c in CASES) == sorted(CODES)
    text = DOC.read_text()
    section = text.split("## Error codes", 1)
    assert len(section) == 2, "docs/authoring.md has no '## Error codes' section"
    for code in CODES:
        assert re.search(rf"^\| `{code}` \|", section[1], re.M), f"{code} is not documented"


def test_a_turn_holds_fewer_moves_than_bots_are_allowed() -> None:
    from game.bots.base import MAX_STEPS_PER_TURN
    from game.scenario.models import MAX_MOVES_PER_TURN

    assert MAX_MOVES_PER_TURN < MAX_STEPS_PER_TURN


def test_warnings_are_exactly_the_r5_codes() -> None:
    for code, entry in CODES.items():
        assert (entry.severity == "warning") == code.startswith("R5"), code


# --------------------------------------------------------------------------- hints


def test_the_docs_error_codes_tables_are_generated_from_the_code_table(rapport: Runner) -> None:
    """One table of codes (game/scenario/codes.py): `rapport schema --codes` prints the
    docs' tables from it, and docs/authoring.md holds exactly that."""
    from game.scenario.codes import codes_markdown

    printed = rapport("schema", "--codes")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == codes_markdown()
    doc = DOC.read_text()
    start = doc.index("**Reading the file** (R1xx)")
    end = doc.index("<!-- end of the generated tables -->")
    assert doc[start:end].rstrip() + "\n" == codes_markdown()
    assert all(code.fix and code.summary for code in CODES.values())


def test_every_code_of_the_checks_is_declared_by_a_rule_that_runs() -> None:
    """The validator's rules register with the codes they report (`@rule`): every id,
    people, text, condition and warning code has one, and a case above raises it."""
    import game.scenario.checks  # noqa: F401  (registers every topic's rules)
    from game.scenario.check_context import RULES

    declared = {code for each in RULES for code in each.codes}
    assert declared <= set(CODES)
    checked = {c for c in CODES if c[1] in "35"} - {"R511"}  # R511 is the loader's
    assert checked <= declared, sorted(checked - declared)
    assert {case.code for case in CASES} >= declared
    assert len({each.name for each in RULES}) == len(RULES)
