"""The trade walk of PREVIEW.md §4, one rule per test on a few hand-made bars.

The strategies read the volume as a signal channel: volume 1 is an entry, 2 an exit,
3 both an exit and a stop (0 is a quiet bar). The capital is 10,000, each entry buys
with half of it unless a test says otherwise, and each fill pays 0.1 %.
"""

from __future__ import annotations

import pytest

from .preview_helpers import HOUR, START, bars, preview, strategy

ENTRY, EXIT, STOP = "volume == 1", "volume >= 2", "volume >= 3"
FEE = 0.001
NO_HALTS = {"max_daily_loss": 1.0, "max_drawdown": 1.0}
ALL_IN = 10_000 / (1 + FEE) / 100  # the whole capital but the fee, at 100


def bar(open_, high=None, low=None, close=None, signal=0):
    """A bar at `open_` unless told otherwise, its range covering open and close."""
    close = open_ if close is None else close
    high = max(open_, close) if high is None else high
    low = min(open_, close) if low is None else low
    return (open_, high, low, close, signal)


def trades(rows, times=None, risk=None, sizing=None, exit=EXIT, stop=STOP, **options):
    text = strategy(ENTRY, exit=exit, stop=stop, sizing=sizing, risk={**NO_HALTS, **(risk or {})})
    return preview(text, bars(rows, times), **options).walk.trades


def summary(trade):
    """Bars, prices (to a billionth: 100 * 1.1 is 110.00000000000001) and reason."""
    prices = round(trade.entry_price, 9), round(trade.exit_price, 9)
    return (trade.entry_bar, prices[0], trade.exit_bar, prices[1], trade.reason)


def net(quantity, entry, exit, fee=FEE):
    """A trade's pnl: the price move less the fee on each fill."""
    return quantity * (exit - entry) - quantity * entry * fee - quantity * exit * fee


def test_an_entry_fills_at_the_next_bars_open():
    (trade,) = trades([bar(100, signal=1), bar(102, close=103), bar(103)])
    assert summary(trade) == (1, 102, 2, 103, "end")
    assert trade.quantity == pytest.approx(5_000 / 102)


def test_an_entry_on_the_last_bar_does_not_fill():
    result = preview(strategy(ENTRY), bars([bar(100), bar(100, signal=1)]))
    assert result.entries.tolist() == [False, True]
    assert result.walk.trades == []


def test_a_position_open_after_the_last_bar_closes_at_its_close():
    (trade,) = trades([bar(100, signal=1), bar(100), bar(104, close=110)])
    assert summary(trade) == (1, 100, 2, 110, "end")
    assert trade.pnl == pytest.approx(net(50, 100, 110))


def test_an_exit_on_the_last_bar_closes_at_its_close_too():
    (trade,) = trades([bar(100, signal=1), bar(100), bar(104, close=110, signal=2)])
    assert summary(trade) == (1, 100, 2, 110, "end")


def test_a_stop_loss_inside_a_bar_sells_at_the_stop_price():
    rows = [bar(100, signal=1), bar(100), bar(98, low=94, close=97), bar(97)]
    (trade,) = trades(rows, risk={"stop_loss_percentage": 0.05})
    assert summary(trade) == (1, 100, 2, 95, "stop_loss")


def test_a_gap_below_the_stop_loss_sells_at_the_open():
    rows = [bar(100, signal=1), bar(100), bar(90, low=88, close=89), bar(89)]
    (trade,) = trades(rows, risk={"stop_loss_percentage": 0.05})
    assert summary(trade) == (1, 100, 2, 90, "stop_loss")


def test_a_take_profit_inside_a_bar_sells_at_the_target():
    rows = [bar(100, signal=1), bar(100), bar(105, high=112, close=108), bar(108)]
    (trade,) = trades(rows, risk={"take_profit_percentage": 0.1})
    assert summary(trade) == (1, 100, 2, 110, "take_profit")


def test_a_gap_above_the_take_profit_sells_at_the_open():
    rows = [bar(100, signal=1), bar(100), bar(115, high=118, close=116), bar(116)]
    (trade,) = trades(rows, risk={"take_profit_percentage": 0.1})
    assert summary(trade) == (1, 100, 2, 115, "take_profit")


