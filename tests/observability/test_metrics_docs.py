"""docs/metrics.md and the metric catalog in metrics.py say the same thing: every metric
with its type and labels, both ways, and the bucket edges."""

from __future__ import annotations

import re
from pathlib import Path

from trading_strategy.observability import metrics

DOCS = (Path(__file__).parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `(trading_strategy_\w+)` \|(.*)$", re.MULTILINE)


def documented() -> dict[str, str]:
    """Each metric row of the catalog tables: name -> the rest of the row."""
    rows: dict[str, str] = {}
    for name, rest in ROW.findall(DOCS):
        assert name not in rows, f"{name} is documented twice"
        rows[name] = rest
    return rows


def test_every_catalog_metric_is_documented_with_its_type_and_labels():
    rows = documented()
    for name, kind, labels in metrics.CATALOG:
        assert name in rows, name
        type_cell, labels_cell = rows[name].split("|")[:2]
        assert type_cell.strip().startswith(kind), (name, type_cell)
        for label in labels:
            assert f"`{label}`" in labels_cell, (name, label)
    for name, _, labels in metrics.WORKER_FACTS:
        assert name in rows, name
        for label in labels:
            assert f"`{label}`" in rows[name], (name, label)


def test_every_documented_metric_is_in_the_catalog():
    known = {name for name, _, _ in metrics.CATALOG + metrics.WORKER_FACTS}
    assert set(documented()) <= known, set(documented()) - known


def test_the_preview_label_values_are_documented():
    preview = documented()["trading_strategy_preview_duration_seconds"]
    ranges = [label for _, label in metrics.PREVIEW_BARS] + [metrics.PREVIEW_BARS_BEYOND]
    for value in (*metrics.PREVIEW_SOURCES, *metrics.PREVIEW_RESULTS, *ranges):
        assert value in preview, value


def test_the_bucket_edges_are_documented():
    for buckets in (metrics.LATENCY_BUCKETS, metrics.PREVIEW_BUCKETS, metrics.FAST_BUCKETS):
        assert f"`{' '.join(f'{edge:g}' for edge in buckets)}`" in DOCS, buckets
    extra = metrics.OPERATION_BUCKETS[len(metrics.LATENCY_BUCKETS) :]
    assert f"`{' '.join(f'{edge:g}' for edge in extra)}`" in DOCS, extra
