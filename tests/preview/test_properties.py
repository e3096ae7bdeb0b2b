"""Properties of the whole preview (PREVIEW.md §2-§5) on many datasets: nothing looks
ahead, nothing fires before the warm-up, and no valid strategy on valid bars raises."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trading_strategy.dsl import summarize
from trading_strategy.preview.bars import Bars
from trading_strategy.preview.engine import Preview, run_preview

from .preview_helpers import HOUR, START, random_bars, strategy, valid

# Each property runs for every strategy below, so fewer examples each.
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))
# Trades often, with every exit rule in play: intrabar stop-loss and take-profit,
# position variables, both halts, risk-based sizing. Its entry, an AND chain like every
# example's, reads the series of the longest warm-up.
BUSY = strategy(
    "close > open AND rsi_3 < 70 AND sma_5[2] < close",
    exit="unrealized_pnl_pct > 0.01 OR position_age >= 3",
    stop="drawdown > 0.02 OR close < sma_5",
    indicators=[("rsi", "rsi_3", {"period": 3}), ("sma", "sma_5", {"period": 5})],
    sizing={"type": "risk_based", "risk_per_trade": 0.02, "max_position_size": 0.8},
    risk={
        "max_daily_loss": 0.03,
        "max_drawdown": 0.15,
        "stop_loss_percentage": 0.02,
        "take_profit_percentage": 0.03,
    },
)
# Fully invested for five bars at a time: the day's loss and the drawdown halts close
# positions.
HALTING = strategy(
    "close > open",
    exit="position_age >= 5",
    sizing={"type": "percentage", "percentage_of_capital": 1.0},
    risk={"max_daily_loss": 0.02, "max_drawdown": 0.1},
)
REPORTS = [
    pytest.param(valid(text), id=name)
    for name, text in [(path.name, path.read_text("utf-8")) for path in EXAMPLES]
    + [("busy", BUSY), ("halting", HALTING)]
]


def cut(data: Bars, end: int) -> Bars:
    return Bars.from_columns(*(column[:end] for column in (data.time, *data.columns())))


def trade_rows(result: Preview) -> list[tuple]:
    return [
        (t.entry_bar, t.entry_price, t.exit_bar, t.exit_price, t.quantity, t.reason, t.pnl, t.fees)
        for t in result.walk.trades
    ]


def clause_counts(result: Preview) -> list[tuple]:
    return [
        (c.role, c.text, c.true_bars, c.false_bars, c.false_while_rest_held, c.rest_held)
        for c in result.clauses
    ]


@st.composite
def walks(draw, shortest=250, longest=600):
    """A random walk from a drawn seed, hourly or daily, sometimes with a gap."""
    count = draw(st.integers(shortest, longest))
    step = draw(st.sampled_from([HOUR, 86_400]))
    data = random_bars(count, seed=draw(st.integers(0, 2**32 - 1)), step=step)
    gap = draw(st.integers(1, count - 1))
    time = data.time + np.where(np.arange(count) >= gap, draw(st.integers(0, 5)) * step, 0)
    return Bars.from_columns(time, *data.columns())


@pytest.mark.parametrize("report", REPORTS)
@SETTINGS
@given(data=walks(), share=st.floats(0.05, 0.95))
def test_appending_bars_changes_nothing_before_them(data, report, share):
    end = max(1, int(len(data) * share))
    full = run_preview(report, data)
    shorter = run_preview(report, cut(data, end))
    ranged = run_preview(report, data, end=end)
    assert shorter.entries.tolist() == full.entries[:end].tolist()
    # A position still open at the cut closes there (reason end); every trade closed
    # before is the same with the later bars.
    closed = [row for row in trade_rows(shorter) if row[5] != "end"]
    assert closed == [row for row in trade_rows(full) if row[2] < end]
    for bars_of in (lambda result: result.walk.exit_bars, lambda result: result.walk.stop_bars):
        assert [bar for bar in bars_of(full) if bar < end] == bars_of(shorter)
    # A range computes the indicators on every bar and reports on its own: the same.
    assert trade_rows(ranged) == trade_rows(shorter)
    assert clause_counts(ranged) == clause_counts(shorter)
    assert ranged.warmup_bars == shorter.warmup_bars
    np.testing.assert_array_equal(ranged.walk.equity, shorter.walk.equity)
    np.testing.assert_array_equal(ranged.walk.held, shorter.walk.held)
    assert (ranged.walk.exit_bars, ranged.walk.stop_bars) == (shorter.walk.exit_bars, shorter.walk.stop_bars)


@pytest.mark.parametrize("report", REPORTS)
@SETTINGS
@given(data=walks())
def test_no_entry_fires_before_the_warm_up_test_syntax_reports(data, report):
    result = run_preview(report, data)
    assert result.warmup_bars == summarize(report)["warmup_bars"]
    assert not result.entries[: result.warmup_bars].any()
    assert all(trade.entry_bar > result.warmup_bars for trade in result.walk.trades)


@st.composite
def ohlcv(draw):
    """Any valid bars: prices and volumes from 0 up, flat bars, repeated values, gaps.
    Prices other than 0 stay above a millionth: at 1e-300 a position's quantity is beyond
    a float's range, a limit of floating point rather than of the preview."""
    count = draw(st.integers(1, 80))
    price = st.one_of(st.just(0.0), st.just(100.0), st.floats(1e-6, 1e6))
    rows = []
    for _ in range(count):
        open_, close = draw(price), draw(price)
        high = max(open_, close) + draw(st.sampled_from([0.0, 1.0, 0.5 * max(open_, close)]))
        low = max(0.0, min(open_, close) - draw(st.sampled_from([0.0, 1.0, 0.5 * min(open_, close)])))
        volume = draw(st.one_of(st.just(0.0), st.floats(0, 1e9, allow_nan=False, allow_infinity=False)))
        rows.append((open_, high, low, close, volume))
    steps = draw(st.lists(st.sampled_from([60, HOUR, 86_400, 7 * 86_400]), min_size=count, max_size=count))
    columns = np.array(rows).T
    return Bars.from_columns(START + np.cumsum(steps), *columns)


@pytest.mark.parametrize("report", REPORTS)
@SETTINGS
@given(data=ohlcv(), first=st.integers(0, 79), length=st.integers(1, 80))
def test_a_preview_of_any_valid_bars_never_raises(data, report, first, length):
    first = min(first, len(data) - 1)
    end = min(len(data), first + length)
    result = run_preview(report, data, first=first, end=end)
    assert len(result.walk.equity) == end - first
    previous_exit = first - 1
    for trade in result.walk.trades:
        # One position at a time, inside the range, each filled after the last one closed.
        assert previous_exit < trade.entry_bar <= trade.exit_bar < end
        assert trade.quantity > 0
        previous_exit = trade.exit_bar
