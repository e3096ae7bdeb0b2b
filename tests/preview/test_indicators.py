"""Every catalog indicator against a plain loop over the same bars (the definitions of
PREVIEW.md §2) and, where TA-Lib has it, against TA-Lib called directly: defaults and
other parameter values, every source, a period of 1 where the catalog allows it."""

from __future__ import annotations

import numpy as np
import pytest
import talib

from trading_strategy.dsl import INDICATORS, summarize
from trading_strategy.preview.bars import Bars
from trading_strategy.preview.engine import run_preview
from trading_strategy.preview.indicators import compute

from . import indicator_references as ref
from .preview_helpers import HOUR, START, bars, random_bars, resolved, strategy, valid

# Sixty hourly bars from midnight: they cross two UTC day boundaries (bars 24 and 48).
DATA = random_bars(60, seed=7)
OPEN, H, L, C, V = (list(map(float, column)) for column in DATA.columns())
T = [int(t) for t in DATA.time]
SOURCES = {
    "open": OPEN,
    "high": H,
    "low": L,
    "close": C,
    "volume": V,
    "hl2": [(h + lo) / 2 for h, lo in zip(H, L, strict=True)],
    "hlc3": [(h + lo + c) / 3 for h, lo, c in zip(H, L, C, strict=True)],
    "ohlc4": [(o + h + lo + c) / 4 for o, h, lo, c in zip(OPEN, H, L, C, strict=True)],
}

