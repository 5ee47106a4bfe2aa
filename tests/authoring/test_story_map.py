"""`rapport map` in every format for every bundled scenario, run as a real subprocess;
the DOT read back with a real parser (pydot, through networkx) and checked against the
scenario."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from game.scenario import Scenario
from game.scenario.catalog import bundled_ids, load_bundled
from game.scenario.conditions import compile_condition
from game.scenario.models import Effect
from tests.cli.conftest import Runner
from tests.conftest import scenario_text

SCENARIOS = bundled_ids()

# pydot's parser calls pyparsing names that pyparsing 3.3 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _effects(effects: list[Effect]) -> list[Effect]:
    found = []
    for effect in effects:
        found.append(effect)
        if effect.promise:
            found += _effects(effect.promise.kept) + _effects(effect.promise.broken)
    return found


def expected_graph(scenario: Scenario) -> tuple[set[str], set[tuple[str, str, str]]]:
    """The nodes and (source, target, kind) edges the DOT graph should have, worked out
    from the scenario here rather than by the code under test."""
    people = {p.id for p in scenario.customer.people} | {p.id for p in scenario.supplier.people}
    nodes = {f"person.{p}" for p in people}
    edges: set[tuple[str, str, str]] = set()
    flags: set[str] = set()
    for person in scenario.customer.people:
        if person.reports_to:
            edges.add((f"person.{person.reports_to}", f"person.{person.id}", "manages"))
        if person.met:
            edges.add((f"person.{scenario.player.id}", f"person.{person.id}", "knows"))
            continue
        if person.introduced_by is not None:
            introducers = set(person.introduced_by)
        else:
            introducers = {person.reports_to} if person.reports_to else set()
            introducers |= {p.id for p in scenario.customer.people if p.reports_to == person.id}
        for introducer in introducers:
            edges.add((f"person.{introducer}", f"person.{person.id}", "introduces"))
    items = [("event", e) for e in scenario.events] + [("action", a) for a in scenario.actions]
    for kind, item in items:
        effects = list(item.effects)
        for choice in getattr(item, "choices", []):
            effects += choice.effects
        walked = _effects(effects)
        key = f"{kind}.{item.id}"
        mine: set[tuple[str, str, str]] = set()
        for effect in walked:
            for flag in effect.flag or {}:
                flags.add(flag)
                mine.add((key, f"flag.{flag}", "sets"))
            if effect.introduce:
                mine.add((key, f"person.{effect.introduce}", "opens"))
            if effect.join:
                mine.add((key, f"person.{effect.join}", "brings_in"))
            if effect.leave:
                mine.add((key, f"person.{effect.leave.who}", "takes_away"))
            if effect.offer:
                target = effect.offer.who and f"person.{effect.offer.who}"
                mine.add((key, target or f"competitor.{effect.offer.competitor}", "offers"))
        if item.when:
            for ref in compile_condition(item.when).references:
                if ref.kind == "flag":
                    flags.add(ref.value)
                    mine.add((f"flag.{ref.value}", key, "reads"))
                elif ref.kind == "event":
                    mine.add((f"event.{ref.value}", key, "after"))
        if kind == "event" or mine:
            nodes.add(key)
            edges |= mine
    flags |= {x.metric[5:] for x in scenario.lessons if x.metric.startswith("flag.")}
    nodes |= {f"flag.{f}" for f in flags}
    # The rivals, whom they may approach, and the customer's trust in your teammates.
    for rival in scenario.competitors:
        nodes.add(f"competitor.{rival.id}")
        if rival.offer_chance:
            pitched = (
                rival.pitches
                if rival.pitches is not None
                else sorted(p.id for p in scenario.customer.people)
            )
            edges |= {(f"competitor.{rival.id}", f"person.{who}", "pitches") for who in pitched}
    team = {m.id for m in scenario.supplier.people} - {scenario.player.id}
    edges |= {
        (f"person.{t.source}", f"person.{t.to}", "trusts") for t in scenario.trust if t.to in team
    }
    return nodes, edges


def read_dot(text: str, folder: Path) -> nx.MultiDiGraph:
    path = folder / "map.dot"
    path.write_text(text)
    graph = nx.nx_pydot.read_dot(path)
    assert isinstance(graph, nx.MultiDiGraph)
    return graph


def unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_dot_reads_back_with_the_scenarios_people_lines_and_flags(
    rapport: Runner, tmp_path: Path, scenario_id: str
) -> None:
    result = rapport("map", scenario_id, "--format", "dot")
    assert result.returncode == 0, result.stderr
    graph = read_dot(result.stdout, tmp_path)
    scenario = load_bundled(scenario_id).scenario
    nodes, edges = expected_graph(scenario)
    assert set(graph.nodes) == nodes
    found = {(u, v, unquote(d["kind"])) for u, v, d in graph.edges(data=True)}
    assert found == edges
    kinds = {n: unquote(d["kind"]) for n, d in graph.nodes(data=True)}
    for person in scenario.customer.people:
        assert kinds[f"person.{person.id}"] == "customer"
        assert person.name in unquote(graph.nodes[f"person.{person.id}"]["label"])
    for member in scenario.supplier.people:
        assert kinds[f"person.{member.id}"] == "supplier"


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_mermaid_is_a_flowchart_with_every_person(rapport: Runner, scenario_id: str) -> None:
    result = rapport("map", scenario_id, "--format", "mermaid")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("flowchart ")
    lines = out.splitlines()
    opened = sum(1 for line in lines if line.strip().startswith("subgraph "))
    assert opened == sum(1 for line in lines if line.strip() == "end")
    scenario = load_bundled(scenario_id).scenario
    for person in [*scenario.customer.people, *scenario.supplier.people]:
        assert f"p_{person.id}" in out
        assert person.name.replace('"', "#quot;") in out
    for event in scenario.events:
        assert f"e_{event.id}{{{{" in out


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_text_names_every_person_and_event(rapport: Runner, scenario_id: str) -> None:
    result = rapport("map", scenario_id)
    assert result.returncode == 0, result.stderr
    scenario = load_bundled(scenario_id).scenario
    assert result.stdout.startswith(f"Story map: {scenario.title} ({scenario.id})")
    for person in [*scenario.customer.people, *scenario.supplier.people]:
        assert f"{person.name} ({person.id})" in result.stdout
    for event in scenario.events:
        assert f"{event.id} “" in result.stdout
    for heading in ("Organisation chart:", "Introductions:", "Reach from the people met"):
        assert heading in result.stdout


HOSTILE = scenario_text(
    replace=(
        ("name: Bo,", r'name: "Bo \e[31mRed\e[0m \"the\" boss\\",'),
        ("role: Buyer", r'role: "Buyer\u202e kcab"'),
        ("title: Mini", r'title: "Mini\u0007"'),
        ("name: Customer Co", 'name: "Customer <b>Co</b> #1 | x"'),
    )
)


def test_scenario_text_is_escaped_in_every_format(rapport: Runner, tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE)
    outputs = {}
    for form in ("text", "mermaid", "dot"):
        result = rapport("map", str(path), "--format", form)
        assert result.returncode == 0, result.stderr
        outputs[form] = result.stdout
        for char in ("\x1b", "\x07", "\u202e"):
            assert char not in result.stdout, (form, char)
        assert "\\x1b[31m" in result.stdout
    assert '"the" boss' in outputs["text"]
    assert "#quot;the#quot; boss" in outputs["mermaid"]
    assert "<b>" not in outputs["mermaid"]
    assert "Customer #lt;b#gt;Co#lt;/b#gt; #35;1 #124; x" in outputs["mermaid"]
    graph = read_dot(outputs["dot"], tmp_path)
    label = graph.nodes["person.boss"]["label"]
    assert label.startswith('"Bo \\\\x1b[31mRed') and '\\"the\\" boss\\\\' in label


def test_unknown_scenario_and_format_fail_cleanly(rapport: Runner) -> None:
    missing = rapport("map", "no-such-scenario")
    assert missing.returncode == 1 and "no scenario named" in missing.stderr
    assert "Traceback" not in missing.stderr
    wrong = rapport("map", SCENARIOS[0], "--format", "svg")
    assert wrong.returncode == 2
