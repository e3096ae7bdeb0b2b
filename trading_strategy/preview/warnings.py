"""Data that does not match the strategy: warned about, never refused (PREVIEW.md §5)."""

from __future__ import annotations

import numpy as np

from trading_strategy.dsl import Diagnostic

from .bars import Bars
from .samples import TIMEFRAME_SECONDS


def mismatches(bars: Bars, timeframe: str, pair: str | None = None, data_pair: str | None = None):
    """`data_pair`: the dataset's pair when it is known (a sample or a labelled upload)."""
    found: list[Diagnostic] = []
    if len(bars) >= 2:
        spacing = int(np.median(np.diff(bars.time)))
        expected = TIMEFRAME_SECONDS.get(timeframe)
        if expected is not None and spacing != expected:
            found.append(
                Diagnostic(
                    "data.timeframe_mismatch",
                    "warning",
                    f"The bars are {spacing} s apart; the strategy's timeframe {timeframe} is {expected} s.",
                    hint="choose data of the strategy's timeframe",
                )
            )
    if pair is not None and data_pair is not None and pair.upper() != data_pair.upper():
        found.append(
            Diagnostic(
                "data.pair_mismatch",
                "warning",
                f"The data is {data_pair}; the strategy trades {pair}.",
                hint="choose data of the strategy's pair",
            )
        )
    return found