# (type as written, parameters as written, the outputs computed by the plain loops)
GOLDEN = [
    ("sma", {}, lambda: [ref.sma(C, 20)]),
    ("sma", {"period": 7, "source": "hl2"}, lambda: [ref.sma(SOURCES["hl2"], 7)]),
    ("sma", {"period": 5, "source": "volume"}, lambda: [ref.sma(V, 5)]),
    ("ema", {}, lambda: [ref.ema(C, 12)]),
    ("ema", {"period": 9, "source": "hlc3"}, lambda: [ref.ema(SOURCES["hlc3"], 9)]),
    ("ema", {"period": 10, "smoothing": 0.3}, lambda: [ref.ema(C, 10, k=0.3)]),
    (
        "ema",
        {"period": 4, "smoothing": 0.05, "source": "ohlc4"},
        lambda: [ref.ema(SOURCES["ohlc4"], 4, k=0.05)],
    ),
    ("wma", {}, lambda: [ref.wma(C, 20)]),
    ("wma", {"period": 6, "source": "open"}, lambda: [ref.wma(OPEN, 6)]),
    ("hma", {}, lambda: [ref.hma(C, 14)]),
    ("hma", {"period": 9, "source": "low"}, lambda: [ref.hma(L, 9)]),
    ("hma", {"period": 2}, lambda: [ref.hma(C, 2)]),
    ("hma", {"period": 3, "source": "volume"}, lambda: [ref.hma(V, 3)]),
    ("kama", {}, lambda: [ref.kama(C, 10)]),
    ("kama", {"period": 8, "fast_period": 3, "slow_period": 20}, lambda: [ref.kama(C, 8, 3, 20)]),
    (
        "kama",
        {"period": 5, "fast_period": 1, "slow_period": 2, "source": "high"},
        lambda: [ref.kama(H, 5, 1, 2)],
    ),
    ("macd", {}, lambda: ref.macd(C, 12, 26, 9)),
    ("macd", {"fast_period": 5, "slow_period": 13, "signal_period": 4}, lambda: ref.macd(C, 5, 13, 4)),
    (
        "macd",
        {"short_period": 3, "long_period": 6, "signal_period": 2, "source": "volume"},
        lambda: ref.macd(V, 3, 6, 2),
    ),
    ("rsi", {}, lambda: [ref.rsi(C, 14)]),
    ("rsi", {"period": 2, "source": "ohlc4"}, lambda: [ref.rsi(SOURCES["ohlc4"], 2)]),
    ("stochastic", {}, lambda: ref.stochastic(H, L, C, 14, 1, 3)),
    (
        "stochastic",
        {"k_period": 5, "k_smoothing": 3, "d_period": 4},
        lambda: ref.stochastic(H, L, C, 5, 3, 4),
    ),
    ("stochastic", {"k_period": 1, "smooth": 1, "d_period": 1}, lambda: ref.stochastic(H, L, C, 1, 1, 1)),
    ("williams_r", {}, lambda: [ref.williams_r(H, L, C, 14)]),
    ("williams_r", {"period": 1}, lambda: [ref.williams_r(H, L, C, 1)]),
    ("cci", {}, lambda: [ref.cci(H, L, C, 20)]),
    ("cci", {"period": 10, "constant": 0.03}, lambda: [ref.cci(H, L, C, 10, 0.03)]),
    ("cci", {"period": 1}, lambda: [ref.cci(H, L, C, 1)]),
    ("roc", {}, lambda: [ref.roc(C, 12)]),
    ("roc", {"period": 1, "source": "hl2"}, lambda: [ref.roc(SOURCES["hl2"], 1)]),
    ("momentum", {}, lambda: [ref.momentum(C, 10)]),
    ("momentum", {"period": 1, "source": "low"}, lambda: [ref.momentum(L, 1)]),
    ("bb", {}, lambda: ref.bb(C, 20, 2.0)),
    (
        "bollinger_bands",
        {"period": 8, "multiplier": 1.5, "source": "hlc3"},
        lambda: ref.bb(SOURCES["hlc3"], 8, 1.5),
    ),
    ("atr", {}, lambda: [ref.atr(H, L, C, 14)]),
    ("atr", {"period": 1}, lambda: [ref.atr(H, L, C, 1)]),
    ("stddev", {}, lambda: [ref.stddev(C, 20)]),
    ("std_dev", {"period": 5, "source": "ohlc4"}, lambda: [ref.stddev(SOURCES["ohlc4"], 5)]),
    ("vi", {}, lambda: [ref.vi(C, 20)]),
    ("volatility_index", {"period": 2}, lambda: [ref.vi(C, 2)]),
    ("obv", {}, lambda: [ref.obv(C, V)]),
    ("vwap", {}, lambda: [ref.vwap(T, H, L, C, V)]),
    ("adi", {}, lambda: [ref.adi(H, L, C, V)]),
    ("cmf", {}, lambda: [ref.cmf(H, L, C, V, 20)]),
    ("cmf", {"period": 3}, lambda: [ref.cmf(H, L, C, V, 3)]),
    ("mfi", {}, lambda: [ref.mfi(H, L, C, V, 14)]),
    ("mfi", {"period": 5}, lambda: [ref.mfi(H, L, C, V, 5)]),
]


def _id(kind, parameters):
    return kind + "".join(f"-{key}={value}" for key, value in parameters.items())


def outputs(kind, parameters, data=DATA):
    indicator = resolved(kind, parameters)
    return compute(indicator.spec.type, indicator.effective, data)


@pytest.mark.parametrize(
    ("kind", "parameters", "expected"),
    [pytest.param(*case, id=_id(*case[:2])) for case in GOLDEN],
)
def test_each_indicator_equals_its_definition_computed_by_a_plain_loop(kind, parameters, expected):
    got = outputs(kind, parameters)
    want = expected()
    assert len(got) == len(want)
    for values, reference in zip(got, want, strict=True):
        np.testing.assert_allclose(values, np.array(reference), rtol=1e-9, atol=1e-9)


def test_every_catalog_type_has_a_golden_case():
    covered = {resolved(kind, parameters).spec.type for kind, parameters, _ in GOLDEN}
    assert covered == {indicator.type for indicator in INDICATORS}


O_, H_, L_, C_, V_ = DATA.columns()
HLC3 = (H_ + L_ + C_) / 3

