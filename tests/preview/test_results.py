"""What a preview reports (PREVIEW.md §5): statistics worked out by hand on two trades."""

import json

import pytest

from trading_strategy.preview.results import as_json, statistics

from .preview_helpers import bars, preview, strategy

# (open, high, low, close, volume): a buy at 100 sold at 108, then a buy at 100 sold at 95.
ROWS = [
    (100, 101, 99, 101, 1),  # entry true: buy at the next open
    (100, 100, 100, 100, 1),  # fill at 100: 50 units with half of 10,000
    (100, 110, 100, 110, 1),
    (110, 110, 105, 105, 1),  # exit true: sell at the next open
    (108, 108, 108, 108, 1),  # sold at 108: +400
    (100, 101, 99, 101, 1),  # entry true again
    (100, 100, 100, 100, 1),  # fill at 100: 52 units with half of 10,400
    (100, 100, 90, 90, 1),  # exit true
    (95, 95, 95, 95, 1),  # sold at 95: -260
]
TWO_TRADES = strategy("close > open", exit="close < open")


@pytest.fixture
def two_trades():
    return preview(TWO_TRADES, bars(ROWS), fee=0.0)


def test_the_statistics_of_a_winning_and_a_losing_trade(two_trades):
    stats = statistics(two_trades)

    assert [trade.pnl for trade in two_trades.walk.trades] == [400, -260]
    assert stats["trades"] == 2
    assert stats["win_rate"] == 0.5
    assert stats["profit_factor"] == pytest.approx(400 / 260)
    assert stats["total_return"] == pytest.approx(140 / 10_000)
    assert stats["final_equity"] == pytest.approx(10_140)
    # Held at the closes of bars 1, 2, 3, 6 and 7 of 9.
    assert stats["exposure"] == pytest.approx(5 / 9)
    # From the peak of 10,500 (bar 2) to 10,400 - 52 * 10 (bar 7).
    assert stats["max_drawdown"] == pytest.approx(1 - 9_880 / 10_500)
    assert stats["fees"] == 0


def test_fees_are_the_sum_of_each_fills_fee(two_trades):
    charged = preview(TWO_TRADES, bars(ROWS), fee=0.01)

    fees = statistics(charged)["fees"]

    assert fees == pytest.approx(sum(t.fees for t in charged.walk.trades))
    first = charged.walk.trades[0]
    assert first.fees == pytest.approx(0.01 * first.quantity * (100 + 108))


def test_without_trades_the_ratios_have_no_value():
    never = preview(strategy("close > high", exit="close < open"), bars(ROWS))

    stats = statistics(never)

    assert stats["trades"] == 0
    assert stats["win_rate"] is None and stats["profit_factor"] is None
    assert stats["total_return"] == 0 and stats["exposure"] == 0


def test_the_json_names_bars_by_utc_time_and_flags_the_blocking_clause():
    never = preview(strategy("close > high AND close > open", exit="close < open"), bars(ROWS))

    result = json.loads(json.dumps(as_json(never)))

    assert result["entry_bars"] == [] and result["trades"] == []
    blocking = [clause["clause"] for clause in result["clauses"] if clause["blocking"]]
    assert blocking == ["close > high"]


def test_entry_times_are_iso_with_z(two_trades):
    result = as_json(two_trades)

    assert result["entry_bars"] == ["2024-01-01T00:00:00Z", "2024-01-01T02:00:00Z", "2024-01-01T05:00:00Z"]
    assert result["trades"][0]["entry_time"] == "2024-01-01T01:00:00Z"
    assert result["trades"][0]["exit_time"] == "2024-01-01T04:00:00Z"


def test_a_price_too_small_to_buy_at_leaves_every_figure_a_number():
    tiny = [(1e-320, 1e-320, 1e-320, 1e-320, 1)] * 2
    result = as_json(preview(TWO_TRADES, bars(ROWS[:1] + tiny + ROWS[:1] + ROWS[1:3])))

    text = json.dumps(result, allow_nan=False)

    assert "NaN" not in text
    assert result["trades"][0]["entry_price"] == 100
