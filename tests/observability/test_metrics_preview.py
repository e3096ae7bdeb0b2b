"""The preview histogram, fed by `checks.preview` (the one path every preview takes):
where it was served, its outcome and the range of bars it walked.

Metrics are process-wide and cumulative, so each test compares a count before and after.
"""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from trading_strategy.observability import metrics, telemetry
from trading_strategy.preview.samples import synthetic
from trading_strategy.strategies import checks

from ..documents import strategy_document

BARS = synthetic("BTC/USDT", "1h", 30_000)
INVALID = "name: Half typed\ntimeframe: 7m\n"


def previews(source: str, result: str, bars: str) -> float:
    labels = {"source": source, "result": result, "bars": bars}
    return REGISTRY.get_sample_value("trading_strategy_preview_duration_seconds_count", labels) or 0.0


def counted(source: str, result: str, bars: str, run) -> float:
    before = previews(source, result, bars)
    run()
    return previews(source, result, bars) - before


def test_a_preview_counts_by_source_result_and_the_bars_it_walked():
    assert (
        counted(
            "editor",
            "ok",
            "le_20k",
            lambda: checks.preview(strategy_document(), "yaml", BARS, "editor", end=20_000),
        )
        == 1
    )
    assert (
        counted("api", "ok", "le_100k", lambda: checks.preview(strategy_document(), "yaml", BARS, "api")) == 1
    )
    assert (
        counted(
            "page",
            "ok",
            "le_20k",
            lambda: checks.preview(strategy_document(), "yaml", BARS, "page", first=20_000),
        )
        == 1
    )


def test_a_document_with_errors_counts_as_invalid():
    outcome = None

    def run():
        nonlocal outcome
        outcome = checks.preview(INVALID, "yaml", BARS, "editor", end=1_000)

    assert counted("editor", "invalid", "le_20k", run) == 1
    assert outcome is not None and outcome.preview is None


def test_a_crash_counts_as_error_and_still_reaches_the_caller(monkeypatch):
    def broken(*args, **kwargs):
        raise FloatingPointError("engine bug")

    monkeypatch.setattr("trading_strategy.preview.run_preview", broken)

    def run():
        with pytest.raises(FloatingPointError):
            checks.preview(strategy_document(), "yaml", BARS, "api", end=5_000)

    assert counted("api", "error", "le_20k", run) == 1


def test_the_duration_lands_in_the_previews_buckets():
    before = (
        REGISTRY.get_sample_value(
            "trading_strategy_preview_duration_seconds_bucket",
            {"source": "cli", "result": "ok", "bars": "le_20k", "le": "10.0"},
        )
        or 0.0
    )
    checks.preview(strategy_document(), "yaml", BARS, "cli", end=2_000)
    after = REGISTRY.get_sample_value(
        "trading_strategy_preview_duration_seconds_bucket",
        {"source": "cli", "result": "ok", "bars": "le_20k", "le": "10.0"},
    )
    assert after == before + 1
    assert {0.3, 1.0, 2.0} <= set(metrics.preview_duration._upper_bounds)


@pytest.mark.parametrize(
    ("bars", "label"),
    [
        (0, "le_20k"),
        (20_000, "le_20k"),
        (20_001, "le_100k"),
        (100_000, "le_100k"),
        (100_001, "le_1m"),
        (1_000_000, "le_1m"),
        (1_000_001, "gt_1m"),
        (None, "le_20k"),
    ],
)
def test_bars_fall_in_disjoint_ranges_named_by_their_top(bars, label):
    assert metrics.bars_label(bars) == label


def test_label_values_outside_the_contract_are_bounded():
    def run():
        with telemetry.span("preview", source="../x", format="yaml", bars="many") as span:
            span.metadata["result"] = "surprising"

    assert counted("other", "error", "le_20k", run) == 1
