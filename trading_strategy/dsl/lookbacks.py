"""How many bars each indicator needs before its first value (PREVIEW.md §2).

The counts are TA-Lib's lookbacks (its `*_Lookback` functions, at the default unstable
period of 0) where TA-Lib has the indicator, and follow from the defined formulas where it
does not. Test syntax reports the warm-up from them and the signal preview leaves exactly
that many bars without a value, so the two always agree (tests/preview checks it).
Every output of an indicator starts at the same bar, as TA-Lib's do.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any


def _int(parameters: Mapping[str, Any], name: str) -> int:
    return int(parameters[name])


def _window(parameters: Mapping[str, Any]) -> int:
    """A window of `period` bars has its first value on the last bar of the first window."""
    return _int(parameters, "period") - 1


def _after_period(parameters: Mapping[str, Any]) -> int:
    """Differences over `period` bars (ROC, momentum, RSI, ATR...) need one bar more."""
    return _int(parameters, "period")


def _hma(parameters: Mapping[str, Any]) -> int:
    period = _int(parameters, "period")
    return (period - 1) + (math.isqrt(period) - 1)


def _macd(parameters: Mapping[str, Any]) -> int:
    return (_int(parameters, "long_period") - 1) + (_int(parameters, "signal_period") - 1)


def _stochastic(parameters: Mapping[str, Any]) -> int:
    return sum(_int(parameters, name) - 1 for name in ("k_period", "k_smoothing", "d_period"))


def _none(parameters: Mapping[str, Any]) -> int:
    return 0


_LOOKBACKS: dict[str, Callable[[Mapping[str, Any]], int]] = {
    "sma": _window,
    "ema": _window,
    "wma": _window,
    "hma": _hma,
    "kama": _after_period,
    "macd": _macd,
    "rsi": _after_period,
    "stochastic": _stochastic,
    "williams_r": _window,
    "cci": _window,
    "roc": _after_period,
    "momentum": _after_period,
    "bb": _window,
    "atr": _after_period,
    "stddev": _window,
    # One bar for the first log return, then `period` of them.
    "vi": _after_period,
    "obv": _none,
    "vwap": _none,
    "adi": _none,
    "cmf": _window,
    "mfi": _after_period,
}


def lookback(type_name: str, effective: Mapping[str, Any]) -> int:
    """Bars before the first value of an indicator of canonical type `type_name`, with
    every parameter filled in (`ResolvedIndicator.effective`)."""
    return _LOOKBACKS[type_name](effective)
