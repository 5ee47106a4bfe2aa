"""Can a condition ever be true? A small interval analysis over its expression.

Every name and function has a known range (turn from 1 to the scenario's
length, trust between 0 and 1, a flag no effect sets is always false, …).
The expression is evaluated over those ranges; if "true" is not among the
possible outcomes, the condition can never hold and the event or action it
guards is dead. The analysis is conservative: when unsure it says "maybe".
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from dataclasses import dataclass

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


def can_be_true(tree: ast.expr, facts: Facts) -> bool:
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


def _eval(node: ast.expr, facts: Facts) -> Value:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return Truth(node.value, not node.value)
        if isinstance(node.value, int | float):
            return Span(float(node.value), float(node.value))
        return UNKNOWN
    if isinstance(node, ast.Name):
        if node.id in ("true", "True"):
            return Truth(True, False)
        if node.id in ("false", "False"):
            return Truth(False, True)
        return facts.names.get(node.id, UNKNOWN)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = tuple(a.id if isinstance(a, ast.Name) else a.value for a in node.args)  # type: ignore[attr-defined]
        if (node.func.id, str(args[0])) in facts.never_true_calls:
            return Truth(False, True)
        if node.func.id in ("trust", "loyalty", "satisfaction"):
            return Span(0.0, 1.0)
        return EITHER
    if isinstance(node, ast.UnaryOp):
        inner = _eval(node.operand, facts)
        if isinstance(node.op, ast.Not):
            truth = _as_truth(inner)
            return Truth(truth.can_be_false, truth.can_be_true)
        span = _as_span(inner)
        return Span(-span.high, -span.low) if isinstance(node.op, ast.USub) else span
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            return _conjunction(node.values, facts)
        parts = [_as_truth(_eval(v, facts)) for v in node.values]
        return Truth(any(p.can_be_true for p in parts), all(p.can_be_false for p in parts))
    if isinstance(node, ast.BinOp):
        a, b = _as_span(_eval(node.left, facts)), _as_span(_eval(node.right, facts))
        return _arithmetic(node.op, a, b)
    if isinstance(node, ast.Compare):
        return _compare(node, facts)
    return EITHER


def _conjunction(values: list[ast.expr], facts: Facts) -> Truth:
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


def _narrow(node: ast.expr, names: dict[str, Span]) -> dict[str, Span] | None:
    """Names' ranges once `node` (a comparison of a name with a number) is known true.

    None if that leaves a name no possible value.
    """
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
        return names
    left, right, op = node.left, node.comparators[0], node.ops[0]
    flipped = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}
    if isinstance(left, ast.Constant) and isinstance(right, ast.Name):
        left, right = right, left
        op = flipped.get(type(op), type(op))()
    if not (
        isinstance(left, ast.Name)
        and isinstance(right, ast.Constant)
        and isinstance(right.value, int | float)
        and left.id in names
    ):
        return names
    span, bound = names[left.id], float(right.value)
    low, high = span.low, span.high
    if isinstance(op, ast.Gt | ast.GtE):
        low = max(low, bound)
    elif isinstance(op, ast.Lt | ast.LtE):
        high = min(high, bound)
    elif isinstance(op, ast.Eq):
        low, high = max(low, bound), min(high, bound)
    if low > high or (low == high and isinstance(op, ast.Gt | ast.Lt) and low == bound):
        return None
    return {**names, left.id: Span(low, high)}


def _arithmetic(op: ast.operator, a: Span, b: Span) -> Span:
    if isinstance(op, ast.Add):
        return Span(a.low + b.low, a.high + b.high)
    if isinstance(op, ast.Sub):
        return Span(a.low - b.high, a.high - b.low)
    if isinstance(op, ast.Mult):
        with_inf = [a.low * b.low, a.low * b.high, a.high * b.low, a.high * b.high]
        products = [0.0 if math.isnan(p) else p for p in with_inf]
        return Span(min(products), max(products))
    return UNKNOWN


_POSSIBLE: dict[
    type[ast.cmpop], tuple[Callable[[Span, Span], bool], Callable[[Span, Span], bool]]
] = {
    # (can be true, can be false)
    ast.Lt: (lambda a, b: a.low < b.high, lambda a, b: a.high >= b.low),
    ast.LtE: (lambda a, b: a.low <= b.high, lambda a, b: a.high > b.low),
    ast.Gt: (lambda a, b: a.high > b.low, lambda a, b: a.low <= b.high),
    ast.GtE: (lambda a, b: a.high >= b.low, lambda a, b: a.low < b.high),
    ast.Eq: (
        lambda a, b: a.low <= b.high and b.low <= a.high,
        lambda a, b: not (a.low == a.high == b.low == b.high),
    ),
    ast.NotEq: (
        lambda a, b: not (a.low == a.high == b.low == b.high),
        lambda a, b: a.low <= b.high and b.low <= a.high,
    ),
}


def _compare(node: ast.Compare, facts: Facts) -> Truth:
    spans = [_as_span(_eval(node.left, facts))]
    spans += [_as_span(_eval(c, facts)) for c in node.comparators]
    truths = []
    for op, left, right in zip(node.ops, spans, spans[1:], strict=False):
        rule = _POSSIBLE.get(type(op))
        if rule is None:
            return EITHER
        truths.append(Truth(rule[0](left, right), rule[1](left, right)))
    return Truth(all(t.can_be_true for t in truths), any(t.can_be_false for t in truths))
