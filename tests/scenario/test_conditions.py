"""The condition language: what it evaluates, and what it refuses."""

from __future__ import annotations

import re
from typing import Any

import pytest

from game.scenario.conditions import ConditionError, compile_condition


class FakeGame:
    """A condition context with fixed answers."""

    def __init__(self, **values: Any) -> None:
        self.values = values
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def value(self, name: str) -> Any:
        return self.values[name]

    def call(self, function: str, args: tuple[str, ...]) -> Any:
        self.calls.append((function, args))
        return self.values.get(f"{function}:{','.join(args)}", 0)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("turn >= 3", True),
        ("turn > 3", False),
        ("2 < turn < 4", True),
        ("turn == 3 and satisfaction > 0.5", True),
        ("turn == 1 or satisfaction > 0.5", True),
        ("not (turn == 3)", False),
        ("satisfaction * 2 - 0.2 >= 1.2", True),
        ("revenue / 0 == 0", True),
        ("trust(buyer, you) >= 0.5", True),
        ("trust('buyer', 'you') >= 0.5", True),
        ("flag(ready)", False),
        ("-turn < 0", True),
        ("true", True),
    ],
)
def test_evaluates(source: str, expected: bool) -> None:
    game = FakeGame(turn=3, satisfaction=0.7, revenue=10, **{"trust:buyer,you": 0.6})
    assert compile_condition(source)(game) is expected


def test_references_are_collected_with_columns() -> None:
    compiled = compile_condition("trust(buyer, you) > 0.2 and met(ceo)")
    refs = [(r.kind, r.value, r.offset) for r in compiled.references]
    assert refs == [("customer", "buyer", 6), ("supplier", "you", 13), ("customer", "ceo", 32)]


def test_short_circuit_skips_later_calls() -> None:
    game = FakeGame(turn=1)
    assert compile_condition("turn > 5 and met(ceo)")(game) is False
    assert game.calls == []


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "empty"),
        ("turn >", "the condition ends early, after '>'"),
        ("turn > 3 4", "not a valid expression"),
        ("trun > 1", "unknown name 'trun' (did you mean 'turn'?)"),
        ("trus(a, b)", "unknown function 'trus' (did you mean 'trust'?)"),
        ("trust(a)", "trust() takes 2 id(s)"),
        ("trust(a, b=1)", "takes 2 id(s)"),
        ("met(1)", "takes ids"),
        ("turn.real", "not allowed"),
        ("turn in [1, 2]", "not allowed"),
        ("turn is 1", "only <, <=, >, >=, == and != compare values"),
        ("x if turn else y", "not allowed"),
        ("__import__('os')", "unknown function"),
        ("None", "unsupported value"),
        ("(" * 300 + "1" + ")" * 300, "nested"),
        ("-" * 5000 + "1", "nested"),
    ],
)
def test_refuses(source: str, message: str) -> None:
    with pytest.raises(ConditionError, match=re.escape(message)):
        compile_condition(source)


def test_error_offset_points_at_the_problem() -> None:
    with pytest.raises(ConditionError) as caught:
        compile_condition("turn > 1 and trun > 2")
    assert caught.value.offset == 13


def test_a_condition_is_parsed_once_into_the_languages_typed_tree() -> None:
    from game.scenario.condition_tree import Call, Compare, Const, Logic, Name, Unary, walk

    tree = compile_condition("trust(buyer, you) >= 0.5 and not flag(audit) or turn > 3").tree
    assert isinstance(tree, Logic) and tree.op == "or"
    both, later = tree.values
    assert isinstance(both, Logic) and both.op == "and"
    compare, negated = both.values
    assert isinstance(compare, Compare) and compare.ops == (">=",)
    assert compare.left == Call("trust", ("buyer", "you"), 0, "trust(buyer, you)")
    assert compare.rights == (Const(0.5, 21, "0.5"),)
    assert isinstance(negated, Unary) and negated.op == "not"
    assert isinstance(negated.operand, Call) and negated.operand.spec.result == "value"
    assert isinstance(later, Compare) and later.left == Name("turn", 48, "turn")
    assert [type(n).__name__ for n in walk(tree)].count("Call") == 2


def test_every_function_in_the_table_is_answered_by_the_engine_and_ranged_by_the_analysis(
    mini,
) -> None:
    """A new function is an entry in the table and an answer in the engine: the type
    checker, the interval analysis and completion read the rest from the entry."""
    from game.engine import Game
    from game.engine.condition_values import ConditionValues
    from game.scenario.condition_analysis import Facts, Span, can_be_true
    from game.scenario.condition_tree import FUNCTIONS_TABLE

    ids = {
        "customer": "buyer",
        "supplier": "you",
        "flag": "x",
        "milestone": "first_sale",
        "event": "e",
    }
    values = ConditionValues(Game(mini.scenario, 1)._world)
    for function in FUNCTIONS_TABLE.values():
        source = f"{function.name}({', '.join(ids[k] for k in function.args)})"
        condition = compile_condition(source)
        answer = condition.evaluate(values)
        if function.result == "share":
            assert 0.0 <= answer <= 1.0, source
            over = compile_condition(f"{source} > 1").tree
            assert not can_be_true(over, Facts({"turn": Span(1, 6)}, frozenset())), source
        elif function.result == "truth":
            assert isinstance(answer, bool), source
        assert function.meaning and function.signature.startswith(function.name + "(")
