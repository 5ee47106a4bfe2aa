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
