"""The trade walk of PREVIEW.md §4: one long position at a time, bar by bar in effect.

Flat stretches jump from one entry signal to the next (searches in the sorted signal
bars); a position is followed in windows of bars that double in length, each evaluated
with numpy: the intrabar stop-loss and take-profit, the equity at each close, the day's
loss and the drawdown halts, and the stop and exit conditions. The first bar on which
anything happens ends the window, so the work is linear in the bars, however many trades.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from .bars import Bars

# (first bar, end bar, the position) -> (stop true, exit true) on bars first..end-1
Signals = Callable[[int, int, "Position"], tuple[np.ndarray, np.ndarray]]
_FIRST_WINDOW = 64


@dataclass(frozen=True)
class Rules:
    """Sizing and risk as the strategy's canonical model holds them, the capital and the
    fee per fill (a fraction of its value)."""

    sizing: Mapping[str, Any]
    risk: Mapping[str, Any]
    capital: float = 10_000.0
    fee: float = 0.001

    def fraction(self, section: Mapping[str, Any], key: str) -> float | None:
        value = section.get(key)
        return None if value is None else float(Decimal(str(value)))


@dataclass(frozen=True)
class Position:
    fill_bar: int
    entry_price: float
    quantity: float
    # The highest close from the fill bar up to the window being evaluated.
    highest_close: float


@dataclass
class Trade:
    entry_bar: int
    entry_price: float
    exit_bar: int
    exit_price: float
    quantity: float
    reason: str
    pnl: float
    fees: float


@dataclass
class Walk:
    """What the walk produced over the bars first..end-1 of the range."""

    trades: list[Trade] = field(default_factory=list)
    # Equity at each close of the range (after any sale at that close).
    equity: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # Whether a position was held at each close, after the risk halts.
    held: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    exit_bars: list[int] = field(default_factory=list)
    stop_bars: list[int] = field(default_factory=list)
    # Each position's bars held at the step-4 check: (fill bar, last bar), inclusive.
    holdings: list[tuple[int, int]] = field(default_factory=list)


def walk(bars: Bars, first: int, end: int, entries: np.ndarray, signals: Signals, rules: Rules) -> Walk:
    return _Walker(bars, first, end, entries, signals, rules).run()


class _Walker:
    def __init__(
        self, bars: Bars, first: int, end: int, entries: np.ndarray, signals: Signals, rules: Rules
    ) -> None:
        self.bars, self.first, self.end = bars, first, end
        self.signals, self.rules = signals, rules
        # An entry on the last bar never fills; the others are searched in order.
        self.entry_bars = np.flatnonzero(entries[first : end - 1]) + first
        self.days = bars.days()
        # The index of the first bar of each bar's UTC day.
        starts = np.flatnonzero(np.diff(self.days, prepend=self.days[0] - 1))
        self.day_start = np.repeat(starts, np.diff(np.append(starts, len(self.days))))
        self.result = Walk(equity=np.full(end - first, np.nan), held=np.zeros(end - first, dtype=bool))
        self.cash = rules.capital
        self.peak = rules.capital
        self.halted_day: int | None = None
        self.halted = False
        self.stop_loss = rules.fraction(rules.risk, "stop_loss_percentage")
        self.take_profit = rules.fraction(rules.risk, "take_profit_percentage")
        self.max_daily_loss = rules.fraction(rules.risk, "max_daily_loss")
        self.max_drawdown = rules.fraction(rules.risk, "max_drawdown")

    def run(self) -> Walk:
        t: int | None = self.first
        while t is not None and t < self.end:
            t = self.flat_from(t)
        return self.result

    # Flat -----------------------------------------------------------------------------

    def flat_from(self, t: int) -> int | None:
        """Flat at the close of bar t: check the halts, then wait for an entry. Returns the
        bar to go on from, or None when nothing more can happen."""
        self.check_halts(t, self.cash)
        signal = self.next_entry(t)
        if signal is None:
            self.record_flat(t, self.end)
            return None
        self.record_flat(t, signal + 1)
        return self.enter(signal + 1)

    def check_halts(self, t: int, equity: float) -> None:
        if self.daily_loss_reached(t, equity):
            self.halted_day = int(self.days[t])
        self.peak = max(self.peak, equity)
        if self.max_drawdown is not None and equity <= self.peak * (1 - self.max_drawdown):
            self.halted = True

    def daily_loss_reached(self, t: int, equity: float) -> bool:
        if self.max_daily_loss is None:
            return False
        before = int(self.day_start[t]) - 1
        opening = (
            float(self.result.equity[before - self.first]) if before >= self.first else self.rules.capital
        )
        return opening > 0 and opening - equity >= self.max_daily_loss * opening

    def day_opening(self, bars: np.ndarray) -> np.ndarray:
        """The equity each bar's day opened with: at the close of the previous day's last
        bar, or the capital on the range's first day."""
        before = self.day_start[bars] - 1
        inside = before >= self.first
        recorded = self.result.equity[np.where(inside, before - self.first, 0)]
        return np.where(inside, recorded, self.rules.capital)

    def next_entry(self, t: int) -> int | None:
        if self.halted:
            return None
        start = t
        if self.halted_day is not None and self.days[t] == self.halted_day:
            # No entry until the next UTC day.
            start = int(np.searchsorted(self.days, self.halted_day, side="right"))
        at = int(np.searchsorted(self.entry_bars, start))
        return int(self.entry_bars[at]) if at < len(self.entry_bars) else None

    def record_flat(self, start: int, stop: int) -> None:
        self.result.equity[start - self.first : stop - self.first] = self.cash

    # In a position --------------------------------------------------------------------

    def enter(self, fill: int) -> int:
        price = float(self.bars.open[fill])
        quantity = self.quantity(self.cash, price)
        if quantity <= 0:
            # Nothing to buy with: wait for the next signal, from the fill bar on.
            return fill
        cost = quantity * price
        entry_fee = cost * self.rules.fee
        self.cash -= cost + entry_fee
        position = Position(fill, price, quantity, float("-inf"))
        return self.follow(position, entry_fee)

    def quantity(self, equity: float, price: float) -> float:
        if equity <= 0 or price <= 0:
            return 0.0
        rules, sizing = self.rules, self.rules.sizing
        kind = sizing["type"]
        if kind == "percentage":
            amount = equity * float(Decimal(str(sizing["percentage_of_capital"])))
        elif kind == "fixed_amount":
            amount = float(Decimal(str(sizing["fixed_amount"])))
        else:
            risk = equity * float(Decimal(str(sizing["risk_per_trade"])))
            amount = risk / self.stop_loss if self.stop_loss else risk
        largest = rules.fraction(sizing, "max_position_size")
        if largest is not None:
            amount = min(amount, equity * largest)
        amount = min(amount, equity / (1 + rules.fee))
        quantity = amount / price
        # A price so small that the quantity is beyond any number buys nothing, rather
        # than turning the equity and every later figure into NaN.
        return quantity if math.isfinite(quantity) else 0.0

    def follow(self, position: Position, entry_fee: float) -> int:
        start, size = position.fill_bar, _FIRST_WINDOW
        while True:
            stop = min(self.end, start + size)
            outcome = self.window(position, start, stop, entry_fee)
            if outcome is not None:
                return outcome
            close = self.bars.close[start:stop]
            position = Position(
                position.fill_bar,
                position.entry_price,
                position.quantity,
                max(position.highest_close, float(close.max())),
            )
            start, size = stop, size * 2

    def window(self, position: Position, start: int, stop: int, entry_fee: float) -> int | None:
        """Bars start..stop-1 with the position held from before: None when it is still
        held after them, else the bar the flat walk goes on from (`self.end`: none)."""
        bars, q, price = self.bars, position.quantity, position.entry_price
        span = slice(start, stop)
        count = stop - start
        # Prices that trigger the intrabar exits; beyond reach when not set.
        floor = price * (1 - self.stop_loss) if self.stop_loss else -np.inf
        ceiling = price * (1 + self.take_profit) if self.take_profit else np.inf
        stop_loss = bars.low[span] <= floor
        take_profit = bars.high[span] >= ceiling
        equity = self.cash + q * bars.close[span]
        local = slice(start - self.first, stop - self.first)
        self.result.equity[local] = equity
        self.result.held[local] = True
        daily = np.zeros(count, dtype=bool)
        if self.max_daily_loss is not None:
            opening = self.day_opening(np.arange(start, stop))
            daily = (opening > 0) & (opening - equity >= self.max_daily_loss * opening)
        peaks = np.maximum(np.maximum.accumulate(equity), self.peak)
        drawdown = (
            equity <= peaks * (1 - self.max_drawdown)
            if self.max_drawdown is not None
            else np.zeros(count, dtype=bool)
        )
        stops, exits = self.signals(start, stop, position)
        intrabar = stop_loss | take_profit
        events = intrabar | daily | drawdown | stops | exits
        if stop == self.end:
            events[-1] = True
        hits = np.flatnonzero(events)
        if len(hits) == 0:
            self.peak = float(peaks[-1])
            return None
        x = int(hits[0])
        bar = start + x
        self.peak = float(peaks[x - 1]) if x > 0 else self.peak
        self.result.equity[bar + 1 - self.first : stop - self.first] = np.nan
        self.result.held[bar + 1 - self.first : stop - self.first] = False
        if intrabar[x]:
            if stop_loss[x]:
                sale, reason = min(float(bars.open[bar]), floor), "stop_loss"
            else:
                sale, reason = max(float(bars.open[bar]), ceiling), "take_profit"
            self.close(position, bar, sale, reason, entry_fee, last_held=bar - 1)
            self.result.held[bar - self.first] = False
            self.result.equity[bar - self.first] = self.cash
            return bar
        if daily[x] or drawdown[x]:
            reason = "daily_loss" if daily[x] else "max_drawdown"
            self.close(position, bar, float(bars.close[bar]), reason, entry_fee, last_held=bar - 1)
            self.result.held[bar - self.first] = False
            self.result.equity[bar - self.first] = self.cash
            return bar
        if stops[x]:
            self.result.stop_bars.append(bar)
        if exits[x]:
            self.result.exit_bars.append(bar)
        if bar == self.end - 1:
            # Whatever the signal, there is no next open: closed at the last close.
            self.close(position, bar, float(bars.close[bar]), "end", entry_fee, last_held=bar)
            self.result.equity[bar - self.first] = self.cash
            return self.end
        self.peak = max(self.peak, float(equity[x]))
        reason = "stop" if stops[x] else "exit"
        self.close(position, bar + 1, float(bars.open[bar + 1]), reason, entry_fee, last_held=bar)
        return bar + 1

    def close(
        self, position: Position, bar: int, price: float, reason: str, entry_fee: float, last_held: int
    ) -> None:
        value = position.quantity * price
        exit_fee = value * self.rules.fee
        self.cash += value - exit_fee
        pnl = position.quantity * (price - position.entry_price) - entry_fee - exit_fee
        self.result.trades.append(
            Trade(
                position.fill_bar,
                position.entry_price,
                bar,
                price,
                position.quantity,
                reason,
                pnl,
                entry_fee + exit_fee,
            )
        )
        if last_held >= position.fill_bar:
            self.result.holdings.append((position.fill_bar, last_held))
