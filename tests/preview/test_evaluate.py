"""Conditions over arrays (PREVIEW.md §3): three-valued logic, missing values from
arithmetic and division by zero, and lookbacks as shifts by bars, not by time."""

from __future__ import annotations

import numpy as np
import pytest

from trading_strategy.preview.evaluate import Evaluation

from .preview_helpers import DAY, START, bars, preview, strategy, valid

NAN = float("nan")


def truth(condition: str, **series: list[float]) -> list[str]:
    """T, F or U (unknown) on each bar, the OHLCV names holding the given values."""
    tree = valid(strategy(condition)).analysis["conditions"]["entry"][0].ast
    size = len(next(iter(series.values())))
    arrays = {name: np.array(values, dtype=np.float64) for name, values in series.items()}

    def fetch(name: str, lookback: int) -> np.ndarray:
        assert lookback == 0
        return arrays[name]

    result = Evaluation(fetch, size).truth(tree)
    assert not (result.true & result.false).any()
    return ["T" if t else "F" if f else "U" for t, f in zip(result.true, result.false, strict=True)]


# Each pair of truths: close > 0 is T, F, U and open > 0 is T, F, U, in every combination.
CLOSE = [1, 1, 1, -1, -1, -1, NAN, NAN, NAN]
OPEN = [1, -1, NAN] * 3


def test_and_is_false_when_any_side_is_false_even_beside_an_unknown():
    got = truth("close > 0 AND open > 0", close=CLOSE, open=OPEN)
    assert got == ["T", "F", "U", "F", "F", "F", "U", "F", "U"]


def test_or_is_true_when_any_side_is_true_even_beside_an_unknown():
    got = truth("close > 0 OR open > 0", close=CLOSE, open=OPEN)
    assert got == ["T", "T", "T", "T", "F", "U", "T", "U", "U"]


def test_not_of_an_unknown_is_unknown():
    assert truth("NOT close > 0", close=[1, -1, NAN]) == ["F", "T", "U"]


@pytest.mark.parametrize(
    ("operator", "expected"),
    [("!=", ["T", "F", "U", "U", "U"]), ("==", ["F", "T", "U", "U", "U"]), ("<", ["T", "F", "U", "U", "U"])],
)
def test_a_comparison_with_a_missing_operand_is_unknown(operator, expected):
    got = truth(f"close {operator} open", close=[1, 2, NAN, 1, NAN], open=[2, 2, 2, NAN, NAN])
    assert got == expected


def test_a_division_by_zero_is_missing_whatever_the_numerator():
    close, open_ = [1, -1, 0, 1, 4, NAN], [0, 0, 0, -0.0, 2, 2]
    assert truth("close / open > 0", close=close, open=open_) == ["U", "U", "U", "U", "T", "U"]
    assert truth("NOT close / open > 0", close=close, open=open_) == ["U", "U", "U", "U", "F", "U"]


def test_arithmetic_on_a_missing_value_is_missing():
    close, open_ = [NAN, 1, 2], [1, NAN, 2]
    assert truth("close + open > 0", close=close, open=open_) == ["U", "U", "T"]
    assert truth("close * 0 == 0", close=close, open=open_) == ["U", "T", "T"]
    assert truth("-close < 0", close=close, open=open_) == ["U", "T", "T"]
    assert truth("(close - open) * 2 >= 0", close=close, open=open_) == ["U", "U", "T"]


def test_an_entry_fires_only_where_it_is_true():
    # sma_3 has no value on the first two bars; close > open on every bar.
    rows = [(1, 3, 1, 2, 1), (2, 4, 2, 3, 1), (3, 5, 3, 4, 1), (4, 6, 4, 5, 1)]
    sma = [("sma", "sma_3", {"period": 3})]

    def entries(condition):
        return preview(strategy(condition, indicators=sma), bars(rows)).entries.tolist()

    assert entries("NOT (close < open AND sma_3 > 1000000)") == [True, True, True, True]
    assert entries("close > open OR sma_3 > 1000000") == [True, True, True, True]
    assert entries("NOT sma_3 > 1000000") == [False, False, True, True]
    assert entries("sma_3 != 1000000") == [False, False, True, True]


def test_a_lookback_counts_bars_across_a_gap_in_time():
    times = [START, START + 3_600, START + 5 * DAY, START + 5 * DAY + 3_600, START + 9 * DAY]
    rows = [(c, c, c, c, 1) for c in (1, 5, 2, 6, 1)]
    result = preview(strategy("close > close[2]"), bars(rows, times))
    assert result.entries.tolist() == [False, False, True, True, False]
    (clause,) = [c for c in result.clauses if c.role == "entry"]
    # The first two bars cannot be judged: neither true nor false.
    assert (clause.true_bars, clause.false_bars) == (2, 1)


def test_an_indicator_read_with_a_lookback_is_its_value_that_many_bars_before():
    rows = [(c, c, c, c, 1) for c in (1, 3, 5, 4, 2, 6)]
    sma = [("sma", "sma_2", {"period": 2})]
    # sma_2: -, 2, 4, 4.5, 3, 4; read one bar later it is -, -, 2, 4, 4.5, 3.
    result = preview(strategy("close > sma_2[1]", indicators=sma), bars(rows))
    assert result.entries.tolist() == [False, False, True, False, False, True]
    assert result.warmup_bars == 2


def test_a_lookback_beyond_the_data_is_never_known():
    rows = [(c, c, c, c, 1) for c in (1, 2, 3)]
    result = preview(strategy("close > close[10]"), bars(rows))
    assert not result.entries.any()
    (clause,) = [c for c in result.clauses if c.role == "entry"]
    assert (clause.true_bars, clause.false_bars) == (0, 0)


def test_each_comparison_is_counted_as_written_even_under_not():
    rows = [(1, 2, 1, 2, 50), (2, 3, 2, 3, 200), (3, 3, 2, 2, 300), (2, 4, 2, 4, 10)]
    result = preview(strategy("NOT close < open AND volume > 100"), bars(rows))
    entry = {c.text: c for c in result.clauses if c.role == "entry"}
    assert list(entry) == ["close < open", "volume > 100"]
    assert entry["close < open"].true_bars == 1
    assert entry["volume > 100"].true_bars == 2
    assert result.entries.tolist() == [False, True, False, False]


def test_an_entry_that_never_fires_counts_each_clause_false_while_the_others_held():
    rows = [(1, 2, 1, 2, 50), (1, 2, 1, 2, 60), (2, 2, 1, 1, 500), (1, 1, 1, 1, 10)]
    result = preview(strategy("close > open AND volume > 100"), bars(rows))
    assert not result.entries.any()
    entry = {c.text: (c.false_while_rest_held, c.rest_held) for c in result.clauses if c.role == "entry"}
    # The volume blocks it on the two bars where the candle was up.
    assert entry == {"close > open": (1, 1), "volume > 100": (2, 2)}
