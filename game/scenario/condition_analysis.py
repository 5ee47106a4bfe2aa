"""Can a condition ever be true? A small interval analysis over its expression.

Every name and function has a known range (turn from 1 to the scenario's
length, trust between 0 and 1, a flag no effect sets is always false, …).
The expression is evaluated over those ranges; if "true" is not among the
possible outcomes, the condition can never hold and the event or action it
guards is dead. The analysis is conservative: when unsure it says "maybe".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from game.scenario.condition_tree import (
    Binary,
    Call,
    Compare,
    Comparison,
    Const,
    Logic,
    Name,
    Node,
    Unary,
)

INF = math.inf


@dataclass(frozen=True, slots=True)
class Span:
    """The values a numeric expression can take (booleans are 0..1)."""

    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Truth:
    """Whether an expression can be true and whether it can be false."""

    can_be_true: bool
    can_be_false: bool


Value = Span | Truth
UNKNOWN = Span(-INF, INF)
EITHER = Truth(True, True)


@dataclass(frozen=True)
class Facts:
    """What the analysis knows about the scenario."""

    names: dict[str, Span]
    never_true_calls: frozenset[tuple[str, str]]
    """(function, id) pairs that are always false, e.g. ("flag", "x") for a flag never set."""


def can_be_true(tree: Node, facts: Facts) -> bool:
    """False only if the expression can never evaluate to a true value."""
    value = _eval(tree, facts)
    if isinstance(value, Truth):
        return value.can_be_true
    return not (value.low == 0 and value.high == 0)


def _as_span(value: Value) -> Span:
    if isinstance(value, Span):
        return value
    return Span(0 if value.can_be_false else 1, 1 if value.can_be_true else 0)


def _as_truth(value: Value) -> Truth:
    if isinstance(value, Truth):
        return value
    zero_possible = value.low <= 0 <= value.high
    nonzero_possible = not (value.low == 0 and value.high == 0)
    return Truth(nonzero_possible, zero_possible)


def _eval(node: Node, facts: Facts) -> Value:
    if isinstance(node, Const):
        if isinstance(node.value, bool):
            return Truth(node.value, not node.value)
        if isinstance(node.value, int | float):
            return Span(float(node.value), float(node.value))
        return UNKNOWN
    if isinstance(node, Name):
        return facts.names.get(node.name, UNKNOWN)
    if isinstance(node, Call):
        if (node.function, node.args[0]) in facts.never_true_calls:
            return Truth(False, True)
        return Span(0.0, 1.0) if node.spec.result == "share" else EITHER
    if isinstance(node, Unary):
        inner = _eval(node.operand, facts)
        if node.op == "not":
            truth = _as_truth(inner)
            return Truth(truth.can_be_false, truth.can_be_true)
        span = _as_span(inner)
        return Span(-span.high, -span.low) if node.op == "-" else span
    if isinstance(node, Logic):
        if node.op == "and":
            return _conjunction(node.values, facts)
        parts = [_as_truth(_eval(v, facts)) for v in node.values]
        return Truth(any(p.can_be_true for p in parts), all(p.can_be_false for p in parts))
    if isinstance(node, Binary):
        a, b = _as_span(_eval(node.left, facts)), _as_span(_eval(node.right, facts))
        return _arithmetic(node.op, a, b)
    return _compare(node, facts)


def _conjunction(values: tuple[Node, ...], facts: Facts) -> Truth:
    """`a and b and …`, narrowing each name's range by the comparisons before it,
    so that `turn >= 3 and turn < 2` is seen to be impossible."""
    names = dict(facts.names)
    can_be_false = False
    for value in values:
        truth = _as_truth(_eval(value, Facts(names, facts.never_true_calls)))
        can_be_false = can_be_false or truth.can_be_false
        if not truth.can_be_true:
            return Truth(False, True)
        narrowed = _narrow(value, names)
        if narrowed is None:
            return Truth(False, True)
        names = narrowed
    return Truth(True, can_be_false)


_FLIPPED: dict[Comparison, Comparison] = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _narrow(node: Node, names: dict[str, Span]) -> dict[str, Span] | None:
    """Names' ranges once `node` (a comparison of a name with a number) is known true.

    None if that leaves a name no possible value.
    """
    if not (isinstance(node, Compare) and len(node.ops) == 1):
        return names
    left, right, op = node.left, node.rights[0], node.ops[0]
    if isinstance(left, Const) and isinstance(right, Name):
        left, right = right, left
        op = _FLIPPED.get(op, op)
    if not (
        isinstance(left, Name)
        and isinstance(right, Const)
        and isinstance(right.value, int | float)
        and not isinstance(right.value, bool)
        and left.name in names
    ):
        return names
    span, bound = names[left.name], float(right.value)
    low, high = span.low, span.high
    if op in (">", ">="):
        low = max(low, bound)
    elif op in ("<", "<="):
        high = min(high, bound)
    elif op == "==":
        low, high = max(low, bound), min(high, bound)
    if low > high or (low == high and op in (">", "<") and low == bound):
        return None
    return {**names, left.name: Span(low, high)}


def _arithmetic(op: str, a: Span, b: Span) -> Span:
    if op == "+":
        return Span(a.low + b.low, a.high + b.high)
    if op == "-":
        return Span(a.low - b.high, a.high - b.low)
    if op == "*":
        with_inf = [a.low * b.low, a.low * b.high, a.high * b.low, a.high * b.high]
        products = [0.0 if math.isnan(p) else p for p in with_inf]
        return Span(min(products), max(products))
    return UNKNOWN


_POSSIBLE: dict[Comparison, tuple[Callable[[Span, Span], bool], Callable[[Span, Span], bool]]] = {
    # (can be true, can be false)
    "<": (lambda a, b: a.low < b.high, lambda a, b: a.high >= b.low),
    "<=": (lambda a, b: a.low <= b.high, lambda a, b: a.high > b.low),
    ">": (lambda a, b: a.high > b.low, lambda a, b: a.low <= b.high),
    ">=": (lambda a, b: a.high >= b.low, lambda a, b: a.low < b.high),
    "==": (
        lambda a, b: a.low <= b.high and b.low <= a.high,
        lambda a, b: not (a.low == a.high == b.low == b.high),
    ),
    "!=": (
        lambda a, b: not (a.low == a.high == b.low == b.high),
        lambda a, b: a.low <= b.high and b.low <= a.high,
    ),
}


def _compare(node: Compare, facts: Facts) -> Truth:
    spans = [_as_span(_eval(side, facts)) for side in node.sides]
    truths = []
    for op, left, right in zip(node.ops, spans, spans[1:], strict=False):
        possible, impossible = _POSSIBLE[op]
        truths.append(Truth(possible(left, right), impossible(left, right)))
    return Truth(all(t.can_be_true for t in truths), any(t.can_be_false for t in truths))
