"""The signal preview's panels on the overview dashboard: its latency against the SLO
(p95 < 300 ms for up to 20,000 bars, alert SlowPreview at 1 s) and its traffic."""

from __future__ import annotations

from dashboard_panels import JOB, ORANGE, RED, Layout, target, timeseries


def preview_panels(layout: Layout) -> list[dict]:
    return [
        timeseries(
            layout,
            "Preview duration (p95)",
            "p95 of signal previews by bars range, refused documents left out (bars le_20k is "
            "the alert SlowPreview's measure), and by result and range. Target < 300 ms for up "
            "to 20,000 bars; alert at 1 s.",
            [
                target("trading_strategy:preview_duration_seconds:p95_5m", "{{bars}} bars"),
                target(
                    "histogram_quantile(0.95, sum by (le, result, bars) "
                    f"(rate(trading_strategy_preview_duration_seconds_bucket{{{JOB}}}[5m])))",
                    "{{result}} {{bars}}",
                ),
            ],
            "s",
            steps=((0.3, ORANGE), (1, RED)),
        ),
        timeseries(
            layout,
            "Preview rate",
            "Signal previews per second by where they were served (editor, page, api), "
            "result and bars range (5 m rate).",
            [
                target(
                    "sum by (source, result, bars) (trading_strategy:previews:rate5m)",
                    "{{source}} {{result}} {{bars}}",
                )
            ],
            "ops",
            stack=True,
        ),
    ]
