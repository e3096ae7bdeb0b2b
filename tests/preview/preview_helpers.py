"""What the preview tests share: strategies written as YAML, validated through the
language's public face, and small datasets of bars an hour apart."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from trading_strategy.dsl import validate
from trading_strategy.preview.bars import Bars
from trading_strategy.preview.engine import Preview, run_preview

# 2024-01-01T00:00:00Z, a Monday at midnight UTC.
START = 1_704_067_200
HOUR = 3_600
DAY = 86_400


def strategy(
    entry: str,
    exit: str = "close < 0",
    stop: str = "close < 0",
    indicators: Sequence[tuple[str, str, Mapping[str, Any]]] = (),
    sizing: Mapping[str, Any] | None = None,
    risk: Mapping[str, Any] | None = None,
) -> str:
    """A strategy document; each indicator is (type, name, parameters). Without a sizing
    it buys with half the capital; without risk limits the halts cannot act (a 100 %
    loss) and there is no intrabar stop or target."""
    sizing = sizing or {"type": "percentage", "percentage_of_capital": 0.5}
    risk = risk or {"max_daily_loss": 1.0, "max_drawdown": 1.0}
    entries = "\n".join(
        f"  - type: {kind}\n    name: {name}\n    parameters: {json.dumps(dict(parameters))}"
        for kind, name, parameters in indicators
    )
    return (
        "name: Preview test\n"
        "trading_pair: BTC/USDT\n"
        "timeframe: 1h\n"
        f"indicators:{chr(10) + entries if entries else ' []'}\n"
        f"entry_conditions: {json.dumps(entry)}\n"
        f"exit_conditions: {json.dumps(exit)}\n"
        f"stop_conditions: {json.dumps(stop)}\n"
        f"position_sizing: {json.dumps(dict(sizing))}\n"
        f"risk_parameters: {json.dumps(dict(risk))}\n"
    )


def valid(text: str):
    report = validate(text, "yaml")
    assert report.valid, [d.as_dict() for d in report.errors]
    return report


def resolved(kind: str, parameters: Mapping[str, Any]):
    """The indicator as the validator resolves it (canonical type, every parameter)."""
    report = valid(strategy("close > open", indicators=[(kind, "x", parameters)]))
    return report.analysis["indicators"][0]


def bars(rows: Sequence[Sequence[float]], times: Sequence[int] | None = None) -> Bars:
    """Bars from (open, high, low, close, volume) rows, an hour apart from START unless
    `times` are given."""
    columns = np.array(rows, dtype=np.float64).reshape(len(rows), 5).T
    if times is None:
        times = [START + HOUR * i for i in range(len(rows))]
    return Bars.from_columns(np.array(times), *columns)


def random_bars(count: int, seed: int, start: int = START, step: int = HOUR) -> Bars:
    """A random walk around 100 with a valid range around each bar and a varying volume."""
    rng = np.random.default_rng(seed)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.02, count)))
    open_ = np.concatenate(([100.0], close[:-1])) * np.exp(rng.normal(0, 0.005, count))
    high = np.maximum(open_, close) * (1 + rng.uniform(0, 0.02, count))
    low = np.minimum(open_, close) * (1 - rng.uniform(0, 0.02, count))
    volume = rng.uniform(100, 1_000, count).round()
    return Bars.from_columns(start + step * np.arange(count), open_, high, low, close, volume)


def preview(text: str, data: Bars, **options: Any) -> Preview:
    return run_preview(valid(text), data, **options)
