"""Comparisons and AND/OR chains that can never, or always, be true (DSL.md §6).

Each boolean part of a condition gets a `Verdict`: whether it is never, always or maybe
true, and what it says about single quantities. A quantity is a series at a lookback
(`rsi_14[1]`), whose values lie in its known bounds (RSI in 0..100, a price at least 0),
or the difference of two such series (`close > sma_50` is `close - sma_50 > 0`, with no
bounds). Only comparisons of a quantity with a constant say anything: arithmetic is not
reasoned about unless it is constant, so `(close - open) / open > 0.01` stays "maybe".

A verdict keeps two maps from quantity to an `IntervalSet`:
- `necessary`: when the part is true, the quantity lies in the set;
- `sufficient`: when the quantity lies in the set, the part is true.
For a comparison they are the same set. AND intersects necessary sets, OR unites
sufficient ones, NOT swaps the two maps and complements them; both stay sound when a
chain mixes quantities. A part is never true when a necessary set is empty, and always
true when a sufficient set covers the quantity's bounds.

One warning per root cause: a comparison is reported itself; a chain only when its
verdict is new, not inherited from an operand (an AND holding a never-true operand is
never true because of that operand, already reported); NOT only inherits. A comparison is
reported at its operator; a chain at the operand that completes the contradiction
(`rsi_14 < 30 AND rsi_14 > 70` at `rsi_14 > 70`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Literal, NamedTuple

from ..conditions import And, Compare, Node, Or, fold
from .intervals import IntervalSet
from .terms import FLIPPED, Finding, Form, Terms, operator_offset, quote

NEVER, ALWAYS, MAYBE = "never", "always", "maybe"
# What `x <op> x` always gives: the comparison of a value with itself.
_REFLEXIVE = {"<": NEVER, ">": NEVER, "!=": NEVER, "<=": ALWAYS, ">=": ALWAYS, "==": ALWAYS}
_NOTHING: Mapping[Form, IntervalSet] = MappingProxyType({})
_ZERO = Decimal(0)


class Verdict(NamedTuple):
    """Immutable, maps included (never changed once made); a named tuple, built fastest."""

    status: str
    # quantity (a series form, or ("difference", form, form)) -> the values it may take
    necessary: Mapping[Form, IntervalSet] = _NOTHING
    sufficient: Mapping[Form, IntervalSet] = _NOTHING


_NEVER = Verdict(NEVER)
_ALWAYS = Verdict(ALWAYS)
_MAYBE = Verdict(MAYBE)


class Bounds:
    """Judges the conditions of one document; `findings` collects what it reports."""

    def __init__(self, terms: Terms, text: str) -> None:
        self.terms = terms
        self.text = text
        self.findings: list[Finding] = []
        # Every comparison judged, left to right.
        self.comparisons: list[Compare] = []

    def judge(self, root: Node) -> Verdict:
        # Every part is numbered in one pass first, so each comparison below looks up its
        # operands' forms instead of folding them again.
        self.terms.canonical(root)
        # Bottom-up without recursion over the boolean parts only: a comparison is judged
        # from its operands' forms, so the fold does not go below it.
        return fold(root, self._combine, leaves=(Compare,))

    def constraint(self, compare: Compare) -> tuple[Form, IntervalSet] | None:
        """The quantity a comparison constrains and the values it allows, if any."""
        return self._constraint(
            self.terms.form_of(compare.left), compare.op, self.terms.form_of(compare.right)
        )

    def _constraint(self, left: Form, op: str, right: Form) -> tuple[Form, IntervalSet] | None:
        """Takes the forms of the operands (`Terms.form`)."""
        if left[0] == "number" and right[0] != "number":
            left, right, op = right, left, FLIPPED[op]
        if left[0] == "series" and right[0] == "number":
            return left, self.domain(left) & IntervalSet.satisfying(op, right[1])
        if left[0] == right[0] == "series" and left != right:
            if right < left:
                left, right, op = right, left, FLIPPED[op]
            return ("difference", left, right), IntervalSet.satisfying(op, _ZERO)
        return None

    def domain(self, quantity: Form) -> IntervalSet:
        return self.terms.domain(quantity)

    def _combine(self, node: Node, verdicts: list[Verdict]) -> Verdict:
        # The node classes are final: no subclass to miss. Only the parts of a
        # type-checked condition reach here: comparisons (their operands are not folded)
        # and the OR, AND and NOT above them, so what is none of the first three is a NOT.
        if type(node) is Compare:
            return self._compare(node)
        if type(node) is Or:
            return self._or(node, verdicts)
        if type(node) is And:
            return self._and(node, verdicts)
        return self._not(verdicts[0])

    def _compare(self, node: Compare) -> Verdict:
        self.comparisons.append(node)
        left = self.terms.form_of(node.left)
        right = self.terms.form_of(node.right)
        if left == right and left[0] != "number":
            self.findings.append(
                Finding(
                    "logic.self_comparison",
                    f"'{quote(self.text, node)}' compares a value with itself, so it is "
                    f"{'always' if _REFLEXIVE[node.op] == ALWAYS else 'never'} true",
                    operator_offset(self.text, node),
                    "compare with an earlier bar, e.g. close > close[1]",
                )
            )
            return Verdict(_REFLEXIVE[node.op])
        if left[0] == right[0] == "number":
            holds = IntervalSet.between(left[1], left[1]).within(IntervalSet.satisfying(node.op, right[1]))
            return self._constant_result(node, ALWAYS if holds else NEVER)
        constraint = self._constraint(left, node.op, right)
        if constraint is None:
            return _MAYBE
        quantity, allowed = constraint
        if allowed.is_empty():
            return self._constant_result(node, NEVER)
        if self.domain(quantity).within(allowed):
            return self._constant_result(node, ALWAYS)
        known = {quantity: allowed}
        return Verdict(MAYBE, known, known)

    def _constant_result(self, node: Compare, status: str) -> Verdict:
        at = operator_offset(self.text, node)
        text = quote(self.text, node)
        if status == NEVER:
            self.findings.append(
                Finding(
                    "logic.unsatisfiable",
                    f"'{text}' can never be true given the known bounds",
                    at,
                    "check the constant and the direction of the comparison",
                )
            )
        else:
            self.findings.append(
                Finding(
                    "logic.always_true",
                    f"'{text}' is always true given the known bounds",
                    at,
                    "remove it, or check the constant and the direction of the comparison",
                )
            )
        return Verdict(status)

    def _not(self, inner: Verdict) -> Verdict:
        status = {NEVER: ALWAYS, ALWAYS: NEVER, MAYBE: MAYBE}[inner.status]
        # Contrapositive: if x in S makes the operand true, the NOT being true means
        # x is outside S; and the other way round.
        return Verdict(
            status,
            {q: self.domain(q) & s.complement() for q, s in inner.sufficient.items()},
            {q: self.domain(q) & s.complement() for q, s in inner.necessary.items()},
        )

    def _and(self, node: And, verdicts: list[Verdict]) -> Verdict:
        if NEVER in [v.status for v in verdicts]:
            return _NEVER
        live = [v for v in verdicts if v.status != ALWAYS]
        if not live:
            return _ALWAYS
        necessary: dict[Form, IntervalSet] = {}
        for operand, verdict in zip(node.operands, verdicts, strict=True):
            for quantity, allowed in verdict.necessary.items():
                # A quantity's first set is taken as it is: intersecting it with itself
                # would only build an equal copy.
                known = necessary.get(quantity)
                necessary[quantity] = allowed if known is None else known & allowed
                if necessary[quantity].is_empty():
                    self._chain_finding(
                        "logic.unsatisfiable", node, operand, "contradicts the conditions before it"
                    )
                    return _NEVER
        return Verdict(MAYBE, necessary, _combined(live, "sufficient", IntervalSet.__and__))

    def _or(self, node: Or, verdicts: list[Verdict]) -> Verdict:
        if ALWAYS in [v.status for v in verdicts]:
            return _ALWAYS
        live = [v for v in verdicts if v.status != NEVER]
        if not live:
            return _NEVER
        sufficient: dict[Form, IntervalSet] = {}
        domain = self.terms.domain
        for operand, verdict in zip(node.operands, verdicts, strict=True):
            for quantity, allowed in verdict.sufficient.items():
                known = sufficient.get(quantity)  # as in `_and`
                sufficient[quantity] = allowed if known is None else known | allowed
                if domain(quantity).within(sufficient[quantity]):
                    self._chain_finding(
                        "logic.always_true",
                        node,
                        operand,
                        "with the alternatives before it covers every value",
                    )
                    return _ALWAYS
        return Verdict(MAYBE, _combined(live, "necessary", IntervalSet.__or__), sufficient)

    def _chain_finding(self, code: str, chain: Node, operand: Node, why: str) -> None:
        keyword = "AND" if isinstance(chain, And) else "OR"
        outcome = "can never be true" if code == "logic.unsatisfiable" else "is always true"
        self.findings.append(
            Finding(
                code,
                f"this {keyword} chain {outcome}: '{quote(self.text, operand)}' {why}",
                operand.start,
                "check the constants and the directions of the comparisons",
            )
        )


def _combined(
    verdicts: list[Verdict],
    which: Literal["necessary", "sufficient"],
    merge: Callable[[IntervalSet, IntervalSet], IntervalSet],
) -> dict[Form, IntervalSet]:
    """Sets known for every one of `verdicts`, merged: a quantity one of them says
    nothing about stays unknown for the whole chain."""
    maps: list[Mapping[Form, IntervalSet]] = [getattr(verdict, which) for verdict in verdicts]
    if not all(maps):
        return {}
    shared = set(maps[0]).intersection(*maps[1:])
    result: dict[Form, IntervalSet] = {}
    for quantity in shared:
        merged = maps[0][quantity]
        for other in maps[1:]:
            merged = merge(merged, other[quantity])
        result[quantity] = merged
    return result
