"""Fields that name an id say so once, on the models (`RefersTo`): the validator's
reference checks and the editor's completion both read it."""

from __future__ import annotations

import pytest

from game.scenario import ScenarioError, parse_scenario
from game.scenario.models import Scenario
from game.scenario.references import definition_paths, reference_paths, references, refers_near
from tests.conftest import MINI, scenario_text


def test_every_reference_in_a_valid_scenario_is_found_with_its_place() -> None:
    found = {(path, value) for path, value, _ in references(parse_scenario(MINI).scenario)}
    assert (("customer", "people", 1, "reports_to"), "boss") in found
    assert (("trust", 0, "from"), "boss") in found
    assert (("trust", 0, "to"), "you") in found
    assert not any(value in ("player", "team", "target", "none") for _, value in found)


@pytest.mark.parametrize(
    ("old", "new", "where", "what"),
    [
        ("reports_to: boss", "reports_to: bos", "customer.people[1].reports_to", "customer person"),
        ("introduced_by: [boss]", "introduced_by: [nobody]", "introduced_by[0]", "customer"),
        ("people: [{ id: rep2", "pitches: [ghost], people: [{ id: rep2", "pitches[0]", "customer"),
        ("{ from: boss, to: you", "{ from: boss, to: ghost", "trust[0].to", "supplier person or"),
        ("    by: team\n", "    by: [ghost]\n", "actions[0].by[0]", "supplier person"),
    ],
)
def test_an_unknown_id_in_any_referring_field_is_named_where_it_is(
    old: str, new: str, where: str, what: str
) -> None:
    with pytest.raises(ScenarioError) as error:
        parse_scenario(scenario_text(replace=((old, new),)))
    lines = [str(p) for p in error.value.problems if p.code == "R301"]
    assert len(lines) == 1, lines
    assert where in lines[0] and what in lines[0]


def test_completion_finds_the_field_from_the_keys_around_the_cursor() -> None:
    def kinds(*keys: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        refers = refers_near(Scenario, keys)
        return None if refers is None else (refers.kinds, refers.words)

    assert kinds("to", "trust") == (("supplier", "rep"), ("firm",))  # trust at the start
    # in an effect, with a sibling key written before it on the same line
    assert kinds("to", "who", "trust", "effects", "events") == (
        ("supplier",),
        ("firm", "actor", "player"),
    )
    assert kinds("who", "leave") == (("supplier", "customer"), ())
    assert kinds("who", "offer") == (("customer",), ())
    assert kinds("targets", "actions") == (("customer",), ("stakeholders", "none"))
    assert kinds("delta", "trust") is None
    assert len(reference_paths(Scenario)) > 20


def test_the_models_say_where_each_kind_of_id_is_defined() -> None:
    from game.scenario.references import defined_on

    paths = dict(definition_paths(Scenario))
    assert paths == {
        ("supplier", "people", "id"): "supplier",
        ("customer", "people", "id"): "customer",
        ("competitors", "id"): "competitor",
        ("competitors", "people", "id"): "rep",
        ("actions", "id"): "action",
        ("events", "id"): "event",
        ("events", "choices", "id"): "answer",
        ("lessons", "id"): "lesson",
    }
    scenario = parse_scenario(MINI).scenario
    reps = [(path, item.id) for path, item in defined_on(scenario, ("competitors", "people"))]
    assert reps == [(("competitors", 0, "people", 0), "rep2")]
