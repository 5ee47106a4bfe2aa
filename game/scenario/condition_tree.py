"""The condition language: its names and functions in one table, and its typed tree.

A condition is parsed once (with :mod:`ast`, which never runs anything) into a small
tree of its own: constants, names, calls, signs and `not`, arithmetic, comparisons
and `and`/`or`. Evaluating, type-checking, the interval analysis of what can ever be
true, balance's explanations and the editor's completion all walk this tree, and
read what they need to know about a function from its entry in :data:`FUNCTIONS`:
its arguments, what it returns, its range and its meaning. A new function is one
entry here and one way for the engine to answer it
(`game.engine.condition_values`).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

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

Result = Literal["share", "truth", "value"]
"""What a function returns: a share 0..1, true or false, or whatever was set (a flag)."""


@dataclass(frozen=True, slots=True)
class Function:
    """One function of the condition language."""

    name: str
    args: tuple[str, ...]
    """The kind of id each argument takes: customer, supplier, flag, milestone, event."""
    result: Result
    meaning: str
    """What it reads, in a trainer's words (hover, completion, balance's reasons)."""

    @property
    def signature(self) -> str:
        """`trust(customer, supplier)`."""
        return f"{self.name}({', '.join(self.args)})"


FUNCTIONS_TABLE: dict[str, Function] = {
    f.name: f
    for f in (
        Function(
            "trust", ("customer", "supplier"), "share", "trust of a customer person in one of yours"
        ),
        Function("loyalty", ("customer",), "share", "a customer person's loyalty to you"),
        Function("satisfaction", ("customer",), "share", "a customer person's satisfaction"),
        Function("met", ("customer",), "truth", "whether you have met a customer person"),
        Function("defected", ("customer",), "truth", "whether they went to a competitor"),
        Function("active", ("supplier",), "truth", "whether one of your people is on the team"),
        Function("left", ("supplier",), "truth", "whether one of your people has left"),
        Function("flag", ("flag",), "value", "a flag's value (false until an effect sets it)"),
        Function("milestone", ("milestone",), "truth", "whether a milestone is reached"),
        Function("fired", ("event",), "truth", "whether an event has happened"),
    )
}

#: Each function's argument kinds (the table's view most callers need).
FUNCTIONS: dict[str, tuple[str, ...]] = {name: f.args for name, f in FUNCTIONS_TABLE.items()}

MILESTONES = ("first_sale", "second_sale")

MAX_LENGTH = 500
MAX_PARTS = 120
MAX_DEPTH = 40
MAX_NUMBER = 10**15

Comparison = Literal["<", "<=", ">", ">=", "==", "!="]
Arithmetic = Literal["+", "-", "*", "/"]


class ConditionError(ValueError):
    """An expression that is not a valid condition; `offset` is its 0-based column and
    `code` the kind of problem (see `game.scenario.codes`)."""

    def __init__(self, message: str, offset: int = 0, code: str = "R401") -> None:
        super().__init__(message)
        self.offset = offset
        self.code = code


@dataclass(frozen=True, slots=True)
class Reference:
    """An id a condition names, to be checked against the scenario."""

    kind: str
    value: str
    offset: int


# --------------------------------------------------------------------------- the tree


@dataclass(frozen=True, slots=True)
class Const:
    """A number, `true`/`false`, or a quoted text."""

    value: float | int | bool | str
    offset: int
    text: str


@dataclass(frozen=True, slots=True)
class Name:
    """A named value of the game, one of :data:`NAMES`."""

    name: str
    offset: int
    text: str


@dataclass(frozen=True, slots=True)
class Call:
    """A function of :data:`FUNCTIONS_TABLE` given ids."""

    function: str
    args: tuple[str, ...]
    offset: int
    text: str

    @property
    def spec(self) -> Function:
        """The function's entry in the table."""
        return FUNCTIONS_TABLE[self.function]


@dataclass(frozen=True, slots=True)
class Unary:
    """`not x`, `-x` or `+x`."""

    op: Literal["not", "-", "+"]
    operand: Node
    offset: int
    text: str


@dataclass(frozen=True, slots=True)
class Binary:
    """Arithmetic: `a + b`, `a - b`, `a * b`, `a / b`."""

    op: Arithmetic
    left: Node
    right: Node
    offset: int
    text: str


@dataclass(frozen=True, slots=True)
class Compare:
    """`a < b`, or a chain `a < b <= c`."""

    left: Node
    ops: tuple[Comparison, ...]
    rights: tuple[Node, ...]
    offset: int
    text: str

    @property
    def sides(self) -> tuple[Node, ...]:
        """Every side, left to right."""
        return (self.left, *self.rights)


