"""Conditions: small expressions over the game state, compiled without `eval`.

A condition such as ``trust(buyer, you) >= 0.5 and not flag(audit_failed)`` is
parsed with :mod:`ast` and turned into nested closures. Only the names,
functions and operators listed here are allowed; anything else is an authoring
error with the column where it occurs.

Conditions are bounded: at most `MAX_LENGTH` characters, `MAX_PARTS` parts and
`MAX_DEPTH` levels of nesting, numbers below `MAX_NUMBER`; arithmetic is done in
floating point, so it takes the same time whatever the numbers. :func:`check_types`
refuses what would fail at run time: text in arithmetic or in an ordering, a number
compared with text.
"""

from __future__ import annotations

import ast
import itertools
import math
import operator
import re
from collections.abc import Callable, Mapping
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

MAX_LENGTH = 500
MAX_PARTS = 120
MAX_DEPTH = 40
MAX_NUMBER = 10**15

NUMBER = "number"
TEXT = "text"

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


# Arithmetic in floating point: never slower for large numbers, never an overflow
# error (a float too large becomes infinity).
def _add(a: Any, b: Any) -> float:
    return float(a) + float(b)


def _subtract(a: Any, b: Any) -> float:
    return float(a) - float(b)


def _multiply(a: Any, b: Any) -> float:
    return float(a) * float(b)


def _divide(a: Any, b: Any) -> float:
    divisor = float(b)
    return float(a) / divisor if divisor else 0.0


_ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: _add,
    ast.Sub: _subtract,
    ast.Mult: _multiply,
    ast.Div: _divide,
}
_OPERATOR_WORDS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
}


class ConditionContext(Protocol):
    """What a compiled condition reads from the game. The engine implements it."""

    def value(self, name: str) -> float: ...
    def call(self, function: str, args: tuple[str, ...]) -> Any: ...


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
        raise _syntax_error(text, error) from None
    except (RecursionError, MemoryError):
        raise ConditionError("the expression is too deeply nested", 0, "R407") from None
    except ValueError as error:
        raise ConditionError(f"not a valid expression: {error}") from None
    _check_size(tree.body, text)
    references: list[Reference] = []
    try:
        evaluate = _compile(tree.body, references)
    except RecursionError:
        raise ConditionError("the expression is too deeply nested", 0, "R407") from None
    return CompiledCondition(source, evaluate, tuple(references), tree.body)


_SLIPS = (
    (re.compile(r"=>"), "`=>` is not a comparison: write `>=`"),
    (re.compile(r"=<"), "`=<` is not a comparison: write `<=`"),
    (re.compile(r"==="), "`===` is not a comparison: write `==`"),
    (re.compile(r"<>"), "`<>` is not a comparison: write `!=`"),
    (re.compile(r"(?<![<>=!])=(?!=)"), "`=` is not a comparison: write `==` (turn == 17)"),
    (re.compile(r"!(?!=)"), "`!` is not an operator: write `not` (not met(ceo)) or `!=`"),
    (re.compile(r"&&|\|\|"), "write `and` and `or` (not `&&` and `||`)"),
)


def _syntax_error(text: str, error: SyntaxError) -> ConditionError:
    """A syntax error in words a trainer understands, at the place to fix."""
    message = error.msg or "invalid syntax"
    offset = max(0, (error.offset or 1) - 1)
    if "never closed" in message:
        return ConditionError(
            f"this {message.split()[0]} is never closed: add the matching bracket",
            offset,
            "R403",
        )
    if message.startswith("unmatched"):
        return ConditionError(f"{message}: there is no bracket for it to close", offset, "R403")
    if "unterminated string" in message:
        return ConditionError("this quote is never closed", offset, "R403")
    bare = _without_strings(text)
    slips = [(found.start(), words) for pattern, words in _SLIPS if (found := pattern.search(bare))]
    if slips:
        at, words = min(slips)
        return ConditionError(words, at, "R402")
    if error.offset in (None, 0) or offset >= len(text):
        last = text.split()[-1] if text.split() else text
        return ConditionError(
            f"the condition ends early, after {last!r}: something must follow it",
            len(text),
            "R403",
        )
    return ConditionError(f"not a valid expression: {message}", offset)