def test_a_bar_reaching_both_stop_loss_and_take_profit_sells_at_the_stop_loss():
    rows = [bar(100, signal=1), bar(100), bar(100, high=111, low=94), bar(100)]
    (trade,) = trades(rows, risk={"stop_loss_percentage": 0.05, "take_profit_percentage": 0.1})
    assert summary(trade) == (1, 100, 2, 95, "stop_loss")


def test_the_fill_bar_itself_can_hit_the_stop_loss_and_the_next_entry_fills_after_it():
    rows = [bar(100, signal=1), bar(100, low=94, close=96, signal=1), bar(97), bar(98)]
    first, second = trades(rows, risk={"stop_loss_percentage": 0.05})
    assert summary(first) == (1, 100, 1, 95, "stop_loss")
    assert summary(second) == (2, 97, 3, 98, "end")


def test_an_exit_condition_sells_at_the_next_open():
    rows = [bar(100, signal=1), bar(100), bar(101, signal=2), bar(103), bar(104)]
    result = preview(strategy(ENTRY, exit=EXIT, stop=STOP), bars(rows))
    (trade,) = result.walk.trades
    assert summary(trade) == (1, 100, 3, 103, "exit")
    assert (result.walk.exit_bars, result.walk.stop_bars) == ([2], [])


def test_a_stop_condition_true_with_the_exit_condition_sells_as_a_stop():
    rows = [bar(100, signal=1), bar(100), bar(101, signal=3), bar(103), bar(104)]
    result = preview(strategy(ENTRY, exit=EXIT, stop=STOP), bars(rows))
    (trade,) = result.walk.trades
    assert summary(trade) == (1, 100, 3, 103, "stop")
    assert result.walk.stop_bars == [2]


def test_an_entry_on_the_bar_an_exit_is_signalled_waits_for_the_position_to_be_sold():
    # Every bar signals an entry; the exit one bar after each fill sells at the next open.
    rows = [bar(100 + i, signal=1) for i in range(6)]
    result = trades(rows, exit="position_age >= 1", stop="close < 0")
    assert [summary(trade) for trade in result] == [(1, 101, 3, 103, "exit"), (4, 104, 5, 105, "end")]


def test_the_days_loss_closes_at_the_close_and_blocks_entries_until_the_next_utc_day():
    times = [START + (20 + i) * HOUR for i in range(7)]  # 20:00 to 02:00 the next day
    rows = [
        bar(100, signal=1),
        bar(100),  # filled: 50 at 100, cash 4,995
        bar(100, low=95, close=95, signal=1),  # equity 9,745: a loss of 2.55 % today
        bar(95, signal=1),  # still the same day: no entry
        bar(95, signal=1),  # 00:00, a new day
        bar(96),
        bar(97),
    ]
    first, second = trades(rows, times, risk={"max_daily_loss": 0.02})
    assert summary(first) == (1, 100, 2, 95, "daily_loss")
    cash = 4_995 + 50 * 95 * (1 - FEE)
    assert summary(second) == (5, 96, 6, 97, "end")
    assert second.quantity == pytest.approx(cash / 2 / 96)


def test_the_days_loss_counts_from_the_equity_the_day_opened_with():
    times = [START + (22 + i) * HOUR for i in range(4)]
    rows = [bar(100, signal=1), bar(100, close=110), bar(110, low=105.8, close=105.8), bar(106)]
    # The day opened with 4,995 + 50 * 110 = 10,495; at 105.8 it has lost 210, just
    # over 2 % of it, though still above the starting capital.
    (trade,) = trades(rows, times, risk={"max_daily_loss": 0.02})
    assert summary(trade) == (1, 100, 2, 105.8, "daily_loss")


def test_the_drawdown_halt_closes_at_the_close_and_blocks_entries_for_good():
    times = [START + i * 86_400 for i in range(7)]  # a day apart: no daily reset helps
    rows = [
        bar(100, signal=1),
        bar(100),  # equity 9,995
        bar(100, close=120),  # 10,995: the peak
        bar(120, close=110),  # 10,495: above 95 % of the peak (10,445.25)
        bar(110, close=109, signal=1),  # 10,445: below it
        bar(109, signal=1),
        bar(110),
    ]
    (trade,) = trades(rows, times, risk={"max_drawdown": 0.05})
    assert summary(trade) == (1, 100, 4, 109, "max_drawdown")


