"""A dataset in memory: OHLCV bars in ascending time, one numpy array per column."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SECONDS_PER_DAY = 86_400
COLUMNS = ("open", "high", "low", "close", "volume")


@dataclass(frozen=True)
class Bars:
    """`time` holds each bar's open time in Unix seconds (UTC), int64; the prices and
    the volume are float64. The arrays have one length and are never written to."""

    time: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray

    def __post_init__(self) -> None:
        for array in (self.time, *self.columns()):
            array.flags.writeable = False

    def __len__(self) -> int:
        return len(self.time)

    def columns(self) -> tuple[np.ndarray, ...]:
        return (self.open, self.high, self.low, self.close, self.volume)

    def column(self, name: str) -> np.ndarray:
        return {
            "open": self.open,
            "high": self.high,
            "low": self.low,
            "close": self.close,
            "volume": self.volume,
        }[name]

    def days(self) -> np.ndarray:
        """The UTC day of each bar, as days since 1970-01-01."""
        return self.time // SECONDS_PER_DAY

    @classmethod
    def from_columns(cls, time, open_, high, low, close, volume) -> Bars:
        return cls(
            np.ascontiguousarray(time, dtype=np.int64),
            *(np.ascontiguousarray(column, dtype=np.float64) for column in (open_, high, low, close, volume)),
        )


def iso(seconds: int) -> str:
    """A bar time as ISO 8601 UTC with a `Z`, as the results print it."""
    return np.datetime_as_string(np.datetime64(int(seconds), "s"), unit="s") + "Z"
