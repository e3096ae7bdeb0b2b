"""A condition back to text: canonical source (`normalize`) and plain English (`explain`).

Both put parentheses only where precedence needs them, so that `parse(normalize(ast))`
gives back `ast` (positions aside).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .ast import And, Arith, Compare, Neg, Node, Not, Number, Or, Series, fold
from .names import SeriesInfo, builtin_series

_COMPARISON_WORDS = {
    "<": "is below",
    "<=": "is at most",
    ">": "is above",
    ">=": "is at least",
    "==": "equals",
    "!=": "does not equal",
}
_PRECEDENCE = {Or: 1, And: 2, Not: 3, Compare: 4, Neg: 7}
_ARITHMETIC_WORDS = {"+": "plus", "-": "minus", "*": "times", "/": "divided by"}


def precedence(node: Node) -> int:
    """How tightly a node binds, from OR (loosest) to a number or name (tightest)."""
    if isinstance(node, Arith):
        return 5 if node.op in ("+", "-") else 6
    return _PRECEDENCE.get(type(node), 8)


def needs_parentheses(parent: Node, index: int) -> bool:
    """Whether child `index` of `parent` must be written in parentheses."""
    child = precedence(parent.children()[index])
    own = precedence(parent)
    if isinstance(parent, Arith):
        # Left-associative: `a - (b - c)` must keep its parentheses, `(a - b) - c` need not.
        return child < own or (index == 1 and child == own)
    if isinstance(parent, (Not, Neg)):
        # Prefix operators nest without them: `NOT NOT a > 1`, `--x`.
        return child < own
    # A comparison inside a comparison would read as a chain, which does not parse.
    return child <= own


def format_number(value: Decimal) -> str:
    # Without exponent: str(Decimal("0.0000001")) would give "1E-7", which does not parse.
    return format(value, "f")


def normalize(ast: Node) -> str:
    """Canonical text: upper-case keywords, single spaces, minimal parentheses, `x[0]` as `x`."""

    def combine(node: Node, parts: list[str]) -> str:
        if isinstance(node, Number):
            return format_number(node.value)
        if isinstance(node, Series):
            return f"{node.name}[{node.lookback}]" if node.lookback else node.name
        parts = _parenthesized(node, parts)
        if isinstance(node, Neg):
            return "-" + parts[0]
        if isinstance(node, Not):
            return "NOT " + parts[0]
        if isinstance(node, (Arith, Compare)):
            return f"{parts[0]} {node.op} {parts[1]}"
        return f" {type(node).__name__.upper()} ".join(parts)

    return fold(ast, combine)


def explain(ast: Node, names: Mapping[str, SeriesInfo]) -> str:
    """Plain English, e.g. "RSI(14) is below 30 and the close is above SMA(50)".

    `names` gives each series its label; built-in series are always known.
    """
    known = {**builtin_series(), **names}

    def combine(node: Node, parts: list[str]) -> str:
        if isinstance(node, Number):
            return format_number(node.value)
        if isinstance(node, Series):
            return _series_words(node, known)
        if isinstance(node, Not):
            return f"not ({parts[0]})"
        if isinstance(node, (And, Or)):
            # "either a or b and c" is ambiguous in English whatever the precedence.
            parts = [
                f"({part})" if isinstance(child, (And, Or)) else part
                for child, part in zip(node.operands, parts, strict=True)
            ]
        else:
            parts = _parenthesized(node, parts)
        if isinstance(node, Neg):
            return "-" + parts[0] if isinstance(node.operand, Number) else "minus " + parts[0]
        if isinstance(node, Arith):
            return f"{parts[0]} {_ARITHMETIC_WORDS[node.op]} {parts[1]}"
        if isinstance(node, Compare):
            return f"{parts[0]} {_COMPARISON_WORDS[node.op]} {parts[1]}"
        listed = ", ".join(parts[:-1]) + (" and " if isinstance(node, And) else " or ")
        return listed + parts[-1] if isinstance(node, And) else "either " + listed + parts[-1]

    return fold(ast, combine)


def _parenthesized(node: Node, parts: list[str]) -> list[str]:
    return [f"({part})" if needs_parentheses(node, index) else part for index, part in enumerate(parts)]


def _series_words(node: Series, known: Mapping[str, SeriesInfo]) -> str:
    info = known.get(node.name)
    label = info.label if info is not None else node.name
    if node.lookback == 0:
        return label
    return f"{label} {node.lookback} bar{'s' if node.lookback > 1 else ''} ago"
