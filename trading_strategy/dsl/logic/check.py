"""Logic checks across conditions and indicators (DSL.md §6), as warnings.

Run only when every condition parsed and checked cleanly, so each tree is complete and
every name in it is defined, or belongs to a broken indicator (reported on its own, and
missing from `names`: such a series has no known scale or bounds). The checks live in
`bounds` (never/always true, self-comparisons) and `equivalence` (exit or stop against the
entry); scales and unused indicators are checked here.
"""
from __future__ import annotations

from ..conditions import Compare, Series
from ..rules.context import Context
from ..rules.indicators import ResolvedIndicator
from .bounds import Bounds
from .equivalence import check_against_entry
from .terms import Finding, Terms, operator_offset, quote

_KEYS = {"entry": "entry_conditions", "exit": "exit_conditions", "stop": "stop_conditions"}
# Scales whose values cannot meaningfully be compared with another scale's: a price with
# an RSI, a volume with a price. Non-negative and unbounded series (ATR, MACD, momentum)
# are often in price units or near them, so comparing them is left alone.
_DISTINCT_SCALES = ("price", "volume", "oscillator")


def check_logic(ctx: Context, checked: dict, indicators: list[ResolvedIndicator], names):
    """`checked` maps a role to (CheckedCondition, its node); every condition parsed."""
    _check_unused(ctx, checked, indicators)
    terms = Terms(names, indicators)
    verdicts = {}
    for role, (result, node) in checked.items():
        bounds = Bounds(terms, node.value)
        verdicts[role] = bounds.judge(result.ast)
        _report(ctx, role, node, bounds.findings + _scale_mismatches(
            terms, bounds.comparisons, node.value))
    entry = checked["entry"][0].ast
    for role in ("exit", "stop"):
        result, node = checked[role]
        _report(ctx, role, node, check_against_entry(
            terms, entry, verdicts["entry"], role, result.ast, node.value))


def _report(ctx: Context, role: str, node, findings: list[Finding]):
    for finding in findings:
        ctx.warn(finding.code, finding.message, node.position_of(finding.offset),
                 (_KEYS[role],), finding.hint)


def _scale_mismatches(terms: Terms, comparisons: list[Compare], text: str) -> list[Finding]:
    """`comparisons`: every comparison of one condition, left to right."""
    findings = []
    for compare in comparisons:
        if not (isinstance(compare.left, Series) and isinstance(compare.right, Series)):
            continue
        left, right = terms.info(compare.left), terms.info(compare.right)
        if _mismatched(left, right):
            findings.append(Finding(
                "logic.scale_mismatch",
                f"'{quote(text, compare)}' compares {left.label}, on the {left.scale} "
                f"scale, with {right.label}, on the {right.scale} scale",
                operator_offset(text, compare),
                "compare series on the same scale, e.g. an oscillator with a constant "
                "level or a price with a moving average"))
    return findings


def _mismatched(left, right) -> bool:
    # An invalid indicator has no scale: it has its own error, and conditions naming it
    # are checked without it (see `resolve`).
    if left is None or right is None:
        return False
    if left.scale not in _DISTINCT_SCALES or right.scale not in _DISTINCT_SCALES:
        return False
    if left.scale != right.scale:
        return True
    # Oscillators sharing their bounds (RSI, MFI and stochastic in 0..100) may be
    # compared, as %K with %D usually is; different bounds (RSI with Williams %R in
    # -100..0) cannot.
    return left.scale == "oscillator" and (left.low, left.high) != (right.low, right.high)


def _check_unused(ctx, checked, indicators):
    used = {name for result, _ in checked.values() for name in result.names_used}
    for indicator in indicators:
        if indicator.name in used or used.intersection(indicator.output_names):
            continue
        ctx.warn("logic.unused_indicator",
                 f"indicator '{indicator.name}' is not used by any condition",
                 indicator.name_pos, ("indicators", indicator.index, "name"),
                 f"use {indicator.name} in a condition or remove it")
