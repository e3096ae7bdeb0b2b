"""What the logic checks share: canonical forms of condition parts, and findings.

Two parts of conditions mean the same when their canonical forms are equal. The
canonical form drops what the writer may vary without changing the meaning (DSL.md §6):
parentheses (the tree has none), the side a comparison is written from (`a > b` is
`b < a`), the order of AND/OR operands, `x[0]` for `x`, a bare multi-output name for its
first output (`macd_12` is `macd_12_macd`), and how a constant is spelt (`-5`, `30.0`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any

from ..conditions import (
    And,
    Arith,
    Compare,
    Neg,
    Node,
    Not,
    Number,
    Or,
    Series,
    SeriesInfo,
    fold,
)
from ..rules.indicators import ResolvedIndicator
from .intervals import IntervalSet

# `a > b` is written as `b < a`, so only `<`, `<=`, `==` and `!=` remain.
_MIRRORED = {">": "<", ">=": "<="}
# The operator that holds when the operands of a comparison trade places.
FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}

# A canonical form, one level deep (its operands are the numbers of their own forms):
# ("series", name, lookback), ("number", Decimal), ("neg", term),
# ("arith", op, term, term), ("compare", op, term, term),
# ("compare", "==" or "!=", frozenset of terms), ("not", term), ("And" or "Or",
# frozenset of terms). A quantity of the bounds checks is a series form, or
# ("difference", form, form). Read by its first item, so the rest is not typed further.
Form = tuple[Any, ...]


@dataclass(frozen=True)
class Finding:
    """A warning about a condition, at an offset inside its text."""

    code: str
    message: str
    offset: int
    hint: str | None = None


class Terms:
    """Canonical names and forms for the series of one document."""

    def __init__(self, names: Mapping[str, SeriesInfo], indicators: list[ResolvedIndicator]) -> None:
        self.names = names
        self.first_output = {
            indicator.name: indicator.output_names[0] for indicator in indicators if indicator.spec.outputs
        }
        self._forms: list[Form] = []
        self._ids: dict[Form, int] = {}
        # The number of every part folded so far, by node identity: each check asks about
        # the same parts again (a comparison's operands, the entry's AND terms), and a
        # look-up is far cheaper than folding the part anew. `_folded` keeps the trees
        # alive, so no id is reused by another node while this object exists.
        self._numbered: dict[int, int] = {}
        self._folded: list[Node] = []
        self._domains: dict[Form, IntervalSet] = {}

    def name(self, name: str) -> str:
        return self.first_output.get(name, name)

    def info(self, series: Series) -> SeriesInfo | None:
        return self.names.get(self.name(series.name))

    def canonical(self, root: Node) -> int:
        """A number, equal for parts that differ only as the module docstring says.

        Built bottom-up with `fold`, and each distinct form is numbered once: an
        arithmetic chain can be a thousand levels deep, too deep to recurse into, and a
        nested tuple that deep could not even be compared with `==`.
        """
        term = self._numbered.get(id(root))
        if term is None:
            self._folded.append(root)
            term = fold(root, self._combine)
        return term

    def domain(self, quantity: Form) -> IntervalSet:
        """The values a quantity can take: a series' known bounds, else every number."""
        domain = self._domains.get(quantity)
        if domain is None:
            info = self.names.get(quantity[1]) if quantity[0] == "series" else None
            low, high = (info.low, info.high) if info is not None else (None, None)
            domain = self._domains[quantity] = IntervalSet.between(low, high)
        return domain

    def form(self, term: int) -> Form:
        """The shallow form numbered `term`: its operands are numbers in turn."""
        return self._forms[term]

    def form_of(self, node: Node) -> Form:
        """`form(canonical(node))`."""
        term = self._numbered.get(id(node))
        return self._forms[self.canonical(node) if term is None else term]

    def _combine(self, node: Node, args: list[int]) -> int:
        """Numbers `node`'s form, which is new or equal to one numbered before."""
        # The node classes are final: no subclass to miss. Series, most of the nodes, are
        # formed here without a call of our own.
        form: Form
        if type(node) is Series:
            form = ("series", self.first_output.get(node.name, node.name), node.lookback)
        else:
            form = self._form_of(node, args)
        term = self._ids.get(form)
        if term is None:
            term = self._ids[form] = len(self._forms)
            self._forms.append(form)
        self._numbered[id(node)] = term
        return term

    def _form_of(self, node: Node, args: list[int]) -> Form:
        if type(node) is Number:
            return ("number", node.value)
        if isinstance(node, (Neg, Arith)):
            value = _constant(node, [self._forms[arg] for arg in args])
            if value is not None:
                return ("number", value)
            return ("neg", args[0]) if isinstance(node, Neg) else ("arith", node.op, *args)
        if isinstance(node, Compare):
            left, right = args
            if node.op in _MIRRORED:
                return ("compare", _MIRRORED[node.op], right, left)
            if node.op in ("==", "!="):
                return ("compare", node.op, frozenset(args))
            return ("compare", node.op, left, right)
        if isinstance(node, Not):
            return ("not", args[0])
        return (type(node).__name__, frozenset(args))


def _constant(node: Neg | Arith, args: list[Form]) -> Decimal | None:
    """The value of `node` when the forms of its operands are constants already folded."""
    if any(arg[0] != "number" for arg in args):
        return None
    if isinstance(node, Neg):
        operand: Decimal = args[0][1]
        return -operand
    left: Decimal = args[0][1]
    right: Decimal = args[1][1]
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    try:
        return left / right
    except (DivisionByZero, InvalidOperation):
        return None


def operator_offset(text: str, compare: Compare) -> int:
    """Where the comparison operator of `compare` is written: only white space and the
    closing parentheses of the left operand separate it from that operand's end."""
    offset = compare.left.end
    while text[offset] not in "<>=!":
        offset += 1
    return offset


def quote(text: str, node: Node) -> str:
    return text[node.start : node.end]


def comparisons_of(node: Node) -> tuple[Node, ...]:
    """The operands of a top-level AND, or the node itself: a conjunction's terms."""
    return node.operands if isinstance(node, And) else (node,)


def branches_of(node: Node) -> tuple[Node, ...]:
    """The operands of a top-level OR, or the node itself."""
    return node.operands if isinstance(node, Or) else (node,)
