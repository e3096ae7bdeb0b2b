"""Logic checks across conditions and indicators (DSL.md §6), as warnings.

Run only when every condition parsed and checked cleanly, so each tree is complete and
every name in it is defined, or belongs to a broken indicator (reported on its own, and
missing from `names`: such a series has no known scale or bounds). The checks live in
`bounds` (never/always true, self-comparisons) and `equivalence` (exit or stop against the
entry); scales and unused indicators are checked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from .. import nodes
from ..conditions import CheckedCondition, Compare, Node, Series, SeriesInfo
from ..rules.context import Context
from ..rules.indicators import ResolvedIndicator
from .bounds import Bounds, Verdict
from .equivalence import check_against_entry
from .terms import Finding, Terms, operator_offset, quote

_KEYS = {"entry": "entry_conditions", "exit": "exit_conditions", "stop": "stop_conditions"}
# Scales whose values cannot meaningfully be compared with another scale's: a price with
# an RSI, a volume with a price. Non-negative and unbounded series (ATR, MACD, momentum)
# are often in price units or near them, so comparing them is left alone.
_DISTINCT_SCALES = ("price", "volume", "oscillator")


def check_logic(
    ctx: Context,
    checked: Mapping[str, tuple[CheckedCondition, nodes.Node]],
    indicators: list[ResolvedIndicator],
    names: Mapping[str, SeriesInfo],
) -> None:
    """`checked` maps a role to (CheckedCondition, its node); every condition parsed."""
    _check_unused(ctx, checked, indicators)
    terms = Terms(names, indicators)
    trees: dict[str, Node] = {}
    verdicts: dict[str, Verdict] = {}
    for role, (result, node) in checked.items():
        # Every condition parsed (see above), so each one has its tree.
        trees[role] = tree = cast(Node, result.ast)
        bounds = Bounds(terms, node.value)
        verdicts[role] = bounds.judge(tree)
        _report(ctx, role, node, bounds.findings + _scale_mismatches(terms, bounds.comparisons, node.value))
    for role in ("exit", "stop"):
        node = checked[role][1]
        _report(
            ctx,
            role,
            node,
            check_against_entry(terms, trees["entry"], verdicts["entry"], role, trees[role], node.value),
        )


def _report(ctx: Context, role: str, node: nodes.Node, findings: list[Finding]) -> None:
    for finding in findings:
        ctx.warn(
            finding.code, finding.message, node.position_of(finding.offset), (_KEYS[role],), finding.hint
        )


def _scale_mismatches(terms: Terms, comparisons: list[Compare], text: str) -> list[Finding]:
    """`comparisons`: every comparison of one condition, left to right."""
    findings = []
    for compare in comparisons:
        if not (isinstance(compare.left, Series) and isinstance(compare.right, Series)):
            continue
        left, right = terms.info(compare.left), terms.info(compare.right)
        # An invalid indicator has no scale: it has its own error, and conditions naming
        # it are checked without it (see `resolve`).
        if left is not None and right is not None and _mismatched(left, right):
            findings.append(
                Finding(
                    "logic.scale_mismatch",
                    f"'{quote(text, compare)}' compares {left.label}, on the {left.scale} "
                    f"scale, with {right.label}, on the {right.scale} scale",
                    operator_offset(text, compare),
                    "compare series on the same scale, e.g. an oscillator with a constant "
                    "level or a price with a moving average",
                )
            )
    return findings


def _mismatched(left: SeriesInfo, right: SeriesInfo) -> bool:
    if left.scale not in _DISTINCT_SCALES or right.scale not in _DISTINCT_SCALES:
        return False
    if left.scale != right.scale:
        return True
    # Oscillators sharing their bounds (RSI, MFI and stochastic in 0..100) may be
    # compared, as %K with %D usually is; different bounds (RSI with Williams %R in
    # -100..0) cannot.
    return left.scale == "oscillator" and (left.low, left.high) != (right.low, right.high)


def _check_unused(
    ctx: Context,
    checked: Mapping[str, tuple[CheckedCondition, nodes.Node]],
    indicators: list[ResolvedIndicator],
) -> None:
    used = {name for result, _ in checked.values() for name in result.names_used}
    for indicator in indicators:
        if indicator.name in used or used.intersection(indicator.output_names):
            continue
        ctx.warn(
            "logic.unused_indicator",
            f"indicator '{indicator.name}' is not used by any condition",
            indicator.name_pos,
            ("indicators", indicator.index, "name"),
            f"use {indicator.name} in a condition or remove it",
        )
