"""The dashboard's charts: rates, ratios and p95s computed from the Prometheus registry.

The registry the exporter serves (all workers' files through `MultiProcessCollector` when
PROMETHEUS_MULTIPROC_DIR is set, else this process's registry) holds cumulative counters.
Rates and p95s are computed here from successive samples kept in a short history, so a
chart opened late is not empty: each worker's poller thread samples it (the job the ops
app adds in its `ready()`), and a page asking when no sample is recent samples it then.
There is no Prometheus server to ask, so the p95 is Prometheus' histogram_quantile,
computed here over the same buckets.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from trading_strategy.observability import exporter

# How often each worker's poller samples the registry; the pages refresh as often.
SAMPLE_SECONDS = 5
HISTORY_SECONDS = 600
# Rates and p95s are computed over this window, so one slow request does not fill a chart.
WINDOW_SECONDS = 30

HTTP_DURATION = "trading_strategy_http_request_duration_seconds"
OPERATION_DURATION = "trading_strategy_strategy_operation_duration_seconds"
DSL_CHECK_DURATION = "trading_strategy_dsl_check_duration_seconds"
DB_QUERY_DURATION = "trading_strategy_db_query_duration_seconds"
DB_POOL_CONNECTIONS = "trading_strategy_db_pool_connections"
DB_POOL_WAITING = "trading_strategy_db_pool_requests_waiting"


def collect_families() -> Iterable:
    """The metric families the exporter serves, aggregated across workers."""
    return exporter.registry().collect()


def _family_name(family) -> str:
    # prometheus_client strips `_total` from counter family names; histograms keep theirs.
    return family.name


@dataclass
class Source:
    """One metric feeding a chart: which series a label set belongs to, and whether it
    counts as bad (for ratios)."""

    metric: str
    series: Callable[[dict], str | None]
    bad: Callable[[dict], bool] = lambda labels: False


@dataclass
class Chart:
    id: str
    title: str
    unit: str
    kind: str  # "rate", "p95" or "ratio"
    sources: list[Source] = field(default_factory=list)
    note: str = ""


def _all(_labels):
    return "all"


def _by(label: str, where: dict | None = None):
    def series(labels):
        if where and any(labels.get(k) != v for k, v in where.items()):
            return None
        return labels.get(label, "?") if label else "all"

    return series


CHARTS = [
    Chart(
        "request_rate",
        "Request rate",
        "req/s",
        "rate",
        [Source(HTTP_DURATION, _all)],
        "all routes, all workers",
    ),
    Chart("latency_p95_by_route", "p95 latency by route", "s", "p95", [Source(HTTP_DURATION, _by("route"))]),
    Chart(
        "validation_p95",
        "Live validation p95",
        "s",
        "p95",
        [Source(DSL_CHECK_DURATION, _by("format", {"check": "validate"}))],
        "SLO < 1 s",
    ),
    Chart(
        "syntax_test_p95",
        "Test syntax p95",
        "s",
        "p95",
        [Source(DSL_CHECK_DURATION, _by("format", {"check": "syntax_test"}))],
        "SLO < 3 s",
    ),
    Chart(
        "error_ratio",
        "Error ratio",
        "ratio",
        "ratio",
        [
            Source(
                HTTP_DURATION,
                lambda labels: "HTTP 5xx",
                lambda labels: str(labels.get("status", "")).startswith("5"),
            ),
            Source(
                OPERATION_DURATION,
                lambda labels: "failed operations",
                lambda labels: labels.get("result") == "error",
            ),
        ],
        "SLO < 1 %",
    ),
    Chart(
        "db_query_p95",
        "Database query p95 by statement",
        "s",
        "p95",
        [Source(DB_QUERY_DURATION, _by("statement"))],
        "SLO < 100 ms",
    ),
]


def take_snapshot(families: Iterable, charts: list[Chart] = CHARTS) -> tuple[dict, set]:
    """Per chart and series: cumulative buckets, count and bad count; plus the names of the
    metrics present in the registry."""
    wanted = {source.metric for chart in charts for source in chart.sources}
    samples_by_metric: dict[str, list] = {}
    present = set()
    for family in families:
        name = _family_name(family)
        if name in wanted:
            present.add(name)
            samples_by_metric.setdefault(name, []).extend(family.samples)
    snapshot: dict = {}
    for chart in charts:
        per_series: dict = {}
        for source in chart.sources:
            for sample in samples_by_metric.get(source.metric, ()):
                labels = dict(sample.labels)
                le = labels.pop("le", None)
                series = source.series(labels)
                if series is None:
                    continue
                entry = per_series.setdefault(series, {"buckets": {}, "count": 0.0, "bad": 0.0})
                if sample.name.endswith("_bucket") and le is not None:
                    entry["buckets"][le] = entry["buckets"].get(le, 0.0) + sample.value
                elif sample.name.endswith("_count"):
                    entry["count"] += sample.value
                    if source.bad(labels):
                        entry["bad"] += sample.value
        snapshot[chart.id] = per_series
    return snapshot, present


def _delta(now: float, then: float) -> float:
    # A counter that went down was reset (its worker restarted): count from zero.
    return now - then if now >= then else now


def quantile(q: float, buckets: dict[str, float]) -> float | None:
    """Prometheus' histogram_quantile over cumulative bucket counts keyed by `le`."""
    edges = sorted(((float(le), count) for le, count in buckets.items()), key=lambda x: x[0])
    if not edges or edges[-1][1] <= 0:
        return None
    total = edges[-1][1]
    rank = q * total
    previous_edge, previous_count = 0.0, 0.0
    for edge, count in edges:
        if count >= rank:
            if math.isinf(edge):
                return previous_edge  # beyond the last finite bucket: its edge is all we know
            if count == previous_count:
                return edge
            return previous_edge + (edge - previous_edge) * (rank - previous_count) / (count - previous_count)
        previous_edge, previous_count = edge, count
    return previous_edge


