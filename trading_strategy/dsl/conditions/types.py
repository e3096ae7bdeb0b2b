"""Type check: comparisons take numbers; AND, OR, NOT and the whole condition take
booleans (comparisons or boolean groups).

A node's type follows from its kind alone, whatever its operands are, so a wrong operand
is reported once and never makes its parent look wrong too: every error found is an
independent one.
"""

from __future__ import annotations

from collections.abc import Sequence

from .ast import And, Arith, Compare, Neg, Node, Not, Or, fold
from .issues import ConditionIssue

NUMBER = "number"
BOOLEAN = "boolean"


def type_of(node: Node) -> str:
    return BOOLEAN if node.boolean else NUMBER


def check_types(ast: Node, text: str) -> list[ConditionIssue]:
    """`text` is the condition the tree was parsed from, to quote the wrong operands.

    The parser applies `wrong_operands` to each node as it builds it (ParseResult's
    `type_issues`), so checking a condition needs no pass of its own."""
    issues: list[ConditionIssue] = []
    fold(ast, lambda node, _children: issues.extend(wrong_operands(node, text)))
    return sorted(issues + wrong_condition(ast, text), key=lambda issue: issue.offset)


def wrong_operands(node: Node, text: str, operands: Sequence[Node] | None = None) -> list[ConditionIssue]:
    """The operands of `node` (or those of them in `operands`) of another type than its
    operator takes."""
    expected = _expected_operand_type(node)
    return [
        _mismatch(operand, _operator_name(node), text)
        for operand in (node.children() if operands is None else operands)
        if type_of(operand) != expected
    ]


def wrong_condition(ast: Node, text: str) -> list[ConditionIssue]:
    """The whole condition, when it is a number rather than a boolean."""
    return [] if ast.boolean else [_mismatch(ast, None, text)]


def _expected_operand_type(node: Node) -> str:
    return BOOLEAN if isinstance(node, (Not, And, Or)) else NUMBER


def _operator_name(node: Node) -> str:
    if isinstance(node, Neg):
        return "unary minus"
    if isinstance(node, (Arith, Compare)):
        return f"'{node.op}'"
    return type(node).__name__.upper()


def _mismatch(operand: Node, operator: str | None, text: str) -> ConditionIssue:
    quoted = _quote(text[operand.start : operand.end])
    if type_of(operand) == NUMBER:
        needs = f"{operator} needs" if operator else "a condition must be"
        return ConditionIssue(
            "condition.type",
            f"'{quoted}' is a number, but {needs} a comparison such as {quoted} > 0.",
            operand.start,
            hint=f"compare it with something, e.g. {quoted} > 0",
        )
    return ConditionIssue(
        "condition.type",
        f"'{quoted}' is a comparison, but {operator} needs "
        f"{'a number' if operator == 'unary minus' else 'a number on each side'}.",
        operand.start,
        hint="compare numbers or series, and join comparisons with AND or OR",
    )


def _quote(source: str, limit: int = 60) -> str:
    """The operand on one line (conditions may span several), shortened if long."""
    flat = " ".join(source.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