@pytest.mark.parametrize(
    ("sizing", "risk", "quantity"),
    [
        ({"type": "percentage", "percentage_of_capital": 0.5}, {}, 50),
        ({"type": "fixed_amount", "fixed_amount": 2_000}, {}, 20),
        ({"type": "risk_based", "risk_per_trade": 0.01}, {"stop_loss_percentage": 0.05}, 20),
        ({"type": "risk_based", "risk_per_trade": 0.01}, {}, 1),
        ({"type": "percentage", "percentage_of_capital": 0.5, "max_position_size": 0.1}, {}, 10),
        ({"type": "fixed_amount", "fixed_amount": 50_000}, {}, ALL_IN),
        ({"type": "risk_based", "risk_per_trade": 0.1}, {"stop_loss_percentage": 0.01}, ALL_IN),
    ],
    ids=["percentage", "fixed", "risk-with-stop", "risk-without-stop", "capped", "all-in", "risk-all-in"],
)
def test_the_quantity_follows_the_sizing(sizing, risk, quantity):
    (trade,) = trades([bar(100, signal=1), bar(100), bar(100)], sizing=sizing, risk=risk)
    assert trade.quantity == pytest.approx(quantity)


def test_the_next_trade_is_sized_from_the_equity_after_the_last_one():
    rows = [bar(100, signal=1), bar(100), bar(100, close=120, signal=2), bar(120, signal=1), bar(110)]
    rows.append(bar(110))
    first, second = trades(rows)
    assert summary(first) == (1, 100, 3, 120, "exit")
    equity = 10_000 + net(50, 100, 120)
    assert second.entry_price == 110
    assert second.quantity == pytest.approx(equity / 2 / 110)


@pytest.mark.parametrize("fee", [FEE, 0.002, 0.0])
def test_each_fill_pays_the_fee_and_the_trades_pnl_is_net_of_both(fee):
    rows = [bar(100, signal=1), bar(100), bar(110, signal=2), bar(110), bar(111)]
    result = preview(strategy(ENTRY, exit=EXIT, stop=STOP), bars(rows), fee=fee)
    (trade,) = result.walk.trades
    assert summary(trade) == (1, 100, 3, 110, "exit")
    assert trade.fees == pytest.approx(50 * 100 * fee + 50 * 110 * fee)
    assert trade.pnl == pytest.approx(500 - trade.fees)
    assert result.walk.equity[-1] == pytest.approx(10_000 + trade.pnl)


def test_the_capital_sets_the_amount():
    rows = [bar(100, signal=1), bar(100), bar(100)]
    (trade,) = preview(strategy(ENTRY), bars(rows), capital=1_000).walk.trades
    assert trade.quantity == pytest.approx(5)


def test_entry_price_is_the_fill_price_not_the_signal_close():
    rows = [bar(90, signal=1), bar(100, close=98), bar(98, close=96.9), bar(97), bar(97)]
    (trade,) = trades(rows, stop="close < entry_price * 0.97")
    assert summary(trade) == (1, 100, 3, 97, "stop")


def test_unrealized_pnl_pct_compares_the_close_with_the_entry_price_without_fees():
    rows = [bar(100, signal=1), bar(100, close=103), bar(103, close=105), bar(106), bar(106)]
    (trade,) = trades(rows, exit="unrealized_pnl_pct >= 0.05")
    assert summary(trade) == (1, 100, 3, 106, "exit")


def test_unrealized_pnl_is_the_price_move_times_the_quantity_without_fees():
    rows = [bar(100, signal=1), bar(100, close=104.7), bar(104.7, close=104.9), bar(105), bar(105)]
    # 50 * 4.7 = 235, then 50 * 4.9 = 245.
    (trade,) = trades(rows, exit="unrealized_pnl > 240")
    assert summary(trade) == (1, 100, 3, 105, "exit")


