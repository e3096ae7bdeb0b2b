"""Synthetic sample datasets: the same bars on every machine, for every example's pair
and timeframe, so a preview works before anyone uploads data.

Each series strings regimes together (a steady rise, a range, a crash, a slow decline, a
recovery), from a fixed seed per pair and timeframe. They are not market data and are
labelled synthetic wherever they are shown.
"""

from __future__ import annotations

import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .bars import Bars

BARS = 6_000
# 2024-01-01T00:00:00Z: every sample starts there.
START = 1_704_067_200
TIMEFRAME_SECONDS = {
    "1m": 60,
    "5m": 300,
    "15m": 900,
    "30m": 1_800,
    "1h": 3_600,
    "2h": 7_200,
    "4h": 14_400,
    "6h": 21_600,
    "8h": 28_800,
    "12h": 43_200,
    "1d": 86_400,
    "3d": 259_200,
    "1w": 604_800,
}
# (drift per bar, volatility per bar, share of the series): the story every sample tells.
_REGIMES = (
    (0.0008, 0.010, 0.20),  # trending up
    (0.0, 0.006, 0.20),  # ranging
    (-0.0060, 0.025, 0.05),  # crash
    (-0.0004, 0.012, 0.15),  # drifting down
    (0.0, 0.008, 0.15),  # ranging again
    (0.0010, 0.011, 0.25),  # recovery
)
_START_PRICES = {"BTC": 40_000.0, "ETH": 2_500.0, "SOL": 100.0, "ADA": 0.5}


@dataclass(frozen=True)
class Sample:
    name: str  # e.g. "btc-usdt-1d"
    pair: str
    timeframe: str

    @property
    def title(self) -> str:
        return f"{self.pair} {self.timeframe} (synthetic)"

    def bars(self) -> Bars:
        return synthetic(self.pair, self.timeframe)


SAMPLES = tuple(
    Sample(f"{pair.replace('/', '-').lower()}-{timeframe}", pair, timeframe)
    for pair, timeframe in (
        ("BTC/USDT", "1d"),
        ("BTC/USDT", "4h"),
        ("ETH/USDT", "1h"),
        ("SOL/USDT", "15m"),
        ("ADA/USDT", "30m"),
        ("ETH/BTC", "1h"),
    )
)


def find(name: str) -> Sample | None:
    return next((sample for sample in SAMPLES if sample.name == name), None)


def for_strategy(pair: str, timeframe: str) -> Sample:
    """The sample of a strategy's pair and timeframe, else of its pair, else the first."""
    return (
        next((s for s in SAMPLES if (s.pair, s.timeframe) == (pair, timeframe)), None)
        or next((s for s in SAMPLES if s.pair == pair), None)
        or SAMPLES[0]
    )


def synthetic(pair: str, timeframe: str, count: int = BARS) -> Bars:
    rng = np.random.default_rng(zlib.crc32(f"{pair} {timeframe}".encode()))
    drift = np.concatenate([np.full(round(share * count), mu) for mu, _, share in _REGIMES])
    volatility = np.concatenate([np.full(round(share * count), sigma) for _, sigma, share in _REGIMES])
    drift, volatility = _fit(drift, count), _fit(volatility, count)
    returns = drift + volatility * rng.standard_normal(count)
    base = pair.split("/")[0]
    start = _START_PRICES.get(base, 1.0) if not pair.endswith("/BTC") else 0.05
    close = start * np.exp(np.cumsum(returns))
    open_ = np.concatenate(([start], close[:-1])) * np.exp(0.1 * volatility * rng.standard_normal(count))
    reach = np.abs(rng.standard_normal((2, count))) * volatility * 0.6
    high = np.maximum(open_, close) * np.exp(reach[0])
    low = np.minimum(open_, close) * np.exp(-reach[1])
    volume = np.exp(rng.normal(10, 0.5, count)) * (1 + 40 * np.abs(returns))
    step = TIMEFRAME_SECONDS[timeframe]
    time = START + step * np.arange(count, dtype=np.int64)
    # Eight significant digits, as an exchange prints them: the CSV files of the samples
    # hold exactly these values.
    columns = [_significant(column) for column in (open_, high, low, close, volume)]
    return Bars.from_columns(time, *columns)


def _significant(values: np.ndarray, digits: int = 8) -> np.ndarray:
    return np.array([float(f"{value:.{digits}g}") for value in values.tolist()])


def to_csv(bars: Bars) -> str:
    lines = ["time,open,high,low,close,volume"]
    for row in zip(bars.time.tolist(), *(column.tolist() for column in bars.columns()), strict=True):
        lines.append(",".join(f"{value:.8g}" if isinstance(value, float) else str(value) for value in row))
    return "\n".join(lines) + "\n"


def write_all(folder: Path) -> list[Path]:
    """Write every sample as `<name>.csv` into `folder` (`make samples`)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sample in SAMPLES:
        path = folder / f"{sample.name}.csv"
        path.write_text(to_csv(sample.bars()), encoding="utf-8")
        written.append(path)
    return written


def _fit(values: np.ndarray, count: int) -> np.ndarray:
    if len(values) >= count:
        return values[:count]
    return np.concatenate((values, np.full(count - len(values), values[-1])))


if __name__ == "__main__":
    for written_path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "examples/data")):
        print(written_path)