@dataclass(frozen=True, slots=True)
class Logic:
    """`a and b and …` or `a or b or …`."""

    op: Literal["and", "or"]
    values: tuple[Node, ...]
    offset: int
    text: str


Node = Const | Name | Call | Unary | Binary | Compare | Logic


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly inside `node`."""
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Compare):
        return node.sides
    if isinstance(node, Logic):
        return node.values
    return ()


def walk(node: Node) -> Iterator[Node]:
    """`node` and every node inside it, outside in."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


# --------------------------------------------------------------------------- parsing

_COMPARISONS: dict[type[ast.cmpop], Comparison] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}
_ARITHMETIC: dict[type[ast.operator], Arithmetic] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
}
_SIGNS: dict[type[ast.unaryop], Literal["not", "-", "+"]] = {
    ast.Not: "not",
    ast.USub: "-",
    ast.UAdd: "+",
}


def from_ast(node: ast.expr, references: list[Reference]) -> Node:
    """The typed tree of a parsed expression, with the ids it names added to
    `references`; :class:`ConditionError` for anything the language does not have."""
    offset = getattr(node, "col_offset", 0)
    if isinstance(node, ast.Constant):
        return Const(_constant(node), offset, ast.unparse(node))
    if isinstance(node, ast.Name):
        if node.id in ("true", "True", "false", "False"):
            return Const(node.id in ("true", "True"), offset, node.id)
        if node.id not in NAMES:
            hint = did_you_mean(node.id, [*NAMES, *FUNCTIONS])
            raise ConditionError(f"unknown name '{node.id}'{hint}", offset, "R404")
        return Name(node.id, offset, node.id)
    text = ast.unparse(node)
    if isinstance(node, ast.BoolOp):
        op: Literal["and", "or"] = "and" if isinstance(node.op, ast.And) else "or"
        values = tuple(from_ast(v, references) for v in node.values)
        return Logic(op, values, offset, text)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _SIGNS:
        return Unary(_SIGNS[type(node.op)], from_ast(node.operand, references), offset, text)
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        left, right = from_ast(node.left, references), from_ast(node.right, references)
        return Binary(_ARITHMETIC[type(node.op)], left, right, offset, text)
    if isinstance(node, ast.Compare):
        return _compare(node, references, text)
    if isinstance(node, ast.Call):
        return _call(node, references, text)
    raise ConditionError(
        f"'{text}' is not allowed in a condition "
        "(use names, numbers, comparisons, and/or/not, and the listed functions)",
        offset,
        "R405",
    )


def _constant(node: ast.Constant) -> float | int | bool | str:
    value = node.value
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        if (isinstance(value, float) and not math.isfinite(value)) or abs(value) >= MAX_NUMBER:
            shown = repr(value) if len(repr(value)) <= 20 else repr(value)[:12] + "…"
            raise ConditionError(
                f"the number {shown} is too large: numbers in a condition stay below "
                f"{MAX_NUMBER:,} (15 digits)",
                node.col_offset,
                "R407",
            )
        return value
    raise ConditionError(f"unsupported value {value!r}", node.col_offset, "R405")


def _compare(node: ast.Compare, references: list[Reference], text: str) -> Compare:
    left = from_ast(node.left, references)
    rights = tuple(from_ast(c, references) for c in node.comparators)
    ops = []
    for op in node.ops:
        if type(op) not in _COMPARISONS:
            raise ConditionError(
                "only <, <=, >, >=, == and != compare values", node.col_offset, "R405"
            )
        ops.append(_COMPARISONS[type(op)])
    return Compare(left, tuple(ops), rights, node.col_offset, text)


def _call(node: ast.Call, references: list[Reference], text: str) -> Call:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        name = ast.unparse(node.func)
        hint = did_you_mean(name, list(FUNCTIONS))
        raise ConditionError(f"unknown function '{name}'{hint}", node.col_offset, "R404")
    spec = FUNCTIONS_TABLE[node.func.id]
    if node.keywords or len(node.args) != len(spec.args):
        raise ConditionError(
            f"{spec.name}() takes {len(spec.args)} id(s): {spec.signature}",
            node.col_offset,
            "R404",
        )
    args: list[str] = []
    for kind, arg in zip(spec.args, node.args, strict=True):
        if isinstance(arg, ast.Name):
            value = arg.id
        elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            value = arg.value
        else:
            raise ConditionError(
                f"{spec.name}() takes ids, not '{ast.unparse(arg)}'", arg.col_offset, "R404"
            )
        references.append(Reference(kind, value, arg.col_offset))
        args.append(value)
    return Call(spec.name, tuple(args), node.col_offset, text)