def _without_strings(text: str) -> str:
    """`text` with quoted parts blanked out, so a `=` in a text is not taken for a slip."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", lambda m: " " * len(m.group()), text)


def _check_size(body: ast.expr, text: str) -> None:
    """Refuse conditions too long, too big or too deep to be worth their cost."""
    parts = 0
    stack: list[tuple[ast.AST, int]] = [(body, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr_context | ast.operator | ast.cmpop | ast.boolop):
            continue
        if isinstance(node, ast.unaryop):
            continue
        parts += 1
        if depth > MAX_DEPTH:
            raise ConditionError(
                f"the expression nests more than {MAX_DEPTH} levels deep; split it up",
                getattr(node, "col_offset", 0),
                "R407",
            )
        if parts > MAX_PARTS:
            raise ConditionError(
                f"the expression has more than {MAX_PARTS} parts; keep conditions short",
                getattr(node, "col_offset", 0),
                "R407",
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"the condition is {len(text):,} characters long; at most {MAX_LENGTH}",
            MAX_LENGTH,
            "R407",
        )


def _compile(node: ast.expr, refs: list[Reference]) -> Evaluator:
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if (isinstance(value, float) and not math.isfinite(value)) or abs(value) >= MAX_NUMBER:
                shown = repr(value) if len(repr(value)) <= 20 else repr(value)[:12] + "…"
                raise ConditionError(
                    f"the number {shown} is too large: numbers in a condition stay below "
                    f"{MAX_NUMBER:,} (15 digits)",
                    node.col_offset,
                    "R407",
                )
            return lambda _ctx: value
        if isinstance(value, bool | str):
            return lambda _ctx: value
        raise ConditionError(f"unsupported value {value!r}", node.col_offset, "R405")
    if isinstance(node, ast.Name):
        name = node.id
        if name in ("true", "True"):
            return lambda _ctx: True
        if name in ("false", "False"):
            return lambda _ctx: False
        if name not in NAMES:
            hint = did_you_mean(name, [*NAMES, *FUNCTIONS])
            raise ConditionError(f"unknown name '{name}'{hint}", node.col_offset, "R404")
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
            return lambda ctx: -float(inner(ctx))
        if isinstance(node.op, ast.UAdd):
            return lambda ctx: float(inner(ctx))
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
        "R405",
    )


def _compile_compare(node: ast.Compare, refs: list[Reference]) -> Evaluator:
    operands = [_compile(node.left, refs)] + [_compile(c, refs) for c in node.comparators]
    ops: list[Callable[[Any, Any], bool]] = []
    for node_op in node.ops:
        if type(node_op) not in _COMPARE:
            raise ConditionError(
                "only <, <=, >, >=, == and != compare values", node.col_offset, "R405"
            )
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
        raise ConditionError(f"unknown function '{name}'{hint}", node.col_offset, "R404")
    function = node.func.id
    kinds = FUNCTIONS[function]
    if node.keywords or len(node.args) != len(kinds):
        raise ConditionError(
            f"{function}() takes {len(kinds)} id(s): {function}({', '.join(kinds)})",
            node.col_offset,
            "R404",
        )
    args: list[str] = []
    for kind, arg in zip(kinds, node.args, strict=True):
        if isinstance(arg, ast.Name):
            value = arg.id
        elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            value = arg.value
        else:
            raise ConditionError(
                f"{function}() takes ids, not '{ast.unparse(arg)}'", arg.col_offset, "R404"
            )
        refs.append(Reference(kind, value, arg.col_offset))
        args.append(value)
    frozen = tuple(args)
    return lambda ctx: ctx.call(function, frozen)


# --------------------------------------------------------------------------- types

Kinds = frozenset[str]
_NUMBER_ONLY: Kinds = frozenset({NUMBER})
_TEXT_ONLY: Kinds = frozenset({TEXT})
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def check_types(tree: ast.expr, flag_kinds: Mapping[str, Kinds]) -> list[ConditionError]:
    """What in a compiled condition would fail, or make no sense, when it runs.

    Every value is a number (true and false count as 1 and 0) or a text. Texts only
    come from quoted words and from flags set to a text (`flag_kinds` maps each flag
    to the kinds of value effects give it; a flag not set yet is false). Arithmetic
    and `<`, `<=`, `>`, `>=` take numbers only, `==` and `!=` compare values that can
    be of one kind, and a text on its own is not a condition.
    """
    problems: list[ConditionError] = []
    kinds = _kinds(tree, flag_kinds, problems)
    if kinds == _TEXT_ONLY:
        problems.append(_text_alone(tree))
    return problems


def _text_alone(node: ast.expr) -> ConditionError:
    return ConditionError(
        f"`{_shown(node)}` is a text, not something true or false: compare it "
        "(flag(stage) == 'pilot')",
        node.col_offset,
        "R406",
    )


def _shown(node: ast.expr) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:39] + "…"


def _what(node: ast.expr, kinds: Kinds) -> str:
    if kinds == _TEXT_ONLY:
        return f"`{_shown(node)}` is a text"
    return f"`{_shown(node)}` can be a text (an effect sets it to one)"


def _kinds(node: ast.expr, flags: Mapping[str, Kinds], problems: list[ConditionError]) -> Kinds:
    if isinstance(node, ast.Constant):
        return _TEXT_ONLY if isinstance(node.value, str) else _NUMBER_ONLY
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id == "flag" and node.args:
            arg = node.args[0]
            name = arg.id if isinstance(arg, ast.Name) else getattr(arg, "value", "")
            return _NUMBER_ONLY | flags.get(str(name), frozenset())
        return _NUMBER_ONLY
    if isinstance(node, ast.UnaryOp):
        inner = _kinds(node.operand, flags, problems)
        if isinstance(node.op, ast.Not):
            if inner == _TEXT_ONLY:
                problems.append(_text_alone(node.operand))
            return _NUMBER_ONLY
        if TEXT in inner:
            problems.append(
                ConditionError(
                    f"{_what(node.operand, inner)}; a sign (- or +) goes before a number",
                    node.col_offset,
                    "R406",
                )
            )
        return _NUMBER_ONLY
    if isinstance(node, ast.BinOp):
        for side in (node.left, node.right):
            kinds = _kinds(side, flags, problems)
            if TEXT in kinds:
                word = _OPERATOR_WORDS.get(type(node.op), "arithmetic")
                problems.append(
                    ConditionError(
                        f"{_what(side, kinds)}, and `{word}` works on numbers only",
                        side.col_offset,
                        "R406",
                    )
                )
        return _NUMBER_ONLY
    if isinstance(node, ast.BoolOp):
        found: Kinds = frozenset()
        for value in node.values:
            kinds = _kinds(value, flags, problems)
            if kinds == _TEXT_ONLY:
                problems.append(_text_alone(value))
            found |= kinds
        return found
    if isinstance(node, ast.Compare):
        sides = [node.left, *node.comparators]
        kinds_of = [_kinds(side, flags, problems) for side in sides]
        pairs = zip(itertools.pairwise(sides), itertools.pairwise(kinds_of), strict=True)
        for op, ((left, right), (left_kinds, right_kinds)) in zip(node.ops, pairs, strict=True):
            if isinstance(op, _ORDERING):
                for side, kinds in ((left, left_kinds), (right, right_kinds)):
                    if TEXT in kinds:
                        problems.append(
                            ConditionError(
                                f"{_what(side, kinds)}; <, <=, > and >= compare numbers only "
                                "(a text can only be compared with == or !=)",
                                side.col_offset,
                                "R406",
                            )
                        )
            elif not left_kinds & right_kinds:
                number, text = (left, right) if TEXT in right_kinds else (right, left)
                problems.append(
                    ConditionError(
                        f"this compares a number `{_shown(number)}` with a text "
                        f"`{_shown(text)}`, which is never equal",
                        text.col_offset,
                        "R406",
                    )
                )
        return _NUMBER_ONLY
    return _NUMBER_ONLY
