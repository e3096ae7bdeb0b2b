"""One preview: a valid strategy's indicators, conditions and trade walk on a dataset."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from trading_strategy.dsl import OHLCV, POSITION_VARIABLES, Compare, ConditionNode, Report

from . import indicators
from .bars import Bars
from .evaluate import Evaluation, Truth, comparisons, series_read
from .walk import Position, Rules, Walk, walk

ROLES = ("entry", "exit", "stop")


@dataclass
class Clause:
    role: str
    text: str
    node: Compare
    reads_position: bool
    # Bars of the range on which it was true (position clauses: along the trades).
    true_bars: int = 0
    # Bars on which it was known false, and on which every other entry clause held.
    false_bars: int = 0
    false_while_rest_held: int = 0
    rest_held: int = 0


@dataclass
class Preview:
    """Everything one preview found, over the bars first..end-1 of `bars`."""

    bars: Bars
    first: int
    end: int
    warmup_bars: int
    entries: np.ndarray  # entry true on each bar of the whole dataset
    walk: Walk
    clauses: list[Clause]
    series: dict[str, np.ndarray]  # every indicator output by name, whole dataset
    rules: Rules
    # Truth of each position clause (by id of its node) where the windows reached it;
    # meaningful on the bars of `walk.holdings` only.
    position_truths: dict[int, np.ndarray]
    source: SeriesSource


def run_preview(
    report: Report,
    bars: Bars,
    *,
    capital: float = 10_000.0,
    fee: float = 0.001,
    first: int = 0,
    end: int | None = None,
) -> Preview:
    """`report` is a valid validation report; bars first..end-1 are the range walked and
    reported, the indicators are computed over all of them."""
    assert report.model is not None and report.analysis is not None, "a valid report"
    end = len(bars) if end is None else end
    series = _indicator_series(report, bars)
    source = SeriesSource(bars, series)
    trees = {role: report.analysis["conditions"][role][0].ast for role in ROLES}
    texts = {role: report.analysis["conditions"][role][1] for role in ROLES}
    clauses: list[Clause] = []
    whole = Evaluation(source.fetch, len(bars), record=True)
    entries = whole.truth(trees["entry"]).true
    window_rules: dict[str, ConditionNode] = {}
    global_truths: dict[str, Truth] = {}
    for role in ROLES:
        tree = trees[role]
        reads_position = any(name in POSITION_VARIABLES for name, _ in series_read(tree))
        if reads_position:
            window_rules[role] = tree
        elif role != "entry":
            global_truths[role] = whole.truth(tree)
        for node in comparisons(tree):
            uses = any(name in POSITION_VARIABLES for name, _ in series_read(node))
            clauses.append(Clause(role, texts[role][node.start : node.end], node, uses))
    recorded = _PositionClauses(len(bars))
    rules = Rules(report.model["position_sizing"], report.model["risk_parameters"], capital, fee)

    def signals(start: int, stop: int, position: Position) -> tuple[np.ndarray, np.ndarray]:
        masks = []
        for role in ("stop", "exit"):
            if role in global_truths:
                masks.append(global_truths[role].true[start:stop])
                continue
            evaluation = Evaluation(source.window(start, stop, position), stop - start, record=True)
            masks.append(evaluation.truth(window_rules[role]).true)
            recorded.store(start, stop, evaluation.clauses or {})
        return masks[0], masks[1]

    result = walk(bars, first, end, entries, signals, rules)
    _count(clauses, whole.clauses or {}, recorded, result, first, end)
    warmup = _warmup(source, trees, first, end)
    return Preview(bars, first, end, warmup, entries, result, clauses, series, rules, recorded.true, source)


def _indicator_series(report: Report, bars: Bars) -> dict[str, np.ndarray]:
    assert report.analysis is not None
    series: dict[str, np.ndarray] = {}
    for indicator in report.analysis["indicators"]:
        outputs = indicators.compute(indicator.spec.type, indicator.effective, bars)
        series[indicator.name] = outputs[0]
        for name, values in zip(indicator.output_names, outputs, strict=False):
            series[name] = values
    return series


class SeriesSource:
    """Every series a condition may read, at any lookback, shifted once and kept."""

    def __init__(self, bars: Bars, indicator_series: dict[str, np.ndarray]) -> None:
        self.bars = bars
        self.base = {name: bars.column(name) for name in OHLCV} | indicator_series
        self.shifted: dict[tuple[str, int], np.ndarray] = {}

    def fetch(self, name: str, lookback: int) -> np.ndarray:
        key = (name, lookback)
        values = self.shifted.get(key)
        if values is None:
            values = self.base[name]
            if lookback:
                shifted = np.full(len(values), np.nan)
                shifted[lookback:] = values[:-lookback]
                values = shifted
            self.shifted[key] = values
        return values

    def window(self, start: int, stop: int, position: Position):
        """The series of bars start..stop-1 with `position` held: a position variable is
        worked out when a condition first reads it."""
        close = self.bars.close[start:stop]
        price = position.entry_price

        def drawdown() -> np.ndarray:
            highest = np.maximum(np.maximum.accumulate(close), position.highest_close)
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(highest > 0, 1 - close / highest, np.nan)

        def pnl_pct() -> np.ndarray:
            # A fill price of 0 buys nothing (walk.quantity), so `price` is positive.
            return close / price - 1

        variables: dict[str, Callable[[], np.ndarray]] = {
            "entry_price": lambda: np.full(stop - start, price),
            "unrealized_pnl": lambda: (close - price) * position.quantity,
            "unrealized_pnl_pct": pnl_pct,
            "drawdown": drawdown,
            "position_age": lambda: np.arange(
                start - position.fill_bar, stop - position.fill_bar, dtype=np.float64
            ),
        }

        def fetch(name: str, lookback: int) -> np.ndarray:
            if name in variables:
                return variables[name]()
            return self.fetch(name, lookback)[start:stop]

        return fetch


class _PositionClauses:
    """Truth of each position clause on the bars its windows covered; a later window
    overwrites an earlier one's bars (those were past that position's end)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.true: dict[int, np.ndarray] = {}

    def store(self, start: int, stop: int, truths: dict[int, Truth]) -> None:
        for key, truth in truths.items():
            mask = self.true.setdefault(key, np.zeros(self.size, dtype=bool))
            mask[start:stop] = truth.true


