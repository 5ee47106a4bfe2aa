"""Conditions: small expressions over the game state, compiled without `eval`.

A condition such as ``trust(buyer, you) >= 0.5 and not flag(audit_failed)`` is
parsed with :mod:`ast` and turned into nested closures. Only the names,
functions and operators listed here are allowed; anything else is an authoring
error with the column where it occurs.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from game.scenario.suggest import did_you_mean

#: Values a condition can read by name.
NAMES: dict[str, str] = {
    "turn": "the current turn, from 1",
    "turns": "the number of turns in the scenario",
    "time_left": "time left this turn",
    "satisfaction": "the account's satisfaction, 0..1 (influence-weighted over people buying)",
    "reliability": "your delivery reliability, 0..1",
    "share": "share of the customer's business you still hold, 0..1",
    "revenue": "revenue so far",
    "sales": "number of sales so far",
    "company_loyalty": "influence-weighted loyalty to your company, 0..1",
    "promises_kept": "promises kept so far",
    "promises_broken": "promises broken so far",
    "defections": "stakeholders who have gone to a competitor",
}

#: Functions a condition can call, with the kind of id each argument takes.
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "trust": ("customer", "supplier"),
    "loyalty": ("customer",),
    "satisfaction": ("customer",),
    "met": ("customer",),
    "defected": ("customer",),
    "active": ("supplier",),
    "left": ("supplier",),
    "flag": ("flag",),
    "milestone": ("milestone",),
    "fired": ("event",),
}

MILESTONES = ("first_sale", "second_sale")

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


def _divide(a: float, b: float) -> float:
    return a / b if b else 0.0


_ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: _divide,
}


class ConditionContext(Protocol):
    """What a compiled condition reads from the game. The engine implements it."""

    def value(self, name: str) -> float: ...
    def call(self, function: str, args: tuple[str, ...]) -> Any: ...


class ConditionError(ValueError):
    """An expression that is not a valid condition; `offset` is its 0-based column."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Reference:
    """An id a condition names, to be checked against the scenario."""

    kind: str
    value: str
    offset: int


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    source: str
    evaluate: Callable[[ConditionContext], Any]
    references: tuple[Reference, ...]
    tree: ast.expr

    def __call__(self, context: ConditionContext) -> bool:
        return bool(self.evaluate(context))


Evaluator = Callable[[ConditionContext], Any]


def compile_condition(source: str) -> CompiledCondition:
    """Parse and compile `source`; raise :class:`ConditionError` if it is not allowed."""
    text = source.strip()
    if not text:
        raise ConditionError("the condition is empty")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise ConditionError(
            f"not a valid expression: {error.msg}", max(0, (error.offset or 1) - 1)
        ) from None
    except (RecursionError, MemoryError, ValueError):
        raise ConditionError("the expression is too deeply nested") from None
    references: list[Reference] = []
    try:
        evaluate = _compile(tree.body, references)
    except RecursionError:
        raise ConditionError("the expression is too deeply nested") from None
    return CompiledCondition(source, evaluate, tuple(references), tree.body)


def _compile(node: ast.expr, refs: list[Reference]) -> Evaluator:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool | int | float | str):
            value = node.value
            return lambda _ctx: value
        raise ConditionError(f"unsupported value {node.value!r}", node.col_offset)
    if isinstance(node, ast.Name):
        name = node.id
        if name in ("true", "True"):
            return lambda _ctx: True
        if name in ("false", "False"):
            return lambda _ctx: False
        if name not in NAMES:
            hint = did_you_mean(name, [*NAMES, *FUNCTIONS])
            raise ConditionError(f"unknown name '{name}'{hint}", node.col_offset)
        return lambda ctx: ctx.value(name)
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v, refs) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda ctx: all(p(ctx) for p in parts)
        return lambda ctx: any(p(ctx) for p in parts)
    if isinstance(node, ast.UnaryOp):
        inner = _compile(node.operand, refs)
        if isinstance(node.op, ast.Not):
            return lambda ctx: not inner(ctx)
        if isinstance(node.op, ast.USub):
            return lambda ctx: -inner(ctx)
        if isinstance(node.op, ast.UAdd):
            return inner
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        left, right = _compile(node.left, refs), _compile(node.right, refs)
        op = _ARITHMETIC[type(node.op)]
        return lambda ctx: op(left(ctx), right(ctx))
    if isinstance(node, ast.Compare):
        return _compile_compare(node, refs)
    if isinstance(node, ast.Call):
        return _compile_call(node, refs)
    raise ConditionError(
        f"'{ast.unparse(node)}' is not allowed in a condition "
        "(use names, numbers, comparisons, and/or/not, and the listed functions)",
        getattr(node, "col_offset", 0),
    )


def _compile_compare(node: ast.Compare, refs: list[Reference]) -> Evaluator:
    operands = [_compile(node.left, refs)] + [_compile(c, refs) for c in node.comparators]
    ops: list[Callable[[Any, Any], bool]] = []
    for node_op in node.ops:
        if type(node_op) not in _COMPARE:
            raise ConditionError("only <, <=, >, >=, == and != compare values", node.col_offset)
        ops.append(_COMPARE[type(node_op)])
    if len(ops) == 1:  # the common case, `a < b`, without the loop
        first, second = operands
        op = ops[0]
        return lambda ctx: bool(op(first(ctx), second(ctx)))

    def compare(ctx: ConditionContext) -> bool:
        left = operands[0](ctx)
        for op, operand in zip(ops, operands[1:], strict=True):
            right = operand(ctx)
            if not op(left, right):
                return False
            left = right
        return True

    return compare


def _compile_call(node: ast.Call, refs: list[Reference]) -> Evaluator:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        name = ast.unparse(node.func)
        hint = did_you_mean(name, list(FUNCTIONS))
        raise ConditionError(f"unknown function '{name}'{hint}", node.col_offset)
    function = node.func.id
    kinds = FUNCTIONS[function]
    if node.keywords or len(node.args) != len(kinds):
        raise ConditionError(
            f"{function}() takes {len(kinds)} id(s): {function}({', '.join(kinds)})",
            node.col_offset,
        )
    args: list[str] = []
    for kind, arg in zip(kinds, node.args, strict=True):
        if isinstance(arg, ast.Name):
            value = arg.id
        elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            value = arg.value
        else:
            raise ConditionError(
                f"{function}() takes ids, not '{ast.unparse(arg)}'", arg.col_offset
            )
        refs.append(Reference(kind, value, arg.col_offset))
        args.append(value)
    frozen = tuple(args)
    return lambda ctx: ctx.call(function, frozen)
