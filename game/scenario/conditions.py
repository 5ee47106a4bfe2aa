"""Conditions: small expressions over the game state, compiled without `eval`.

A condition such as ``trust(buyer, you) >= 0.5 and not flag(audit_failed)`` is
parsed with :mod:`ast` into the language's typed tree (`game.scenario.condition_tree`,
which also holds the table of names and functions) and turned into nested closures.
Only what the language has is allowed; anything else is an authoring error with the
column where it occurs.

Conditions are bounded: at most `MAX_LENGTH` characters, `MAX_PARTS` parts and
`MAX_DEPTH` levels of nesting, numbers below `MAX_NUMBER`; arithmetic is done in
floating point, so it takes the same time whatever the numbers. :func:`check_types`
refuses what would fail at run time: text in arithmetic or in an ordering, a number
compared with text.
"""

from __future__ import annotations

import ast
import itertools
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from game.scenario.condition_tree import (
    FUNCTIONS,
    FUNCTIONS_TABLE,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NUMBER,
    MAX_PARTS,
    MILESTONES,
    NAMES,
    Binary,
    Call,
    Compare,
    ConditionError,
    Const,
    Function,
    Logic,
    Name,
    Node,
    Reference,
    Unary,
    from_ast,
)

NUMBER = "number"
TEXT = "text"

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
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


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": _add,
    "-": _subtract,
    "*": _multiply,
    "/": _divide,
}


class ConditionContext(Protocol):
    """What a compiled condition reads from the game. The engine implements it."""

    def value(self, name: str) -> float: ...
    def call(self, function: str, args: tuple[str, ...]) -> Any: ...


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    source: str
    evaluate: Callable[[ConditionContext], Any]
    references: tuple[Reference, ...]
    tree: Node
    """The condition as the language's typed tree (see `game.scenario.condition_tree`)."""

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
        typed = from_ast(tree.body, references)
        evaluate = _compile(typed)
    except RecursionError:
        raise ConditionError("the expression is too deeply nested", 0, "R407") from None
    return CompiledCondition(source, evaluate, tuple(references), typed)


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


def _compile(node: Node) -> Evaluator:
    """Nested closures that evaluate `node` against a game."""
    if isinstance(node, Const):
        value = node.value
        return lambda _ctx: value
    if isinstance(node, Name):
        name = node.name
        return lambda ctx: ctx.value(name)
    if isinstance(node, Call):
        function, args = node.function, node.args
        return lambda ctx: ctx.call(function, args)
    if isinstance(node, Logic):
        parts = [_compile(v) for v in node.values]
        if node.op == "and":
            return lambda ctx: all(p(ctx) for p in parts)
        return lambda ctx: any(p(ctx) for p in parts)
    if isinstance(node, Unary):
        inner = _compile(node.operand)
        if node.op == "not":
            return lambda ctx: not inner(ctx)
        if node.op == "-":
            return lambda ctx: -float(inner(ctx))
        return lambda ctx: float(inner(ctx))
    if isinstance(node, Binary):
        left, right = _compile(node.left), _compile(node.right)
        op = _ARITHMETIC[node.op]
        return lambda ctx: op(left(ctx), right(ctx))
    return _compile_compare(node)


def _compile_compare(node: Compare) -> Evaluator:
    operands = [_compile(side) for side in node.sides]
    ops = [_COMPARE[op] for op in node.ops]
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


# --------------------------------------------------------------------------- types

Kinds = frozenset[str]
_NUMBER_ONLY: Kinds = frozenset({NUMBER})
_TEXT_ONLY: Kinds = frozenset({TEXT})
_ORDERING = frozenset({"<", "<=", ">", ">="})


def check_types(tree: Node, flag_kinds: Mapping[str, Kinds]) -> list[ConditionError]:
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


def _text_alone(node: Node) -> ConditionError:
    return ConditionError(
        f"`{_shown(node)}` is a text, not something true or false: compare it "
        "(flag(stage) == 'pilot')",
        node.offset,
        "R406",
    )


def _shown(node: Node) -> str:
    return node.text if len(node.text) <= 40 else node.text[:39] + "…"


def _what(node: Node, kinds: Kinds) -> str:
    if kinds == _TEXT_ONLY:
        return f"`{_shown(node)}` is a text"
    return f"`{_shown(node)}` can be a text (an effect sets it to one)"


def _kinds(node: Node, flags: Mapping[str, Kinds], problems: list[ConditionError]) -> Kinds:
    """The kinds of value `node` can have, with what is wrong in it added to `problems`."""
    if isinstance(node, Const):
        return _TEXT_ONLY if isinstance(node.value, str) else _NUMBER_ONLY
    if isinstance(node, Call):
        if node.spec.result == "value":  # a flag: what its effects set, or false
            return _NUMBER_ONLY | flags.get(node.args[0], frozenset())
        return _NUMBER_ONLY
    if isinstance(node, Unary):
        return _unary_kinds(node, flags, problems)
    if isinstance(node, Binary):
        for side in (node.left, node.right):
            kinds = _kinds(side, flags, problems)
            if TEXT in kinds:
                problems.append(
                    ConditionError(
                        f"{_what(side, kinds)}, and `{node.op}` works on numbers only",
                        side.offset,
                        "R406",
                    )
                )
        return _NUMBER_ONLY
    if isinstance(node, Logic):
        found: Kinds = frozenset()
        for value in node.values:
            kinds = _kinds(value, flags, problems)
            if kinds == _TEXT_ONLY:
                problems.append(_text_alone(value))
            found |= kinds
        return found
    if isinstance(node, Compare):
        _compare_kinds(node, flags, problems)
    return _NUMBER_ONLY


def _unary_kinds(node: Unary, flags: Mapping[str, Kinds], problems: list[ConditionError]) -> Kinds:
    inner = _kinds(node.operand, flags, problems)
    if node.op == "not":
        if inner == _TEXT_ONLY:
            problems.append(_text_alone(node.operand))
    elif TEXT in inner:
        problems.append(
            ConditionError(
                f"{_what(node.operand, inner)}; a sign (- or +) goes before a number",
                node.offset,
                "R406",
            )
        )
    return _NUMBER_ONLY


def _compare_kinds(
    node: Compare, flags: Mapping[str, Kinds], problems: list[ConditionError]
) -> None:
    sides = node.sides
    kinds_of = [_kinds(side, flags, problems) for side in sides]
    pairs = zip(itertools.pairwise(sides), itertools.pairwise(kinds_of), strict=True)
    for op, ((left, right), (left_kinds, right_kinds)) in zip(node.ops, pairs, strict=True):
        if op in _ORDERING:
            for side, kinds in ((left, left_kinds), (right, right_kinds)):
                if TEXT in kinds:
                    problems.append(
                        ConditionError(
                            f"{_what(side, kinds)}; <, <=, > and >= compare numbers only "
                            "(a text can only be compared with == or !=)",
                            side.offset,
                            "R406",
                        )
                    )
        elif not left_kinds & right_kinds:
            number, text = (left, right) if TEXT in right_kinds else (right, left)
            problems.append(
                ConditionError(
                    f"this compares a number `{_shown(number)}` with a text "
                    f"`{_shown(text)}`, which is never equal",
                    text.offset,
                    "R406",
                )
            )


__all__ = [
    "FUNCTIONS",
    "FUNCTIONS_TABLE",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NUMBER",
    "MAX_PARTS",
    "MILESTONES",
    "NAMES",
    "NUMBER",
    "TEXT",
    "CompiledCondition",
    "ConditionContext",
    "ConditionError",
    "Function",
    "Kinds",
    "Reference",
    "check_types",
    "compile_condition",
]