class MetricHistory:
    """The last HISTORY_SECONDS of snapshots, SAMPLE_SECONDS apart."""

    def __init__(self, collect: Callable[[], Iterable] | None = None, charts: list[Chart] = CHARTS):
        self._collect = collect
        self.charts = charts
        self.samples: deque[tuple[float, dict]] = deque(maxlen=HISTORY_SECONDS // SAMPLE_SECONDS + 1)
        self.present: set = set()
        self.lock = threading.Lock()

    def sample(self, now: float | None = None) -> None:
        collect = self._collect or collect_families
        snapshot, present = take_snapshot(collect(), self.charts)
        with self.lock:
            self.samples.append((time.time() if now is None else now, snapshot))
            self.present = present

    def maybe_sample(self) -> None:
        """Sample on demand when the poller has not done so lately (or does not run)."""
        with self.lock:
            last = self.samples[-1][0] if self.samples else 0
        if time.time() - last >= SAMPLE_SECONDS * 0.8:
            self.sample()

    def clear(self) -> None:
        with self.lock:
            self.samples.clear()
            self.present = set()

    def series(self, window: float = WINDOW_SECONDS) -> dict:
        with self.lock:
            samples = list(self.samples)
            present = set(self.present)
        # For each sample after the first, the oldest sample within the window before it.
        points = []
        for index in range(1, len(samples)):
            now, current = samples[index]
            reference = index - 1
            while reference > 0 and now - samples[reference - 1][0] <= window:
                reference -= 1
            points.append((now, samples[reference], current))
        charts = []
        for chart in self.charts:
            names = sorted({name for _, (_, then), current in points for name in current.get(chart.id, {})})
            series = []
            for name in names:
                values = [
                    self._value(
                        chart,
                        then.get(chart.id, {}).get(name),
                        current.get(chart.id, {}).get(name),
                        now - then_ts,
                    )
                    for now, (then_ts, then), current in points
                ]
                series.append({"name": name, "values": values})
            metrics = sorted({source.metric for source in chart.sources})
            charts.append(
                {
                    "id": chart.id,
                    "title": chart.title,
                    "unit": chart.unit,
                    "kind": chart.kind,
                    "note": chart.note,
                    "metrics": metrics,
                    "available": any(metric in present for metric in metrics),
                    "series": series,
                }
            )
        return {
            "timestamps": [round(now, 3) for now, _, _ in points],
            "sample_seconds": SAMPLE_SECONDS,
            "window_seconds": window,
            "history_seconds": HISTORY_SECONDS,
            "charts": charts,
        }

    @staticmethod
    def _value(chart: Chart, then: dict | None, current: dict | None, seconds: float):
        if current is None or seconds <= 0:
            return None
        then = then or {"buckets": {}, "count": 0.0, "bad": 0.0}
        count = _delta(current["count"], then["count"])
        if chart.kind == "rate":
            return round(count / seconds, 4)
        if chart.kind == "ratio":
            if count <= 0:
                return None
            return round(_delta(current["bad"], then["bad"]) / count, 4)
        buckets = {
            le: _delta(value, then["buckets"].get(le, 0.0)) for le, value in current["buckets"].items()
        }
        value = quantile(0.95, buckets)
        return None if value is None else round(value, 6)


history = MetricHistory()


def gauge_values(metric: str, label: str) -> dict[str, float] | None:
    """A gauge summed across workers by one label; None when it is not exported."""
    totals: dict[str, float] = {}
    found = False
    for family in collect_families():
        if _family_name(family) != metric:
            continue
        found = True
        for sample in family.samples:
            key = sample.labels.get(label, "all")
            totals[key] = totals.get(key, 0.0) + sample.value
    return totals if found else None