def _count(
    clauses: list[Clause],
    truths: dict[int, Truth],
    recorded: _PositionClauses,
    result: Walk,
    first: int,
    end: int,
) -> None:
    held = np.zeros(recorded.size, dtype=bool)
    for fill, last in result.holdings:
        held[fill : last + 1] = True
    for clause in clauses:
        key = id(clause.node)
        if clause.reads_position:
            mask = recorded.true.get(key)
            clause.true_bars = 0 if mask is None else int(np.count_nonzero(mask & held))
        elif key in truths:
            truth = truths[key]
            clause.true_bars = int(np.count_nonzero(truth.true[first:end]))
            clause.false_bars = int(np.count_nonzero(truth.false[first:end]))
    entry = [c for c in clauses if c.role == "entry"]
    for clause in entry:
        rest = np.ones(end - first, dtype=bool)
        for other in entry:
            if other is not clause:
                rest &= truths[id(other.node)].true[first:end]
        clause.rest_held = int(np.count_nonzero(rest))
        clause.false_while_rest_held = int(np.count_nonzero(rest & truths[id(clause.node)].false[first:end]))


def _warmup(source: SeriesSource, trees: dict[str, Any], first: int, end: int) -> int:
    """Bars of the range before the first one on which every series the conditions read
    has a value at every lookback they read it."""
    ready = np.ones(end - first, dtype=bool)
    for tree in trees.values():
        for name, lookback in series_read(tree):
            if name not in POSITION_VARIABLES:
                ready &= ~np.isnan(source.fetch(name, lookback)[first:end])
    hits = np.flatnonzero(ready)
    return int(hits[0]) if len(hits) else end - first