def test_drawdown_is_measured_from_the_highest_close_since_the_fill_bar_included():
    rows = [
        bar(200, signal=1),  # before the fill: not part of the drawdown
        bar(100, close=120),  # the fill bar's close is the first high
        bar(120, close=110),  # 8.3 % below it
        bar(110, close=107),  # 10.8 % below it
        bar(107),
        bar(107),
    ]
    (trade,) = trades(rows, stop="drawdown > 0.1")
    assert summary(trade) == (1, 100, 4, 107, "stop")


@pytest.mark.parametrize(("condition", "exit_bar"), [("position_age == 0", 2), ("position_age >= 2", 4)])
def test_position_age_counts_bars_since_the_fill_bar(condition, exit_bar):
    rows = [bar(100, signal=1), *(bar(101 + i) for i in range(5))]
    (trade,) = trades(rows, exit=condition)
    assert summary(trade) == (1, 101, exit_bar, 101 + exit_bar - 1, "exit")


def test_a_range_starts_flat_at_its_first_bar():
    rows = [bar(100, signal=1), bar(101, signal=1), bar(102), bar(103), bar(104)]
    (trade,) = trades(rows, first=1, end=4)
    # The signal before the range does not fill inside it; the position open at the
    # range's last bar closes at its close.
    assert summary(trade) == (2, 102, 3, 103, "end")


def test_drawdown_remembers_the_highest_close_of_a_long_holding():
    # Held for 100 bars: the high on the fill bar still counts at the end.
    rows = [bar(100, signal=1), bar(100, close=200), *(bar(185) for _ in range(98)), bar(185, close=179)]
    rows += [bar(179), bar(179)]
    (trade,) = trades(rows, stop="drawdown > 0.1")
    assert summary(trade) == (1, 100, 101, 179, "stop")


def test_each_close_records_the_equity_and_whether_a_position_was_held():
    rows = [bar(100, signal=1), bar(100, close=102), bar(102, close=104, signal=2), bar(106), bar(106)]
    walk = preview(strategy(ENTRY, exit=EXIT, stop=STOP), bars(rows)).walk
    cash = 10_000 + net(50, 100, 106)
    assert walk.held.tolist() == [False, True, True, False, False]
    assert walk.equity.tolist() == pytest.approx([10_000, 4_995 + 50 * 102, 4_995 + 50 * 104, cash, cash])


@pytest.mark.parametrize("risk", [{"max_daily_loss": 0.02}, {"max_drawdown": 0.02}])
def test_a_halt_also_holds_when_the_loss_is_realised_by_a_sale_at_the_open(risk):
    # Sold at 95 on bar 3's open: flat at its close with 9,740.25, 2.6 % down.
    rows = [bar(100, signal=1), bar(100), bar(100, signal=2), bar(95, signal=1), bar(95, signal=1), bar(96)]
    (trade,) = trades(rows, risk=risk)
    assert summary(trade) == (1, 100, 3, 95, "exit")


def test_a_position_clause_counts_the_bars_held_along_the_trades():
    rows = [bar(100, signal=1), bar(100), bar(101), bar(102), bar(103, signal=1), bar(104), bar(105)]
    result = preview(strategy(ENTRY, exit="position_age >= 2"), bars(rows))
    first, second = result.walk.trades
    assert (summary(first), summary(second)) == ((1, 100, 4, 103, "exit"), (5, 104, 6, 105, "end"))
    (clause,) = [c for c in result.clauses if c.role == "exit"]
    # Held at bars 1-3 (age 0, 1, 2) and 5-6 (age 0, 1): true on bar 3 alone.
    assert clause.true_bars == 1


def test_the_concurrent_positions_limit_and_the_oscillator_levels_change_nothing():
    rows = [bar(100 + i, signal=i % 2) for i in range(8)]
    rsi = ("rsi", "rsi_2", {"period": 2})
    plain = strategy(ENTRY, exit="position_age >= 1", indicators=[rsi])
    levels = ("rsi", "rsi_2", {"period": 2, "overbought": 55, "oversold": 45})
    limited = strategy(
        ENTRY, exit="position_age >= 1", indicators=[levels], risk={**NO_HALTS, "max_concurrent_positions": 5}
    )
    assert len(preview(plain, bars(rows)).walk.trades) == 2
    assert preview(limited, bars(rows)).walk.trades == preview(plain, bars(rows)).walk.trades
