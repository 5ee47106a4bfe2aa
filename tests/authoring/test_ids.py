"""The id index behind the language server, tested without a client."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from game.authoring.diagnostics import check_text, problem_span
from game.authoring.id_building import build_index, parse_leniently
from game.authoring.id_index import IdIndex, Span
from game.authoring.ids import complete_at, context_at, definition_at, hover_at
from game.scenario.catalog import bundled_ids, bundled_text
from tests.conftest import MINI, scenario_text

STORY = """\
events:
  - id: audit
    title: The audit
    text: "{target} audits the plant."
    target: boss
    when: turn >= 2 and met(vp)
    choices:
      - id: prepare
        label: Prepare the papers
        cost: 1
        effects:
          - flag: { audit_ready: true }
      - id: ignore
        label: Ignore it
        default: true
  - id: follow_up
    title: Follow-up
    text: The auditors come back.
    when: flag(audit_ready) and fired(audit)
    effects:
      - trust: { who: [boss, buyer], to: tech, delta: 0.05 }
lessons:
  - { id: ready, text: Prepared., metric: flag.audit_ready, bot: idle, at_least: 0 }
"""
TEXT = scenario_text(STORY)
LINES = TEXT.split("\n")


@pytest.fixture(scope="module")
def index() -> IdIndex:
    found = build_index(TEXT)
    assert found is not None
    return found


def at(marker: str, offset: int = 0, text: str = TEXT) -> tuple[int, int]:
    position = text.index(marker) + offset
    line = text.count("\n", 0, position)
    return line, position - (text.rfind("\n", 0, position) + 1)


def labels(text: str, *, invoked: bool = False) -> list[str]:
    """Completions where `|` is in `text` (MINI + STORY with the cursor marked)."""
    line, col = at("|", text=text)
    lines = text.replace("|", "", 1).split("\n")
    found = build_index(TEXT)
    assert found is not None
    return [c.label for c in complete_at(found, lines, line, col, invoked=invoked)]


def test_every_kind_of_id_is_indexed_where_it_is_defined(index: IdIndex) -> None:
    ids = {kind: list(found) for kind, found in index.definitions.items()}
    assert ids == {
        "customer": ["boss", "buyer", "vp"],
        "supplier": ["you", "tech"],
        "rep": ["rep2"],
        "competitor": ["rival"],
        "action": ["call", "discount"],
        "event": ["audit", "follow_up"],
        "flag": ["audit_ready"],
    }
    assert index.definitions["customer"]["buyer"].span == Span(*at("id: buyer", 4), 5)
    assert index.definitions["flag"]["audit_ready"].span == Span(*at("audit_ready: true"), 11)
    assert index.definitions["event"]["audit"].span == Span(*at("id: audit", 4), 5)


def test_hover_shows_a_persons_role_side_influence_and_trust(index: IdIndex) -> None:
    text = hover_at(index, LINES, *at("reports_to: boss", 13))
    assert text is not None
    for fact in ("**Bo**", "Director", "customer (Customer Co)", "influence 0.5", "met"):
        assert fact in text
    assert "`you` 0.50" in text
    vp = hover_at(index, LINES, *at("met(vp)", 4))
    assert vp is not None and "Introduced by: `boss` (needs trust 0.40)" in vp
    tech = hover_at(index, LINES, *at("to: tech", 5))
    assert tech is not None and "Technician" in tech and "supplier (Supplier Co)" in tech


def test_hover_on_actions_events_and_flags(index: IdIndex) -> None:
    call = index.definitions["action"]["call"].hover
    assert "**Call {target}**" in call and "cost 1 h" in call and "contact" in call
    event = hover_at(index, LINES, *at("fired(audit)", 7))
    assert event is not None and "**The audit**" in event and "`prepare`" in event
    flag = hover_at(index, LINES, *at("flag(audit_ready)", 6))
    assert flag is not None
    assert "Set by: event `audit` (answer `prepare`)" in flag
    assert "event `follow_up`" in flag and "lesson `ready`" in flag
    assert hover_at(index, LINES, *at("title: The audit", 8)) is None  # not an id


def test_definition_prefers_the_kind_the_context_names() -> None:
    text = scenario_text(STORY.replace("audit_ready", "audit"))
    found = build_index(text)
    assert found is not None
    lines = text.split("\n")
    flag = definition_at(found, lines, *at("flag(audit)", 6, text))
    event = definition_at(found, lines, *at("fired(audit)", 7, text))
    assert flag is not None and flag.kind == "flag"
    assert event is not None and event.kind == "event"


def test_completion_by_context() -> None:
    customers = ["boss", "buyer", "vp"]
    assert labels(TEXT.replace("target: boss", "target: |")) == customers
    assert labels(TEXT.replace("who: [boss, buyer]", "who: [boss, |")) == [
        *customers,
        "target",
        "all",
    ]
    # an effect's trust goes to one of your people (a rival's rep only in trust at the start)
    assert labels(TEXT.replace("to: tech", "to: |")) == ["you", "tech", "firm", "actor", "player"]
    assert labels(TEXT.replace("by: team", "by: |")) == ["you", "tech", "player", "team"]
    block = TEXT.replace("    by: team\n", "    by:\n      - |\n")
    assert labels(block) == ["you", "tech", "player", "team"]
    assert labels(TEXT.replace("reports_to: boss", "reports_to: b|")) == customers


def test_completion_in_conditions_and_metrics() -> None:
    anywhere = labels(TEXT.replace("when: turn >= 2", "when: |turn >= 2"))
    assert {"turn", "company_loyalty", "flag(audit_ready)", "met(vp)", "trust("} <= set(anywhere)
    assert labels(TEXT.replace("met(vp)", "met(|)")) == ["boss", "buyer", "vp"]
    assert labels(TEXT.replace("fired(audit)", "fired(|)")) == ["audit", "follow_up"]
    assert labels(TEXT.replace("flag(audit_ready)", "flag(au|)")) == ["audit_ready"]
    trust = labels(TEXT.replace("met(vp)", "trust(vp, |)"))
    assert trust == ["you", "tech", "rep2", "firm"]
    metrics = labels(TEXT.replace("metric: flag.audit_ready", "metric: reached.|"))
    assert {"reached.boss", "reached.vp", "flag.audit_ready", "loss_at.audit"} <= set(metrics)
    assert {"score", "company_loyalty", "followed.rival", "hours.contact"} <= set(metrics)


def test_no_completion_in_free_text_unless_asked() -> None:
    text = TEXT.replace("title: The audit", "title: The |audit")
    assert labels(text) == []
    assert labels(text, invoked=True) == []  # a title is free text
    assert labels(TEXT.replace('"{target} audits', '"{|target} audits')) == [
        "actor",
        "target",
        "introducer",
        "customer",
        "supplier",
    ]
    assert labels(TEXT.replace("  orders_every: 1", "  orders_every: 1 # |")) == []


def test_flag_names_complete_as_keys_of_a_flag_mapping() -> None:
    text = TEXT.replace(
        "          - flag: { audit_ready: true }",
        "          - flag:\n              audit_ready: true\n              |",
    )
    assert labels(text) == ["audit_ready"]


def test_context_reads_block_and_flow_yaml() -> None:
    lines = ["actions:", "  - id: a", "    effects:", "      - leave: { who: x, to: "]
    context = context_at(lines, 3, len(lines[3]))
    assert context.key == "to" and "leave" in context.keys and context.in_value
    lines = ["events:", "  - id: e", "    when: >-", "      met(a) and "]
    context = context_at(lines, 3, len(lines[3]))
    assert context.keys == ("when", "events") and context.in_value


def test_a_broken_line_is_left_out_and_the_rest_indexed() -> None:
    broken = TEXT.replace("target: boss", "target: [bo")
    assert parse_leniently(broken) is not None
    found = build_index(broken, hint_line=at("target: [bo", text=broken)[0])
    assert found is not None and found.repaired
    assert list(found.definitions["customer"]) == ["boss", "buyer", "vp"]
    older = build_index(TEXT)
    unclosed = TEXT.replace("met: true }\n    - { id: buyer", "met: true \n    - { id: buyer")
    found = build_index(unclosed)
    assert found is not None and "boss" not in found.definitions["customer"]
    merged = found.merged_with(older)
    assert "boss" in merged.definitions["customer"]
    assert build_index("rapport: [\n") is None
    assert build_index("- just a list\n") is None


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_every_bundled_scenario_indexes_without_trouble(scenario_id: str) -> None:
    text = bundled_text(scenario_id).decode()
    found = build_index(text)
    assert found is not None and not found.repaired
    lines = text.split("\n")
    for definitions in found.definitions.values():
        for definition in definitions.values():
            if definition.span is not None:
                span = definition.span
                written = lines[span.line][span.col : span.col + span.length]
                assert written == definition.id
    assert check_text(text, f"{scenario_id}.yaml") == []


def test_diagnostics_are_validates_problems_with_the_word_they_point_at() -> None:
    bad = scenario_text(replace=(("reports_to: boss", "reports_to: bos"),))
    problems = check_text(bad, "mini.yaml")
    assert len(problems) == 1 and problems[0].severity == "error"
    lines = bad.split("\n")
    span = problem_span(lines, problems[0].line, problems[0].col)
    assert lines[span.line][span.col : span.col + span.length] == "bos"
    assert problem_span(lines, 999, 999).line == len(lines) - 1
    assert problem_span([], 1, 1) == Span(0, 0, 0)
    assert check_text(MINI, "mini.yaml") == []
    broken = check_text("rapport: [", "x.yaml")
    assert len(broken) == 1 and broken[0].severity == "error"


def test_the_authoring_tools_are_textual_free_and_pygls_loads_only_for_lsp() -> None:
    code = (
        "import sys, json; import game.authoring.ids, game.authoring.story_map, "
        "game.authoring.diagnostics, game.cli.authoring_commands; before = sorted(m for m in "
        "sys.modules if m.split('.')[0] in ('textual', 'rich', 'pygls')); "
        "import game.authoring.lsp; print(json.dumps([before, sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'rich'))]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [[], []]