# (type, parameters, TA-Lib's outputs on the same arrays, in the catalog's order)
TALIB = [
    ("sma", {"period": 9}, lambda: [talib.SMA(C_, 9)]),
    ("ema", {"period": 9, "source": "hlc3"}, lambda: [talib.EMA(HLC3, 9)]),
    ("ema", {"period": 3, "smoothing": 0.5}, lambda: [talib.EMA(C_, 3)]),
    ("wma", {"period": 9}, lambda: [talib.WMA(C_, 9)]),
    ("kama", {"period": 10}, lambda: [talib.KAMA(C_, 10)]),
    (
        "kama",
        {"period": 6, "fast_period": 2, "slow_period": 30, "source": "open"},
        lambda: [talib.KAMA(O_, 6)],
    ),
    ("macd", {}, lambda: talib.MACD(C_, 12, 26, 9)),
    ("macd", {"short_period": 4, "long_period": 9, "signal_period": 3}, lambda: talib.MACD(C_, 4, 9, 3)),
    ("rsi", {"period": 14}, lambda: [talib.RSI(C_, 14)]),
    ("stochastic", {}, lambda: talib.STOCH(H_, L_, C_, 14, 1, 0, 3, 0)),
    (
        "stochastic",
        {"k_period": 5, "k_smoothing": 3, "d_period": 4},
        lambda: talib.STOCH(H_, L_, C_, 5, 3, 0, 4, 0),
    ),
    ("williams_r", {"period": 14}, lambda: [talib.WILLR(H_, L_, C_, 14)]),
    ("williams_r", {"period": 2}, lambda: [talib.WILLR(H_, L_, C_, 2)]),
    ("cci", {"period": 20}, lambda: [talib.CCI(H_, L_, C_, 20)]),
    ("cci", {"period": 20, "constant": 0.03}, lambda: [talib.CCI(H_, L_, C_, 20) / 2]),
    ("roc", {"period": 12}, lambda: [talib.ROC(C_, 12)]),
    ("momentum", {"period": 10}, lambda: [talib.MOM(C_, 10)]),
    ("bb", {"std_dev": 2.5}, lambda: np.array(talib.BBANDS(C_, 20, 2.5, 2.5, 0))[[1, 0, 2]]),
    ("atr", {"period": 14}, lambda: [talib.ATR(H_, L_, C_, 14)]),
    ("stddev", {"period": 20}, lambda: [talib.STDDEV(C_, 20, 1)]),
    ("obv", {}, lambda: [talib.OBV(C_, V_)]),
    ("adi", {}, lambda: [talib.AD(H_, L_, C_, V_)]),
    ("mfi", {"period": 14}, lambda: [talib.MFI(H_, L_, C_, V_, 14)]),
]


@pytest.mark.parametrize(
    ("kind", "parameters", "expected"),
    [pytest.param(*case, id=_id(*case[:2])) for case in TALIB],
)
def test_each_indicator_talib_has_equals_talib(kind, parameters, expected):
    got = outputs(kind, parameters)
    want = expected()
    assert len(got) == len(want)
    for values, reference in zip(got, want, strict=True):
        np.testing.assert_allclose(values, reference, rtol=1e-12, atol=1e-12)


def test_vwap_starts_again_on_the_first_bar_of_each_utc_day():
    day = 86_400
    times = [START + 22 * HOUR, START + 23 * HOUR, START + day, START + day + HOUR, START + 3 * day]
    rows = [
        (10, 12, 8, 10, 100),  # typical price 10
        (10, 15, 9, 12, 300),  # 12
        (20, 21, 19, 20, 50),  # 20, a new day
        (20, 32, 28, 30, 150),  # 30
        (3, 6, 3, 3, 10),  # 4, two days later
    ]
    (values,) = outputs("vwap", {}, bars(rows, times))
    np.testing.assert_allclose(values, [10, 4_600 / 400, 20, 5_500 / 200, 4])


def test_vwap_has_no_value_until_its_day_has_volume():
    rows = [(10, 12, 8, 10, 100), (10, 12, 8, 10, 0), (20, 23, 20, 20, 5)]
    times = [START + 23 * HOUR, START + 24 * HOUR, START + 25 * HOUR]
    (values,) = outputs("vwap", {}, bars(rows, times))
    np.testing.assert_allclose(values, [10, np.nan, 21])


