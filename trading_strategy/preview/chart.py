"""What the preview panel draws: candles, indicator lines, trade markers and, for the
hover readout, each clause's operands and truth on every bar shown.

The panel shows at most MAX_BARS bars, the last ones of the range: a chart of more is
unreadable on a screen and its data would make every refresh slow; choosing a range shows
any other stretch. Statistics and trades always cover the whole range.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from trading_strategy.dsl import ConditionNode, Report, Series, SeriesInfo

from .engine import Preview
from .evaluate import Evaluation

MAX_BARS = 1_500
# Indicators drawn over the candles: those on the price scale (moving averages, bands).
_ON_PRICES = ("price",)


def chart(preview: Preview, report: Report) -> dict[str, Any]:
    assert report.analysis is not None
    start = max(preview.first, preview.end - MAX_BARS)
    shown = slice(start, preview.end)
    bars = preview.bars
    names: Mapping[str, SeriesInfo] = report.analysis["names"]
    overlays, panes = [], []
    for indicator in report.analysis["indicators"]:
        outputs = indicator.output_names or (indicator.name,)
        lines = [{"name": name, "values": _values(preview.series[name][shown])} for name in outputs]
        info = names.get(outputs[0])
        if info is not None and info.scale in _ON_PRICES:
            overlays += lines
        else:
            panes.append(
                {"name": indicator.name, "title": info.label if info else indicator.name, "lines": lines}
            )
    drawn = {"open", "high", "low", "close", *preview.series}
    return {
        "time": bars.time[shown].tolist(),
        "candles": [_values(column[shown]) for column in (bars.open, bars.high, bars.low, bars.close)],
        "overlays": overlays,
        "panes": panes,
        "markers": _markers(preview, start),
        "clauses": _readout(preview, shown, drawn),
        "shown_from": int(start - preview.first),
    }


def _values(array: np.ndarray) -> list[float | None]:
    # JSON has no NaN: a bar without a value is null. Six significant digits are what a
    # chart's scale and readout show.
    return [None if value != value else float(f"{value:.6g}") for value in array.tolist()]


def _markers(preview: Preview, start: int) -> list[dict[str, Any]]:
    times = preview.bars.time
    markers = []
    for trade in preview.walk.trades:
        if trade.entry_bar >= start:
            markers.append({"time": int(times[trade.entry_bar]), "kind": "entry", "price": trade.entry_price})
        if trade.exit_bar >= start:
            markers.append(
                {
                    "time": int(times[trade.exit_bar]),
                    "kind": trade.reason,
                    "price": trade.exit_price,
                    "pnl": round(trade.pnl, 2),
                }
            )
    return markers


def _readout(preview: Preview, shown: slice, drawn: set[str]) -> list[dict[str, Any]]:
    """Per clause: its text, its operands and its truth on each bar shown, as a string
    of "1" (true), "0" (false) and "-" (not judged: a missing value or, for a position
    clause, no position held). An operand is a number, a series the chart already draws
    (named, not repeated), or the values themselves."""
    whole = Evaluation(preview.source.fetch, len(preview.bars))
    held = np.zeros(len(preview.bars), dtype=bool)
    for fill, last in preview.walk.holdings:
        held[fill : last + 1] = True
    readout = []
    for clause in preview.clauses:
        node = clause.node
        if clause.reads_position:
            truth = preview.position_truths.get(id(node), np.zeros(len(held), dtype=bool))
            codes = np.where(held, truth.astype(float), np.nan)[shown]
            left = right = None
        else:
            judged = whole.truth(node)
            codes = np.where(judged.true, 1.0, np.where(judged.false, 0.0, np.nan))[shown]
            left = _operand(whole, node.left, shown, drawn)
            right = _operand(whole, node.right, shown, drawn)
        readout.append(
            {
                "role": clause.role,
                "text": clause.text,
                "op": node.op,
                "left": left,
                "right": right,
                "truth": "".join("-" if code != code else str(int(code)) for code in codes.tolist()),
            }
        )
    return readout


def _operand(whole: Evaluation, node: ConditionNode, shown: slice, drawn: set[str]) -> dict[str, Any]:
    if isinstance(node, Series) and node.lookback == 0 and node.name in drawn:
        return {"series": node.name}
    value = whole.value(node)
    if isinstance(value, np.ndarray):
        return {"values": _values(value[shown])}
    return {"value": value}
