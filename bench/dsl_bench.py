"""Timing of the strategy validator (no pass/fail): run with `make bench`.

Prints, from one run, median and p95 `validate` times for everyday strategies of 3 and 10
indicators and for a 100-indicator strategy with 2,000-character conditions, documents
per second on one core, the cost
of full validation relative to the bare parse of the same text, and how long hostile
documents take to be rejected.
"""

from __future__ import annotations

import statistics
import sys
import time
import tomllib
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from trading_strategy.dsl import summarize, to_toml, to_yaml, validate

TYPES = ("rsi", "sma", "ema", "bb", "macd", "atr", "stochastic", "cci", "mfi", "kama")


def _condition(names: list[str], other: str = "close > open", limit: int = 2000) -> str:
    parts, i = [], 0
    while True:
        name = names[i % len(names)]
        part = f"({name} > {name}[{i % 50 + 1}] OR {other})"
        candidate = " AND ".join(parts + [part])
        if len(candidate) > limit:
            break
        parts.append(part)
        i += 1
    return " AND ".join(parts)


def _everyday(names: list[str], op: str) -> str:
    """One comparison per indicator, as traders write them: a name against its last bar."""
    return " AND ".join(f"{name} {op} {name}[1]" for name in names)


def strategy(count: int, long_conditions: bool = False) -> dict:
    indicators, names = [], []
    for i in range(count):
        kind = TYPES[i % len(TYPES)]
        name = f"{kind}_{i}"
        indicators.append({"type": kind, "name": name, "parameters": {}})
        names.append(name)
    if not long_conditions:
        return {
            "name": f"Benchmark {count}",
            "trading_pair": "BTC/USDT",
            "timeframe": "1h",
            "indicators": indicators,
            "entry_conditions": _everyday(names, ">"),
            "exit_conditions": _everyday(names[:2], "<"),
            "stop_conditions": "unrealized_pnl_pct < -0.05 OR drawdown > 0.1",
            "position_sizing": {"type": "percentage", "percentage_of_capital": 0.1},
            "risk_parameters": {"max_daily_loss": 0.03, "max_drawdown": 0.15},
        }
    condition = _condition(names)
    return {
        "name": f"Benchmark {count}",
        "trading_pair": "BTC/USDT",
        "timeframe": "1h",
        "indicators": indicators,
        "entry_conditions": condition,
        "exit_conditions": condition.replace(">", "<"),
        "stop_conditions": _condition(names, "drawdown > 0.1"),
        "position_sizing": {"type": "percentage", "percentage_of_capital": 0.1},
        "risk_parameters": {"max_daily_loss": 0.03, "max_drawdown": 0.15},
    }


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def p95(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.3f} ms"


def main():
    print("DSL validator benchmark (one run, one core)\n")
    texts = {}
    for count, repeat in ((3, 200), (10, 200), (100, 40)):
        model = strategy(count, long_conditions=count == 100)
        yaml_text, toml_text = to_yaml(model), to_toml(model)
        assert validate(yaml_text, "yaml").valid, validate(yaml_text, "yaml").errors
        texts[count] = (yaml_text, toml_text)
        validate(yaml_text, "yaml")  # warm-up
        full_yaml = timed(partial(validate, yaml_text, "yaml"), repeat)
        bare_yaml = timed(partial(yaml.load, yaml_text, Loader=yaml.CSafeLoader), repeat)
        full_toml = timed(partial(validate, toml_text, "toml"), repeat)
        bare_toml = timed(partial(tomllib.loads, toml_text), repeat)
        median = statistics.median(full_yaml)
        print(f"{count:3d} indicators, {len(yaml_text):6d} bytes YAML / {len(toml_text):6d} TOML")
        print(
            f"    YAML validate: median {ms(median)}  p95 {ms(p95(full_yaml))}  "
            f"-> {1 / median:8.1f} documents/s"
        )
        print(
            f"    TOML validate: median {ms(statistics.median(full_toml))}  "
            f"p95 {ms(p95(full_toml))}  -> {1 / statistics.median(full_toml):8.1f} documents/s"
        )
        print(
            f"    validate / yaml.load(CSafeLoader): "
            f"{median / statistics.median(bare_yaml):6.1f}x "
            f"(bare parse {ms(statistics.median(bare_yaml))})"
        )
        print(
            f"    validate / tomllib.loads:          "
            f"{statistics.median(full_toml) / statistics.median(bare_toml):6.1f}x "
            f"(bare parse {ms(statistics.median(bare_toml))})"
        )

    print("\nRejection of hostile documents (median of 20)")
    bomb_lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 10):
        bomb_lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    cases = [
        ("alias bomb (10^10 values)", "\n".join(bomb_lines) + "\n", "yaml"),
        ("300 KiB YAML document", "name: x\n#" + "x" * 300 * 1024 + "\n", "yaml"),
        ("300 KiB TOML document", 'name = "x"\n#' + "x" * 300 * 1024 + "\n", "toml"),
        ("300-deep brackets, YAML", "a: " + "[" * 300 + "]" * 300 + "\n", "yaml"),
        ("300-deep brackets, TOML", "a = " + "[" * 300 + "]" * 300 + "\n", "toml"),
    ]
    deep_model = strategy(3)
    deep_model["entry_conditions"] = "(" * 300 + "close > open" + ")" * 300
    cases.append(("300-deep parentheses in a condition", to_yaml(deep_model), "yaml"))
    for label, text, fmt in cases:
        report = validate(text, fmt)
        codes = sorted({d.code for d in report.errors})
        samples = timed(partial(validate, text, fmt), 20)
        print(f"    {label:38s} {ms(statistics.median(samples))}  {', '.join(codes)}")

    print("\nTest syntax (10 indicators)")
    yaml_text = texts[10][0]
    samples = timed(lambda: summarize(validate(yaml_text, "yaml")), 100)
    print(f"    validate + summarize: median {ms(statistics.median(samples))}  p95 {ms(p95(samples))}")


if __name__ == "__main__":
    main()
