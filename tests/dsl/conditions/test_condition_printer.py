from decimal import Decimal

import pytest

from trading_strategy.dsl.conditions import SeriesInfo, explain, normalize, parse

LABELS = {
    "rsi_14": SeriesInfo("rsi_14", "indicator", "RSI(14)", "oscillator", Decimal(0), Decimal(100)),
    "sma_50": SeriesInfo("sma_50", "indicator", "SMA(50)", "price", Decimal(0)),
}


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("((rsi_14 < 30))", "rsi_14 < 30"),
        ("not (a > 1 or b < 2)", "NOT (a > 1 OR b < 2)"),
        ("a>1   and\n b<2", "a > 1 AND b < 2"),
        ("(a > 1 AND b > 1) OR c > 1", "a > 1 AND b > 1 OR c > 1"),
        ("a > 1 AND (b > 1 OR c > 1)", "a > 1 AND (b > 1 OR c > 1)"),
        ("(a - b) - c > 0", "a - b - c > 0"),
        ("a - (b - c) > 0", "a - (b - c) > 0"),
        ("a + (b * c) > 0", "a + b * c > 0"),
        ("(a + b) * c > 0", "(a + b) * c > 0"),
        ("a / (b / c) > 0", "a / (b / c) > 0"),
        ("- (x) > -(a + 1)", "-x > -(a + 1)"),
        ("(a < b) < c", "(a < b) < c"),
        ("NOT (NOT a > 1)", "NOT NOT a > 1"),
        ("close[0] > close[1]", "close > close[1]"),
        ("x > 0.0000001", "x > 0.0000001"),
        ("x > 1.50", "x > 1.50"),
    ],
)
def test_it_normalizes_keywords_spacing_and_parentheses(text, canonical):
    assert normalize(parse(text).ast) == canonical


@pytest.mark.parametrize(
    "text, words",
    [
        ("rsi_14 < 30 AND close > sma_50", "RSI(14) is below 30 and the close is above SMA(50)"),
        ("(close - open) / open > 0.01", "(the close minus the open) divided by the open is above 0.01"),
        (
            "close > close[1] AND close[1] > close[2]",
            "the close is above the close 1 bar ago and the close 1 bar ago is above the close 2 bars ago",
        ),
        ("NOT rsi_14 >= 70", "not (RSI(14) is at least 70)"),
        (
            "rsi_14 <= 30 OR rsi_14 == 50 OR rsi_14 != 60",
            "either RSI(14) is at most 30, RSI(14) equals 50 or RSI(14) does not equal 60",
        ),
        ("a > 1 OR b > 1 AND c > 1", "either a is above 1 or (b is above 1 and c is above 1)"),
        ("-close < -(open * 2)", "minus the close is below minus (the open times 2)"),
        ("x > -5", "x is above -5"),
    ],
)
def test_it_explains_conditions_in_plain_english(text, words):
    assert explain(parse(text).ast, LABELS) == words


def test_it_falls_back_to_the_name_of_a_series_without_a_label():
    assert explain(parse("foo > 1").ast, {}) == "foo is above 1"


def test_it_prints_a_thousand_term_sum_without_recursion_trouble():
    text = "+".join(["1"] * 999) + ">1"
    ast = parse(text).ast
    assert normalize(ast).startswith("1 + 1 + 1")
    assert explain(ast, {}).endswith("plus 1 is above 1")
