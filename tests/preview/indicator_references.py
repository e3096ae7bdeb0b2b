"""Every catalog indicator written again as the plainest loop over Python floats, from the
definitions of PREVIEW.md §2 and the published TA-Lib algorithms, sharing nothing with
the engine. NaN marks a bar without a value."""

from __future__ import annotations

import math

NAN = float("nan")


def sma(x, n):
    return [NAN if t < n - 1 else sum(x[t - n + 1 : t + 1]) / n for t in range(len(x))]


def seeded_average(x, n, k, start=0):
    """TA-Lib's EMA: the mean of the first n values (from `start`) on their last bar,
    then `avg += k * (x - avg)` on each later bar."""
    out = [NAN] * len(x)
    average = sum(x[start : start + n]) / n
    out[start + n - 1] = average
    for t in range(start + n, len(x)):
        average += k * (x[t] - average)
        out[t] = average
    return out


def ema(x, n, k=None):
    return seeded_average(x, n, 2 / (n + 1) if k is None else k)


def wma(x, n):
    out = [NAN] * len(x)
    for t in range(n - 1, len(x)):
        window = x[t - n + 1 : t + 1]
        if any(math.isnan(v) for v in window):
            continue
        out[t] = sum((i + 1) * v for i, v in enumerate(window)) / (n * (n + 1) / 2)
    return out


