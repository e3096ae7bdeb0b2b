"""Soundness of the logic checks' bounds reasoning: a verdict of never or always true
agrees with evaluating the condition at every value that matters."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from trading_strategy.dsl.conditions import (
    COMPARE_OPS,
    And,
    Compare,
    Not,
    Number,
    Series,
    SeriesInfo,
    fold,
    parse,
)
from trading_strategy.dsl.logic.bounds import ALWAYS, NEVER, Bounds
from trading_strategy.dsl.logic.terms import FLIPPED, Terms

RSI = {"rsi_14": SeriesInfo("rsi_14", "indicator", "RSI(14)", "oscillator", Decimal(0), Decimal(100))}
CONSTANTS = ("0", "30", "70", "100")
# Every constant and a point between (and beyond) each pair: between two neighbouring
# constants every value gives the same result, so these cover all cases.
GRID = [Decimal(v) for v in ("0", "15", "30", "50", "70", "85", "100")]
SIDES = ("rsi_14", "rsi_14[1]")

comparisons = st.builds(
    lambda side, op, constant, mirrored: (
        f"{constant} {FLIPPED[op]} {side}" if mirrored else f"{side} {op} {constant}"
    ),
    st.sampled_from(SIDES),
    st.sampled_from(COMPARE_OPS),
    st.sampled_from(CONSTANTS),
    st.booleans(),
)


def chained(inner, keyword):
    return st.lists(inner, min_size=2, max_size=3).map(
        lambda parts: f" {keyword} ".join(f"({part})" for part in parts)
    )


conditions = st.recursive(
    comparisons,
    lambda inner: st.one_of(
        inner.map(lambda text: f"NOT ({text})"),
        chained(inner, "AND"),
        chained(inner, "OR"),
    ),
    max_leaves=6,
)


def evaluate(ast, now, before):
    def combine(node, args):
        if isinstance(node, Number):
            return node.value
        if isinstance(node, Series):
            return before if node.lookback else now
        if isinstance(node, Compare):
            left, right = args
            return {
                "<": left < right,
                "<=": left <= right,
                ">": left > right,
                ">=": left >= right,
                "==": left == right,
                "!=": left != right,
            }[node.op]
        if isinstance(node, Not):
            return not args[0]
        return all(args) if isinstance(node, And) else any(args)

    return fold(ast, combine)


@settings(max_examples=400, deadline=None)
@given(conditions)
def test_a_never_or_always_verdict_agrees_with_every_value_in_the_bounds(text):
    ast = parse(text).ast
    verdict = Bounds(Terms(RSI, []), text).judge(ast)
    results = {evaluate(ast, now, before) for now in GRID for before in GRID}
    if verdict.status == NEVER:
        assert results == {False}
    if verdict.status == ALWAYS:
        assert results == {True}
