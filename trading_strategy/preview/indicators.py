"""Every catalog indicator over a whole dataset (PREVIEW.md §2).

TA-Lib computes each indicator it has, with the same parameters and warm-up; the formulas
that PREVIEW.md defines itself (hma, cmf, vi, vwap) and the parameter values TA-Lib does
not take (a period of 1 for Williams %R and CCI, an EMA smoothing or KAMA constants other
than TA-Lib's) are computed here, in numpy. A bar without a value yet holds NaN, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import talib

from .bars import Bars

# TA-Lib's KAMA uses these fast and slow periods for its smoothing constants.
_KAMA_FAST, _KAMA_SLOW = 2, 30
# TA-Lib's CCI divides by 0.015 times the mean deviation.
_CCI_CONSTANT = Decimal("0.015")


def source(bars: Bars, name: str) -> np.ndarray:
    if name == "hl2":
        return (bars.high + bars.low) / 2
    if name == "hlc3":
        return (bars.high + bars.low + bars.close) / 3
    if name == "ohlc4":
        return (bars.open + bars.high + bars.low + bars.close) / 4
    return bars.column(name)


def compute(type_name: str, parameters: Mapping[str, Any], bars: Bars) -> tuple[np.ndarray, ...]:
    """The outputs of one indicator, in the catalog's order (the bare name is the first),
    for its canonical type and effective parameters."""
    return _COMPUTE[type_name](parameters, bars)


def _int(parameters: Mapping[str, Any], name: str) -> int:
    return int(parameters[name])


def _source(parameters: Mapping[str, Any], bars: Bars) -> np.ndarray:
    return source(bars, parameters.get("source", "close"))


def _sma(p, bars):
    return (talib.SMA(_source(p, bars), _int(p, "period")),)


def _ema(p, bars):
    period = _int(p, "period")
    smoothing = p.get("smoothing")
    values = _source(p, bars)
    if smoothing is None or Decimal(smoothing) == Decimal(2) / Decimal(period + 1):
        return (talib.EMA(values, period),)
    return (_seeded_average(values, period, np.full(len(values), float(smoothing))),)


def _seeded_average(values: np.ndarray, period: int, factors: np.ndarray) -> np.ndarray:
    """An EMA-like average as TA-Lib seeds its EMA: the mean of the first `period` values
    on bar period-1, then `avg += factor[t] * (value[t] - avg)` on each later bar."""
    out = np.full(len(values), np.nan)
    if len(values) < period:
        return out
    average = float(np.mean(values[:period]))
    out[period - 1] = average
    return _recurrence(values, factors, period, average, out)


def _recurrence(values: np.ndarray, factors: np.ndarray, start: int, average: float, out: np.ndarray):
    # A recurrence has no numpy form that stays exact over long series; plain floats in
    # a loop are the fastest Python has (about 0.15 s per million bars).
    xs, ks = values.tolist(), factors.tolist()
    result = out.tolist()
    for t in range(start, len(xs)):
        average += ks[t] * (xs[t] - average)
        result[t] = average
    return np.array(result)


def _wma(p, bars):
    return (talib.WMA(_source(p, bars), _int(p, "period")),)


def _hma(p, bars):
    period = _int(p, "period")
    values = _source(p, bars)
    # WMA of a single bar is the value itself, as TA-Lib gives it.
    raw = 2 * talib.WMA(values, period // 2) - talib.WMA(values, period)
    return (talib.WMA(raw, math.isqrt(period)),)


def _kama(p, bars):
    period, fast, slow = _int(p, "period"), _int(p, "fast_period"), _int(p, "slow_period")
    values = _source(p, bars)
    if (fast, slow) == (_KAMA_FAST, _KAMA_SLOW):
        return (talib.KAMA(values, period),)
    return (_kama_formula(values, period, fast, slow),)


def _kama_formula(values: np.ndarray, period: int, fast: int, slow: int) -> np.ndarray:
    """Kaufman's adaptive average exactly as TA-Lib computes it, with its constants 2 and
    30 replaced by `fast` and `slow`: the efficiency ratio over `period` bars, seeded with
    the previous bar's value on bar `period`."""
    out = np.full(len(values), np.nan)
    if len(values) <= period:
        return out
    change = np.full(len(values), np.nan)
    change[period:] = np.abs(values[period:] - values[:-period])
    steps = np.abs(np.diff(values, prepend=values[0]))
    path = np.full(len(values), np.nan)
    path[period:] = talib.SUM(steps, period)[period:]
    signed = np.full(len(values), np.nan)
    signed[period:] = values[period:] - values[:-period]
    with np.errstate(divide="ignore", invalid="ignore"):
        # TA-Lib's test, signed change included: a path no longer than the change is
        # a straight line.
        ratio = np.where((path <= signed) | (np.abs(path) < 1e-14), 1.0, change / path)
    fastest, slowest = 2 / (fast + 1), 2 / (slow + 1)
    factors = (ratio * (fastest - slowest) + slowest) ** 2
    return _recurrence(values, factors, period, float(values[period - 1]), out)


def _macd(p, bars):
    return talib.MACD(
        _source(p, bars), _int(p, "short_period"), _int(p, "long_period"), _int(p, "signal_period")
    )


def _rsi(p, bars):
    return (talib.RSI(_source(p, bars), _int(p, "period")),)


def _stochastic(p, bars):
    return talib.STOCH(
        bars.high,
        bars.low,
        bars.close,
        fastk_period=_int(p, "k_period"),
        slowk_period=_int(p, "k_smoothing"),
        slowk_matype=0,
        slowd_period=_int(p, "d_period"),
        slowd_matype=0,
    )


