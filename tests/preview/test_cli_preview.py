"""`trading-strategy preview FILE --data CSV [--json]` on every example and its sample."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trading_strategy.dsl import validate
from trading_strategy.preview import samples

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples").glob("*.toml"))
KEYS = {"bars", "warmup_bars", "entry_bars", "exit_bars", "stop_bars", "trades", "stats", "clauses"}
KEYS.add("warnings")


def preview(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trading_strategy.cli", "preview", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def sample_file(example: Path) -> Path:
    model = validate(example.read_text(), example.suffix.lstrip(".").replace("yml", "yaml")).model
    sample = samples.for_strategy(model["trading_pair"], model["timeframe"])
    return ROOT / "examples" / "data" / f"{sample.name}.csv"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_every_example_previews_on_the_sample_of_its_pair(example):
    completed = preview(str(example), "--data", str(sample_file(example)), "--json")
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert set(result) == KEYS
    assert result["bars"] == samples.BARS
    assert result["warnings"] == [], "each example has a sample of its own pair and timeframe"
    assert all(time.endswith("Z") for time in result["entry_bars"])


def test_one_example_fills_every_entry_of_the_results():
    example = ROOT / "examples" / "multi_indicator.yaml"
    result = json.loads(preview(str(example), "--data", str(sample_file(example)), "--json").stdout)
    for key in ("entry_bars", "exit_bars", "stop_bars", "trades", "clauses"):
        assert result[key], key
    assert result["warmup_bars"] > 0
    assert set(result["stats"]) >= {
        "trades",
        "win_rate",
        "total_return",
        "max_drawdown",
        "exposure",
        "profit_factor",
        "fees",
    }
    assert {trade["reason"] for trade in result["trades"]} >= {"exit", "stop"}


def test_the_human_summary_names_the_bars_and_the_trades():
    example = ROOT / "examples" / "trend_following.yaml"
    completed = preview(str(example), "--data", str(sample_file(example)))
    assert completed.returncode == 0
    assert f"{samples.BARS} bars" in completed.stdout and "trades" in completed.stdout


def test_rejected_data_names_row_and_column_and_exits_1(tmp_path):
    data = tmp_path / "bars.csv"
    data.write_text("time,open,high,low,close,volume\n2024-01-01T00:00:00Z,10,9,8,9.5,100\n")
    completed = preview(str(ROOT / "examples" / "trend_following.yaml"), "--data", str(data))
    assert completed.returncode == 1
    assert f"{data}:2:3: error:" in completed.stderr and "[data.high_below]" in completed.stderr


def test_an_unknown_strategy_format_is_a_usage_error(tmp_path):
    strategy = tmp_path / "strategy.txt"
    strategy.write_text("name: x\n")
    completed = preview(str(strategy), "--data", str(sample_file(EXAMPLES[0])))
    assert completed.returncode == 2 and "--format" in completed.stderr


def test_a_missing_data_file_is_a_usage_error():
    completed = preview(str(EXAMPLES[0]), "--data", "/nonexistent/bars.csv")
    assert completed.returncode == 2


def test_the_committed_sample_files_are_what_the_generator_makes():
    for sample in samples.SAMPLES:
        committed = (ROOT / "examples" / "data" / f"{sample.name}.csv").read_text()
        assert committed == samples.to_csv(sample.bars()), f"run `make samples` ({sample.name})"
