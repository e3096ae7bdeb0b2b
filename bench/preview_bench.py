"""Timing of the signal preview (no pass/fail): run with `make bench`.

Prints, from one run: a 10-indicator strategy over 100,000 and 1,000,000 synthetic bars
in-process (indicators, conditions and trade walk), split by stage, with the peak memory
of the 1,000,000-bar run; the indicators' time against the bare TA-Lib calls on the same
arrays (the floor); and `trading-strategy preview --json` on a 100,000-bar CSV as a whole
process. Targets (issue): under 150 ms for 100,000 bars, under 2 s and 500 MB for
1,000,000, under 3 s for the whole command.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import talib  # noqa: E402

from trading_strategy.dsl import validate  # noqa: E402
from trading_strategy.preview import indicators, run_preview  # noqa: E402
from trading_strategy.preview.chart import chart  # noqa: E402
from trading_strategy.preview.results import as_json  # noqa: E402
from trading_strategy.preview.samples import synthetic, to_csv  # noqa: E402

STRATEGY = """
name: Ten indicators
trading_pair: BTC/USDT
timeframe: 1h
indicators:
  - {type: sma, name: sma_50, parameters: {period: 50}}
  - {type: ema, name: ema_12, parameters: {period: 12}}
  - {type: ema, name: ema_26, parameters: {period: 26}}
  - {type: rsi, name: rsi_14, parameters: {period: 14}}
  - {type: macd, name: macd, parameters: {}}
  - {type: bb, name: bb_20, parameters: {}}
  - {type: atr, name: atr_14, parameters: {}}
  - {type: stochastic, name: stoch, parameters: {}}
  - {type: cci, name: cci_20, parameters: {}}
  - {type: mfi, name: mfi_14, parameters: {}}
entry_conditions: >-
  ema_12 > ema_26 AND close > sma_50 AND rsi_14 < 70 AND macd > macd_signal
  AND close < bb_20_upper AND stoch_k > stoch_d AND cci_20 > -100 AND mfi_14 < 80
  AND atr_14 > atr_14[5] * 0.8
exit_conditions: ema_12 < ema_26 OR rsi_14 > 75
stop_conditions: unrealized_pnl_pct < -0.05 OR drawdown > 0.08
position_sizing: {type: percentage, percentage_of_capital: 0.2}
risk_parameters:
  max_daily_loss: 0.05
  max_drawdown: 0.3
  stop_loss_percentage: 0.04
  take_profit_percentage: 0.1
"""


def _best(function, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return min(samples), statistics.median(samples)


def _interleaved(first, second, rounds: int = 15) -> tuple[float, float]:
    """Best times of two functions run turn about, so the machine's other load falls on
    both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for function, samples in zip((first, second), times, strict=True):
            start = time.perf_counter()
            function()
            samples.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def _talib_floor(bars) -> None:
    """The same indicators as STRATEGY, straight from TA-Lib."""
    high, low, close, volume = bars.high, bars.low, bars.close, bars.volume
    talib.SMA(close, 50), talib.EMA(close, 12), talib.EMA(close, 26), talib.RSI(close, 14)
    talib.MACD(close, 12, 26, 9), talib.BBANDS(close, 20, 2.0, 2.0, 0), talib.ATR(high, low, close, 14)
    talib.STOCH(high, low, close, 14, 1, 0, 3, 0), talib.CCI(high, low, close, 20)
    talib.MFI(high, low, close, volume, 14)


def _ours(report, bars) -> None:
    for indicator in report.analysis["indicators"]:
        indicators.compute(indicator.spec.type, indicator.effective, bars)


def main() -> None:
    report = validate(STRATEGY, "yaml")
    assert report.valid, report.errors
    print("Signal preview benchmark (one run, one core)\n")
    for count, repeat in ((100_000, 15), (1_000_000, 3)):
        bars = synthetic("BTC/USDT", "1h", count)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        best, median = _best(lambda bars=bars: run_preview(report, bars), repeat)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        ours, floor = _interleaved(
            lambda bars=bars: _ours(report, bars), lambda bars=bars: _talib_floor(bars)
        )
        result = run_preview(report, bars)
        print(f"{count:>9,} bars: preview best {best * 1000:8.1f} ms, median {median * 1000:8.1f} ms")
        print(f"    trades {len(result.walk.trades)}, entry bars {int(result.entries.sum())}")
        print(
            f"    indicators {ours * 1000:7.1f} ms vs bare TA-Lib {floor * 1000:7.1f} ms: "
            f"{ours / floor:4.2f}x the floor"
        )
        print(f"    peak memory of this process {max(peak, before) / 1024:7.0f} MB")
    bars = synthetic("BTC/USDT", "1h", 20_000)

    def refresh() -> None:
        # What the editor's panel costs the server, page rendering aside: validation,
        # the preview, the results and the chart's data.
        checked = validate(STRATEGY, "yaml")
        result = run_preview(checked, bars)
        as_json(result), chart(result, checked)

    best, median = _best(refresh, 15)
    print(
        f"\nEditor refresh, 20,000 bars (validate, preview, results, chart data): "
        f"best {best * 1000:.1f} ms, median {median * 1000:.1f} ms (target 300 ms)"
    )
    with tempfile.TemporaryDirectory() as folder:
        strategy = Path(folder) / "strategy.yaml"
        strategy.write_text(STRATEGY, encoding="utf-8")
        data = Path(folder) / "bars.csv"
        data.write_text(to_csv(synthetic("BTC/USDT", "1h", 100_000)), encoding="utf-8")
        command = [sys.executable, "-m", "trading_strategy.cli", "preview", str(strategy)]
        command += ["--data", str(data)]
        best, median = _best(lambda: subprocess.run([*command, "--json"], check=True, capture_output=True), 3)
        print(f"\n`trading-strategy preview --json`, 100,000-bar CSV, whole process: best {best:.2f} s")


if __name__ == "__main__":
    main()