def hma(x, n):
    half, full = wma(x, n // 2), wma(x, n)
    return wma([2 * a - b for a, b in zip(half, full, strict=True)], math.isqrt(n))


def kama(x, n, fast=2, slow=30):
    out = [NAN] * len(x)
    fastest, slowest = 2 / (fast + 1), 2 / (slow + 1)
    average = x[n - 1]
    for t in range(n, len(x)):
        change = abs(x[t] - x[t - n])
        path = sum(abs(x[j] - x[j - 1]) for j in range(t - n + 1, t + 1))
        ratio = 1.0 if path == 0 else change / path
        average += (ratio * (fastest - slowest) + slowest) ** 2 * (x[t] - average)
        out[t] = average
    return out


def macd(x, short, long, signal):
    """TA-Lib seeds both averages on bar long-1: the short one with the mean of the
    `short` values ending there."""
    first = long - 1
    fast = seeded_average(x, short, 2 / (short + 1), start=long - short)
    slow = seeded_average(x, long, 2 / (long + 1))
    line = [fast[t] - slow[t] if t >= first else NAN for t in range(len(x))]
    trigger = seeded_average(line, signal, 2 / (signal + 1), start=first)
    ready = first + signal - 1
    line = [v if t >= ready else NAN for t, v in enumerate(line)]
    return line, trigger, [a - b for a, b in zip(line, trigger, strict=True)]


def rsi(x, n):
    out = [NAN] * len(x)
    gains = [max(x[t] - x[t - 1], 0) for t in range(1, len(x))]
    losses = [max(x[t - 1] - x[t], 0) for t in range(1, len(x))]
    gain, loss = sum(gains[:n]) / n, sum(losses[:n]) / n
    for t in range(n, len(x)):
        if t > n:
            gain = (gain * (n - 1) + gains[t - 1]) / n
            loss = (loss * (n - 1) + losses[t - 1]) / n
        out[t] = 0.0 if gain + loss == 0 else 100 * gain / (gain + loss)
    return out


def _extremes(high, low, t, n):
    return max(high[t - n + 1 : t + 1]), min(low[t - n + 1 : t + 1])


def stochastic(high, low, close, k_period, k_smoothing, d_period):
    fast = [NAN] * len(close)
    for t in range(k_period - 1, len(close)):
        highest, lowest = _extremes(high, low, t, k_period)
        fast[t] = 0.0 if highest == lowest else 100 * (close[t] - lowest) / (highest - lowest)
    k = _sma_from(fast, k_smoothing, k_period - 1)
    d = _sma_from(k, d_period, k_period - 1 + k_smoothing - 1)
    ready = k_period + k_smoothing + d_period - 3
    return [v if t >= ready else NAN for t, v in enumerate(k)], d


def _sma_from(x, n, first):
    return [NAN if t < first + n - 1 else sum(x[t - n + 1 : t + 1]) / n for t in range(len(x))]


def williams_r(high, low, close, n):
    out = [NAN] * len(close)
    for t in range(n - 1, len(close)):
        highest, lowest = _extremes(high, low, t, n)
        out[t] = 0.0 if highest == lowest else -100 * (highest - close[t]) / (highest - lowest)
    return out


def cci(high, low, close, n, constant=0.015):
    typical = [(h + lo + c) / 3 for h, lo, c in zip(high, low, close, strict=True)]
    out = [NAN] * len(close)
    for t in range(n - 1, len(close)):
        window = typical[t - n + 1 : t + 1]
        mean = sum(window) / n
        deviation = sum(abs(v - mean) for v in window) / n
        out[t] = 0.0 if deviation == 0 else (typical[t] - mean) / (constant * deviation)
    return out


def roc(x, n):
    return [NAN if t < n else 100 * (x[t] / x[t - n] - 1) for t in range(len(x))]


def momentum(x, n):
    return [NAN if t < n else x[t] - x[t - n] for t in range(len(x))]


def _population_std(values):
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def stddev(x, n):
    return [NAN if t < n - 1 else _population_std(x[t - n + 1 : t + 1]) for t in range(len(x))]


def bb(x, n, deviations):
    middle, spread = sma(x, n), stddev(x, n)
    upper = [m + deviations * s for m, s in zip(middle, spread, strict=True)]
    lower = [m - deviations * s for m, s in zip(middle, spread, strict=True)]
    return middle, upper, lower


def atr(high, low, close, n):
    ranges = [NAN] + [
        max(high[t] - low[t], abs(high[t] - close[t - 1]), abs(low[t] - close[t - 1]))
        for t in range(1, len(close))
    ]
    out = [NAN] * len(close)
    average = sum(ranges[1 : n + 1]) / n
    out[n] = average
    for t in range(n + 1, len(close)):
        average = (average * (n - 1) + ranges[t]) / n
        out[t] = average
    return out


def vi(close, n):
    returns = [NAN] + [math.log(close[t] / close[t - 1]) for t in range(1, len(close))]
    return [NAN if t < n else _population_std(returns[t - n + 1 : t + 1]) for t in range(len(close))]


def obv(close, volume):
    out, total = [], 0.0
    for t in range(len(close)):
        if t == 0 or close[t] > close[t - 1]:
            total += volume[t]
        elif close[t] < close[t - 1]:
            total -= volume[t]
        out.append(total)
    return out


def vwap(time, high, low, close, volume):
    out, weighted, total, day = [], 0.0, 0.0, None
    for t in range(len(close)):
        if time[t] // 86_400 != day:
            day, weighted, total = time[t] // 86_400, 0.0, 0.0
        weighted += (high[t] + low[t] + close[t]) / 3 * volume[t]
        total += volume[t]
        out.append(NAN if total == 0 else weighted / total)
    return out


def _money_flow_multiplier(high, low, close, t):
    if high[t] == low[t]:
        return 0.0
    return ((close[t] - low[t]) - (high[t] - close[t])) / (high[t] - low[t])


def adi(high, low, close, volume):
    out, total = [], 0.0
    for t in range(len(close)):
        total += _money_flow_multiplier(high, low, close, t) * volume[t]
        out.append(total)
    return out


def cmf(high, low, close, volume, n):
    out = [NAN] * len(close)
    for t in range(n - 1, len(close)):
        flow = sum(_money_flow_multiplier(high, low, close, j) * volume[j] for j in range(t - n + 1, t + 1))
        total = sum(volume[t - n + 1 : t + 1])
        out[t] = NAN if total == 0 else flow / total
    return out


def mfi(high, low, close, volume, n):
    typical = [(h + lo + c) / 3 for h, lo, c in zip(high, low, close, strict=True)]
    out = [NAN] * len(close)
    for t in range(n, len(close)):
        rising = falling = 0.0
        for j in range(t - n + 1, t + 1):
            flow = typical[j] * volume[j]
            if typical[j] > typical[j - 1]:
                rising += flow
            elif typical[j] < typical[j - 1]:
                falling += flow
        out[t] = 0.0 if rising + falling == 0 else 100 * rising / (rising + falling)
    return out