def _williams_r(p, bars):
    period = _int(p, "period")
    if period > 1:
        return (talib.WILLR(bars.high, bars.low, bars.close, period),)
    # TA-Lib takes periods from 2; one bar is its formula over that bar alone.
    spread = bars.high - bars.low
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.where(spread != 0, -100 * (bars.high - bars.close) / spread, 0.0),)


def _cci(p, bars):
    period = _int(p, "period")
    if period == 1:
        # The typical price equals its own one-bar mean, and TA-Lib answers 0 where the
        # mean deviation is 0.
        return (np.zeros(len(bars)),)
    scale = float(_CCI_CONSTANT / Decimal(p["constant"]))
    return (talib.CCI(bars.high, bars.low, bars.close, period) * scale,)


def _roc(p, bars):
    return (talib.ROC(_source(p, bars), _int(p, "period")),)


def _momentum(p, bars):
    return (talib.MOM(_source(p, bars), _int(p, "period")),)


def _bb(p, bars):
    deviations = float(p["std_dev"])
    upper, middle, lower = talib.BBANDS(
        _source(p, bars), _int(p, "period"), nbdevup=deviations, nbdevdn=deviations, matype=0
    )
    return middle, upper, lower


def _atr(p, bars):
    return (talib.ATR(bars.high, bars.low, bars.close, _int(p, "period")),)


def _stddev(p, bars):
    return (talib.STDDEV(_source(p, bars), _int(p, "period"), 1),)


def _vi(p, bars):
    period = _int(p, "period")
    close = bars.close
    returns = np.full(len(close), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        returns[1:] = np.log(close[1:] / close[:-1])
    returns[~np.isfinite(returns)] = np.nan
    returns[0] = np.nan
    return (_rolling_population_std(returns, period),)


def _rolling_population_std(values: np.ndarray, period: int) -> np.ndarray:
    """Standard deviation over the last `period` values, NaN where any of them is NaN."""
    out = np.full(len(values), np.nan)
    if len(values) < period:
        return out
    missing = np.isnan(values)
    clean = np.where(missing, 0.0, values)
    # Sums over each window as differences of running totals: linear in the length.
    counts = _window_sums(missing.astype(np.float64), period)
    means = _window_sums(clean, period) / period
    squares = _window_sums(clean * clean, period) / period
    variance = np.maximum(squares - means * means, 0.0)
    out[period - 1 :] = np.where(counts == 0, np.sqrt(variance), np.nan)
    return out


def _window_sums(values: np.ndarray, period: int) -> np.ndarray:
    totals = np.concatenate(([0.0], np.cumsum(values)))
    return totals[period:] - totals[:-period]


def _obv(p, bars):
    return (talib.OBV(bars.close, bars.volume),)


def _vwap(p, bars):
    days = bars.days()
    starts = np.flatnonzero(np.diff(days, prepend=days[0] - 1))
    # How many bars of its day come before each bar.
    position = np.arange(len(days)) - np.repeat(starts, np.diff(np.append(starts, len(days))))
    weighted = _since_day_start(source(bars, "hlc3") * bars.volume, position)
    volume = _since_day_start(bars.volume, position)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.where(volume > 0, weighted / volume, np.nan),)


def _since_day_start(values: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Sums from the first bar of each bar's day, by doubling steps (log2 of the longest
    day's bars, each pass vectorised). Each sum only ever adds values of its own day: a
    running total over the whole series less its value before the day carried the
    rounding of every busier day before (2.5e-7 of the value after a price collapse)."""
    sums = values.copy()
    step, longest = 1, int(position.max(initial=0))
    while step <= longest:
        sums[step:] += np.where(position[step:] >= step, sums[:-step], 0.0)
        step *= 2
    return sums


def _adi(p, bars):
    return (talib.AD(bars.high, bars.low, bars.close, bars.volume),)


def _cmf(p, bars):
    period = _int(p, "period")
    spread = bars.high - bars.low
    with np.errstate(divide="ignore", invalid="ignore"):
        multiplier = np.where(spread != 0, ((bars.close - bars.low) - (bars.high - bars.close)) / spread, 0.0)
        flow = talib.SUM(multiplier * bars.volume, period)
        volume = talib.SUM(bars.volume, period)
        # TA-Lib's running sum leaves a rounding residue, not 0, once busy bars leave the
        # window; a count of the bars with volume is exact.
        busy = talib.SUM((bars.volume > 0).astype(np.float64), period)
        return (np.where(busy > 0, flow / volume, np.nan),)


def _mfi(p, bars):
    return (talib.MFI(bars.high, bars.low, bars.close, bars.volume, _int(p, "period")),)


_COMPUTE: dict[str, Callable[[Mapping[str, Any], Bars], tuple[np.ndarray, ...]]] = {
    "sma": _sma,
    "ema": _ema,
    "wma": _wma,
    "hma": _hma,
    "kama": _kama,
    "macd": _macd,
    "rsi": _rsi,
    "stochastic": _stochastic,
    "williams_r": _williams_r,
    "cci": _cci,
    "roc": _roc,
    "momentum": _momentum,
    "bb": _bb,
    "atr": _atr,
    "stddev": _stddev,
    "vi": _vi,
    "obv": _obv,
    "vwap": _vwap,
    "adi": _adi,
    "cmf": _cmf,
    "mfi": _mfi,
}
