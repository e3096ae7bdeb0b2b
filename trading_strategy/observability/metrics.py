"""The whole Prometheus metric catalog, in one place (docs/metrics.md describes it).

Names, types, labels and buckets are a contract with the dashboards, alert rules and
runbooks in monitoring/: change them only together. Label values are bounded sets; ids,
e-mails and paths go in logs, never here.

Under gunicorn every worker writes its values to files in PROMETHEUS_MULTIPROC_DIR
(prometheus_client's multiprocess mode, see exporter.py); each gauge's
`multiprocess_mode` says how the exporter combines the workers' values.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable
from importlib import metadata

import django
from prometheus_client import Counter, Gauge, Histogram

from trading_strategy.observability.exporter import multiprocess_dir

PREFIX = "trading_strategy_"

_multiprocess_dir = multiprocess_dir()
if _multiprocess_dir:
    # prometheus_client opens its value files there as each metric below is created.
    os.makedirs(_multiprocess_dir, exist_ok=True)

# SLO edges (0.1, 0.5, 1, 3, 5, 10 s) plus a few finer steps for fast paths.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
# Lifecycle operations: the alert on creation is "p95 above 10 s", so the histogram needs
# edges beyond 10 s; with 10 s as its top edge a p95 beyond it could only read as 10.
OPERATION_BUCKETS = LATENCY_BUCKETS + (30.0, 60.0)
# Signal previews: tens of milliseconds (a few thousand bars) to seconds (a million). Edges
# at the preview's targets: 0.15 s (100,000 bars in-process), 0.3 s (the SLO: 20,000 bars),
# 1 s (its alert), 2 s (1,000,000 bars), and beyond, so that a p95 above 1 s reads above it.
PREVIEW_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
# Database queries and event-loop lag live mostly below 10 ms.
FAST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 3.0, 5.0, 10.0)

OPERATIONS = ("create", "update", "activate", "deactivate", "archive", "duplicate", "delete", "restore")
OPERATION_RESULTS = ("ok", "invalid", "conflict", "forbidden", "error")
CHECKS = ("validate", "syntax_test")
CHECK_FORMATS = ("yaml", "toml", "unknown")
CHECK_RESULTS = ("valid", "invalid", "error")
PREVIEW_SOURCES = ("editor", "page", "api", "cli")
PREVIEW_RESULTS = ("ok", "invalid", "error")
# The bars a preview walked, as disjoint ranges named by their top: up to 20,000 (the SLO's
# population, one label value so that its p95 is one series), up to 100,000 and 1,000,000
# (the benchmarks' sizes), and beyond (only the command line gets there: uploads are capped).
PREVIEW_BARS = ((20_000, "le_20k"), (100_000, "le_100k"), (1_000_000, "le_1m"))
PREVIEW_BARS_BEYOND = "gt_1m"
STATEMENTS = ("select", "insert", "update", "delete", "other")
POOL_STATES = ("in_use", "idle", "max")
AUTH_RESULTS = ("success", "failure", "locked")
PUBSUB_OPERATIONS = ("publish", "subscribe")
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
UNMATCHED_ROUTE = "unmatched"
STATIC_ROUTE = "static"

http_request_duration = Histogram(
    "trading_strategy_http_request_duration_seconds",
    "Time from the request reaching Django to its response (for a stream: to its headers).",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
http_requests_in_flight = Gauge(
    "trading_strategy_http_requests_in_flight",
    "Requests being handled now, over all workers.",
    multiprocess_mode="livesum",
)
strategy_operation_duration = Histogram(
    "trading_strategy_strategy_operation_duration_seconds",
    "Lifecycle operations on strategies, by operation and outcome.",
    ["operation", "result"],
    buckets=OPERATION_BUCKETS,
)
dsl_check_duration = Histogram(
    "trading_strategy_dsl_check_duration_seconds",
    "DSL checks served to users (live validation, Test syntax, API, activation).",
    ["check", "format", "result"],
    buckets=LATENCY_BUCKETS,
)
preview_duration = Histogram(
    "trading_strategy_preview_duration_seconds",
    "Signal previews (validation, indicators, conditions, trade walk), by where they were "
    "served, outcome and the bars walked.",
    ["source", "result", "bars"],
    buckets=PREVIEW_BUCKETS,
)
db_query_duration = Histogram(
    "trading_strategy_db_query_duration_seconds",
    "Database statements executed through Django, by statement kind.",
    ["statement"],
    buckets=FAST_BUCKETS,
)
db_pool_connections = Gauge(
    "trading_strategy_db_pool_connections",
    "PostgreSQL pool connections over all workers: in use, idle, and the configured maximum.",
    ["state"],
    multiprocess_mode="livesum",
)
db_pool_requests_waiting = Gauge(
    "trading_strategy_db_pool_requests_waiting",
    "Requests waiting for a PostgreSQL pool connection, over all workers.",
    multiprocess_mode="livesum",
)
pubsub_messages = Counter(
    "trading_strategy_pubsub_messages_total",
    "Strategy events published on the event bus, by event.",
    ["event"],
)
pubsub_errors = Counter(
    "trading_strategy_pubsub_errors_total",
    "Event bus failures (Redis unreachable): a message not published, or a live-update "
    "subscription that could not start or broke off.",
    ["operation"],
)
live_subscribers = Gauge(
    "trading_strategy_live_subscribers",
    "Open live-update streams (server-sent events), over all workers.",
    multiprocess_mode="livesum",
)
process_resident_memory = Gauge(
    "trading_strategy_process_resident_memory_bytes",
    "Resident memory of each worker process (label pid added by the exporter).",
    multiprocess_mode="liveall",
)
# Per-worker facts for the ops dashboard's Workers table, beside the resident memory above,
# recorded by the poller (the requests by the request pipeline); one series per live worker.
process_start_time = Gauge(
    "trading_strategy_process_start_time_seconds",
    "When each worker process started, in Unix time (label pid added by the exporter).",
    multiprocess_mode="liveall",
)
process_cpu_usage = Gauge(
    "trading_strategy_process_cpu_usage_ratio",
    "Share of one CPU core each worker used between its last two polls.",
    multiprocess_mode="liveall",
)
process_requests = Gauge(
    "trading_strategy_process_requests",
    "Requests each worker has answered since it started (a gauge, to keep one per worker).",
    multiprocess_mode="liveall",
)
process_threads = Gauge(
    "trading_strategy_process_threads",
    "Threads of each worker: those Python runs, and those the operating system counts.",
    ["kind"],
    multiprocess_mode="liveall",
)
process_open_fds = Gauge(
    "trading_strategy_process_open_fds", "Open file descriptors of each worker.", multiprocess_mode="liveall"
)
process_gc_collections = Gauge(
    "trading_strategy_process_gc_collections",
    "Garbage collections each worker has run, by generation.",
    ["generation"],
    multiprocess_mode="liveall",
)
process_gc_pending = Gauge(
    "trading_strategy_process_gc_pending",
    "Python's gc.get_count() in each worker: allocations since the last collection (gen0), "
    "younger collections since the last one of this generation (gen1, gen2).",
    ["generation"],
    multiprocess_mode="liveall",
)
event_loop_lag = Histogram(
    "trading_strategy_event_loop_lag_seconds",
    "How late a callback scheduled on a worker's event loop runs.",
    buckets=FAST_BUCKETS,
)
strategies = Gauge(
    "trading_strategy_strategies",
    "Strategies stored, by status (counted every 10 s by one worker).",
    ["status"],
    multiprocess_mode="mostrecent",
)
auth_attempts = Counter(
    "trading_strategy_auth_attempts_total",
    "Log-in attempts: success, failure (wrong credentials), locked (refused by lockout).",
    ["result"],
)
build_info = Gauge(
    "trading_strategy_build_info",
    "Always 1; the labels say which build is running.",
    ["version", "python", "django"],
    multiprocess_mode="max",
)

# Every family of the monitoring contract: (name, type, label names). Tests and docs read
# this; the exposition carries WORKER_FACTS too.
CATALOG = (
    ("trading_strategy_http_request_duration_seconds", "histogram", ("method", "route", "status")),
    ("trading_strategy_http_requests_in_flight", "gauge", ()),
    ("trading_strategy_strategy_operation_duration_seconds", "histogram", ("operation", "result")),
    ("trading_strategy_dsl_check_duration_seconds", "histogram", ("check", "format", "result")),
    ("trading_strategy_preview_duration_seconds", "histogram", ("source", "result", "bars")),
    ("trading_strategy_db_query_duration_seconds", "histogram", ("statement",)),
    ("trading_strategy_db_pool_connections", "gauge", ("state",)),
    ("trading_strategy_db_pool_requests_waiting", "gauge", ()),
    ("trading_strategy_pubsub_messages_total", "counter", ("event",)),
    ("trading_strategy_pubsub_errors_total", "counter", ("operation",)),
    ("trading_strategy_live_subscribers", "gauge", ()),
    ("trading_strategy_process_resident_memory_bytes", "gauge", ()),
    ("trading_strategy_event_loop_lag_seconds", "histogram", ()),
    ("trading_strategy_strategies", "gauge", ("status",)),
    ("trading_strategy_auth_attempts_total", "counter", ("result",)),
    ("trading_strategy_build_info", "gauge", ("version", "python", "django")),
)
# The ops dashboard's per-worker facts: exposed, but no panel, rule or runbook reads them.
WORKER_FACTS = (
    ("trading_strategy_process_start_time_seconds", "gauge", ()),
    ("trading_strategy_process_cpu_usage_ratio", "gauge", ()),
    ("trading_strategy_process_requests", "gauge", ()),
    ("trading_strategy_process_threads", "gauge", ("kind",)),
    ("trading_strategy_process_open_fds", "gauge", ()),
    ("trading_strategy_process_gc_collections", "gauge", ("generation",)),
    ("trading_strategy_process_gc_pending", "gauge", ("generation",)),
)
GC_GENERATIONS = ("gen0", "gen1", "gen2")


def bounded(value, allowed, fallback: str) -> str:
    return value if value in allowed else fallback


def version() -> str:
    try:
        return metadata.version("trading-strategy")
    except metadata.PackageNotFoundError:
        return "unknown"


def record_build_info() -> None:
    build_info.labels(version(), platform.python_version(), django.get_version()).set(1)


def record_operation(operation, result, seconds: float) -> None:
    strategy_operation_duration.labels(
        bounded(operation, OPERATIONS, "other"), bounded(result, OPERATION_RESULTS, "error")
    ).observe(seconds)


def record_dsl_check(check, fmt, result, seconds: float) -> None:
    dsl_check_duration.labels(
        bounded(check, CHECKS, "other"),
        bounded(fmt, CHECK_FORMATS, "unknown"),
        bounded(result, CHECK_RESULTS, "error"),
    ).observe(seconds)


def bars_label(bars) -> str:
    """The PREVIEW_BARS range a number of bars falls in; anything but a count as none."""
    count = bars if isinstance(bars, int) else 0
    return next((label for top, label in PREVIEW_BARS if count <= top), PREVIEW_BARS_BEYOND)


def record_preview(source, result, bars, seconds: float) -> None:
    preview_duration.labels(
        bounded(source, PREVIEW_SOURCES, "other"),
        bounded(result, PREVIEW_RESULTS, "error"),
        bars_label(bars),
    ).observe(seconds)


def record_auth_attempt(result: str) -> None:
    auth_attempts.labels(bounded(result, AUTH_RESULTS, "failure")).inc()


# The bus's event names, registered by the app that publishes them (StrategiesConfig.ready):
# the plumbing here imports no app.
_pubsub_events: tuple[str, ...] = ()


def register_pubsub_events(events: Iterable[str]) -> None:
    """Accept these event names as label values, their counters created at zero."""
    global _pubsub_events
    _pubsub_events = tuple(dict.fromkeys((*_pubsub_events, *events)))
    for event in _pubsub_events:
        pubsub_messages.labels(event)


def record_pubsub_message(event: str) -> None:
    pubsub_messages.labels(bounded(event, _pubsub_events, "other")).inc()


def record_pubsub_error(operation: str) -> None:
    pubsub_errors.labels(bounded(operation, PUBSUB_OPERATIONS, "subscribe")).inc()


def prepare() -> None:
    """Create the counters' children whose label sets are known in advance, so that
    `rate()` and the dashboards see zeros instead of missing series before the first event.
    The histograms' children are created by their first observation: pre-creating every
    operation x result and check x format x result would triple what each scrape reads.
    The event counters are created when their names are registered."""
    record_build_info()
    for statement in STATEMENTS:
        db_query_duration.labels(statement)
    for operation in PUBSUB_OPERATIONS:
        pubsub_errors.labels(operation)
    for result in AUTH_RESULTS:
        auth_attempts.labels(result)