def test_vwap_stays_exact_after_a_collapse_of_the_price():
    # Sixty days at 100, then a millionth of that (as LUNA fell in May 2022): the day's
    # sums must not carry the rounding of all the busier days before.
    data = random_bars(24 * 62, seed=3)
    scale = np.where(np.arange(len(data)) < 24 * 60, 1.0, 1e-6)
    prices = [column * scale for column in (data.open, data.high, data.low, data.close)]
    collapsed = Bars.from_columns(data.time, *prices, data.volume)
    (values,) = outputs("vwap", {}, collapsed)
    columns = (collapsed.time, collapsed.high, collapsed.low, collapsed.close, collapsed.volume)
    np.testing.assert_allclose(values, ref.vwap(*(c.tolist() for c in columns)), rtol=1e-9)


def test_cmf_gives_a_bar_without_range_no_flow_and_a_window_without_volume_no_value():
    rows = [
        (10, 12, 8, 11, 100),  # multiplier 0.5
        (11, 11, 11, 11, 200),  # high = low: multiplier 0
        (11, 13, 9, 9, 0),  # no volume
        (9, 9, 9, 9, 0),  # no volume, no range: the window holds no volume
        (10, 12, 10, 12, 100),  # multiplier 1
    ]
    (values,) = outputs("cmf", {"period": 2}, bars(rows))
    np.testing.assert_allclose(values, [np.nan, 50 / 300, 0, np.nan, 1])


def test_cmf_has_no_value_where_the_window_holds_no_volume_after_busy_bars():
    # Running sums over the busy bars leave a rounding residue, not 0, once they pass.
    busy = random_bars(40, seed=1)
    volume = np.concatenate((busy.volume[:30] * 1.37, np.zeros(10)))
    data = Bars.from_columns(busy.time, busy.open, busy.high, busy.low, busy.close, volume)
    (values,) = outputs("cmf", {"period": 3}, data)
    expected = ref.cmf(*(list(map(float, c)) for c in (data.high, data.low, data.close, volume)), 3)
    np.testing.assert_allclose(values, expected, rtol=1e-9)
    assert np.isnan(values[32:]).all()


def test_williams_r_and_cci_over_one_bar_read_that_bar_alone():
    rows = [(10, 12, 8, 11, 1), (11, 11, 11, 11, 1), (11, 14, 10, 10, 1)]
    (williams,) = outputs("williams_r", {"period": 1}, bars(rows))
    (cci,) = outputs("cci", {"period": 1}, bars(rows))
    np.testing.assert_allclose(williams, [-25, 0, -100])
    np.testing.assert_allclose(cci, [0, 0, 0])


# (type, parameters): defaults of every catalog type, then other periods.
WARMUPS = [(indicator.type, {}) for indicator in INDICATORS] + [
    (kind, parameters) for kind, parameters, _ in GOLDEN if parameters
]


@pytest.mark.parametrize(("kind", "parameters"), [pytest.param(*case, id=_id(*case)) for case in WARMUPS])
def test_every_output_is_missing_exactly_over_the_warm_up_test_syntax_reports(kind, parameters):
    indicator = resolved(kind, parameters)
    computed = compute(indicator.spec.type, indicator.effective, DATA)
    names = indicator.output_names or (indicator.name,)
    assert len(computed) == len(names)
    for name, values in zip(names, computed, strict=True):
        missing = np.flatnonzero(np.isnan(values))
        # Only the first bars are missing, as many as the warm-up.
        assert missing.tolist() == list(range(indicator.lookback())), name
        text = strategy(f"{name} != 0", indicators=[(kind, indicator.name, parameters)])
        report = valid(text)
        assert summarize(report)["warmup_bars"] == len(missing), name
        assert run_preview(report, DATA).warmup_bars == len(missing), name
