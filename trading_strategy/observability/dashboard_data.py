"""What the admin dashboard shows, gathered in one place so its views stay short.

Three sources, each chosen because it is the honest one with several workers:

- Metrics come from the Prometheus registry the exporter serves (all workers' files through
  `MultiProcessCollector` when PROMETHEUS_MULTIPROC_DIR is set, else this process's
  registry). The registry holds cumulative counters; rates and p95s are computed here from
  successive samples kept in a short history, so a chart opened late is not empty.
- Per-worker facts (pid, memory, CPU, requests served, GC, threads, file descriptors) and
  each worker's recent requests and operation outcomes are written by that worker to a small
  JSON heartbeat file under `<data dir>/run/workers/` every few seconds; the dashboard reads
  all fresh ones. Any worker may answer the dashboard's request, and only files reach every
  worker without a new service. The default cache is per process, so it cannot do this.
- Database facts (strategy counts, versions, sessions) are queried when the page asks.
"""
from __future__ import annotations

import atexit
import gc
import importlib.metadata
import json
import logging
import math
import os
import platform
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import django
from django.conf import settings

logger = logging.getLogger(__name__)

SAMPLE_SECONDS = 5
HISTORY_SECONDS = 600
# Rates and p95s are computed over this window, so one slow request does not fill a chart.
WINDOW_SECONDS = 30
RECENT_REQUESTS = 200
RECENT_OPERATIONS = 100
# A heartbeat older than this means the worker is gone (or stuck), so it is not listed.
STALE_SECONDS = SAMPLE_SECONDS * 3 + 1

HTTP_DURATION = "trading_strategy_http_request_duration_seconds"
OPERATION_DURATION = "trading_strategy_strategy_operation_duration_seconds"
DSL_CHECK_DURATION = "trading_strategy_dsl_check_duration_seconds"
DB_QUERY_DURATION = "trading_strategy_db_query_duration_seconds"
DB_POOL_CONNECTIONS = "trading_strategy_db_pool_connections"
DB_POOL_WAITING = "trading_strategy_db_pool_requests_waiting"

HOST = socket.gethostname()


# --------------------------------------------------------------------------- this worker

def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _process_started_at() -> float:
    """When this process started (Linux /proc), so uptime does not wait for a first request."""
    try:
        with open("/proc/self/stat") as stat:
            # Field 22, counted after the parenthesised command name (which may hold spaces).
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat") as system:
            boot = next(int(line.split()[1]) for line in system if line.startswith("btime"))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return time.time()


class WorkerState:
    """This process's counters and rings; rebuilt after a fork (the pid differs)."""

    def __init__(self):
        self.pid = os.getpid()
        self.started_at = _process_started_at()
        self.requests_served = 0
        self.requests: deque[dict] = deque(maxlen=RECENT_REQUESTS)
        self.operations: deque[dict] = deque(maxlen=RECENT_OPERATIONS)
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.telemetry_attached = False
        self._cpu_mark = (time.monotonic(), _cpu_seconds())
        self.cpu_percent = 0.0

    def cpu_sample(self) -> float:
        """CPU use since the previous call, in percent of one core."""
        now, cpu = time.monotonic(), _cpu_seconds()
        then, cpu_then = self._cpu_mark
        if now - then >= 1:
            self.cpu_percent = round(100 * (cpu - cpu_then) / (now - then), 1)
            self._cpu_mark = (now, cpu)
        return self.cpu_percent


_state: WorkerState | None = None
_state_lock = threading.Lock()


def worker() -> WorkerState:
    global _state
    with _state_lock:
        if _state is None or _state.pid != os.getpid():
            _state = WorkerState()
        return _state


def record_request(entry: dict) -> None:
    state = worker()
    with state.lock:
        state.requests_served += 1
        if entry is not None:
            state.requests.appendleft(entry)


def count_request() -> None:
    record_request(None)


def record_operation(name: str, metadata: dict, duration: float | None) -> None:
    """A telemetry `strategy.operation` span's outcome, for the Strategies page."""
    entry = {
        "at": time.time(),
        "operation": str(metadata.get("operation", name)),
        "result": str(metadata.get("result", "unknown")),
        "strategy_id": metadata.get("strategy_id"),
        "error_code": metadata.get("error_code"),
        "user_id": metadata.get("user_id"),
        "duration": duration,
        "pid": os.getpid(),
    }
    state = worker()
    with state.lock:
        state.operations.appendleft(entry)


def _rss_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _os_threads() -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _open_fds() -> int | None:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return None


def _pool_state() -> dict | None:
    """This worker's database pool, when Django's psycopg pool is configured."""
    if not settings.DATABASES["default"].get("OPTIONS", {}).get("pool"):
        return None
    from django.db import connections
    try:
        pool = connections["default"].pool
        stats = pool.get_stats() if pool is not None else {}
    except Exception:  # a pool that cannot open yet is a fact for the page, not an error
        logger.debug("pool state unavailable", exc_info=True)
        return None
    return {"size": stats.get("pool_size"), "available": stats.get("pool_available"),
            "max": getattr(pool, "max_size", stats.get("pool_max")),
            "waiting": stats.get("requests_waiting", 0)}


def worker_facts() -> dict:
    state = worker()
    stats = gc.get_stats()
    with state.lock:
        served = state.requests_served
    now = time.time()
    return {
        "pid": state.pid,
        "host": HOST,
        "started_at": state.started_at,
        "uptime": now - state.started_at,
        "written_at": now,
        "rss_bytes": _rss_bytes(),
        "cpu_percent": state.cpu_sample(),
        "cpu_seconds": round(_cpu_seconds(), 2),
        "requests_served": served,
        "gc_counts": list(gc.get_count()),
        "gc_collections": [generation["collections"] for generation in stats],
        "python_threads": threading.active_count(),
        "os_threads": _os_threads(),
        "open_fds": _open_fds(),
        "pool": _pool_state(),
    }


# --------------------------------------------------------------------------- heartbeats

def run_dir() -> Path:
    return Path(getattr(settings, "DASHBOARD_RUN_DIR", None) or Path(settings.DATA_DIR) / "run")


def workers_dir() -> Path:
    return run_dir() / "workers"


def _heartbeat_path(pid: int) -> Path:
    return workers_dir() / f"{HOST}-{pid}.json"


def write_heartbeat() -> None:
    """Write this worker's facts and rings, atomically so readers never see half a file."""
    state = worker()
    facts = worker_facts()
    with state.lock:
        facts["requests"] = list(state.requests)
        facts["operations"] = list(state.operations)
    directory = workers_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = _heartbeat_path(state.pid)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(facts, separators=(",", ":")))
    os.replace(temporary, path)


def prune_heartbeats() -> None:
    """Remove the files of workers that are gone: exited on this host, or silent for a day
    anywhere (a worker killed outright never removes its own)."""
    now = time.time()
    for path in workers_dir().glob("*.json"):
        host, _, pid = path.stem.rpartition("-")
        try:
            dead_here = host == HOST and pid.isdigit() and not _pid_alive(int(pid))
            if dead_here or now - path.stat().st_mtime > 86400:
                path.unlink()
        except OSError:
            pass


def remove_heartbeat(pid: int | None = None) -> None:
    try:
        _heartbeat_path(pid or os.getpid()).unlink()
    except OSError:
        pass


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_heartbeats() -> list[dict]:
    """Every other live worker's last heartbeat, then this worker's facts as of now."""
    own = worker()
    now = time.time()
    found = []
    try:
        paths = list(workers_dir().glob("*.json"))
    except OSError:
        paths = []
    for path in paths:
        try:
            beat = json.loads(path.read_text())
        except (OSError, ValueError):
            continue  # replaced or removed while we read it
        if beat.get("host") == HOST and beat.get("pid") == own.pid:
            continue
        if now - beat.get("written_at", 0) > STALE_SECONDS:
            continue
        if beat.get("host") == HOST and not _pid_alive(int(beat.get("pid", 0))):
            continue
        found.append(beat)
    facts = worker_facts()
    with own.lock:
        facts["requests"] = list(own.requests)
        facts["operations"] = list(own.operations)
    facts["current"] = True
    found.append(facts)
    found.sort(key=lambda beat: (beat.get("host", ""), beat.get("pid", 0)))
    return found


# --------------------------------------------------------------------------- metrics

def collect_families() -> Iterable:
    """The metric families the exporter serves, aggregated across workers."""
    try:
        from trading_strategy.observability.exporter import registry
    except ImportError:
        registry = None
    if registry is not None:
        return registry().collect()
    # The same choice the exporter makes, for a build without it.
    from prometheus_client import REGISTRY, CollectorRegistry
    multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if multiproc_dir:
        from prometheus_client.multiprocess import MultiProcessCollector
        combined = CollectorRegistry()
        MultiProcessCollector(combined, path=multiproc_dir)
        return combined.collect()
    return REGISTRY.collect()


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
    Chart("request_rate", "Request rate", "req/s", "rate",
          [Source(HTTP_DURATION, _all)], "all routes, all workers"),
    Chart("latency_p95_by_route", "p95 latency by route", "s", "p95",
          [Source(HTTP_DURATION, _by("route"))]),
    Chart("validation_p95", "Live validation p95", "s", "p95",
          [Source(DSL_CHECK_DURATION, _by("format", {"check": "validate"}))], "SLO < 1 s"),
    Chart("syntax_test_p95", "Test syntax p95", "s", "p95",
          [Source(DSL_CHECK_DURATION, _by("format", {"check": "syntax_test"}))], "SLO < 3 s"),
    Chart("error_ratio", "Error ratio", "ratio", "ratio",
          [Source(HTTP_DURATION, lambda labels: "HTTP 5xx",
                  lambda labels: str(labels.get("status", "")).startswith("5")),
           Source(OPERATION_DURATION, lambda labels: "failed operations",
                  lambda labels: labels.get("result") == "error")], "SLO < 1 %"),
    Chart("db_query_p95", "Database query p95 by statement", "s", "p95",
          [Source(DB_QUERY_DURATION, _by("statement"))], "SLO < 100 ms"),
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
            return previous_edge + (edge - previous_edge) * (rank - previous_count) / (
                count - previous_count)
        previous_edge, previous_count = edge, count
    return previous_edge


class MetricHistory:
    """The last HISTORY_SECONDS of snapshots, SAMPLE_SECONDS apart."""

    def __init__(self, collect: Callable[[], Iterable] | None = None,
                 charts: list[Chart] = CHARTS):
        self._collect = collect
        self.charts = charts
        self.samples: deque[tuple[float, dict]] = deque(
            maxlen=HISTORY_SECONDS // SAMPLE_SECONDS + 1)
        self.present: set = set()
        self.lock = threading.Lock()

    def sample(self, now: float | None = None) -> None:
        collect = self._collect or collect_families
        snapshot, present = take_snapshot(collect(), self.charts)
        with self.lock:
            self.samples.append((time.time() if now is None else now, snapshot))
            self.present = present

    def maybe_sample(self) -> None:
        """Sample on demand when the background sampler has not done so lately."""
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
            names = sorted({name for _, (_, then), current in points
                            for name in current.get(chart.id, {})})
            series = []
            for name in names:
                values = [self._value(chart, then.get(chart.id, {}).get(name),
                                      current.get(chart.id, {}).get(name), now - then_ts)
                          for now, (then_ts, then), current in points]
                series.append({"name": name, "values": values})
            metrics = sorted({source.metric for source in chart.sources})
            charts.append({"id": chart.id, "title": chart.title, "unit": chart.unit,
                           "kind": chart.kind, "note": chart.note, "metrics": metrics,
                           "available": any(metric in present for metric in metrics),
                           "series": series})
        return {"timestamps": [round(now, 3) for now, _, _ in points],
                "sample_seconds": SAMPLE_SECONDS, "window_seconds": window,
                "history_seconds": HISTORY_SECONDS, "charts": charts}

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
        buckets = {le: _delta(value, then["buckets"].get(le, 0.0))
                   for le, value in current["buckets"].items()}
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


# --------------------------------------------------------------------------- telemetry

def _on_operation_span(phase: str, span) -> None:
    if phase in ("stop", "exception"):
        record_operation(span.name, span.metadata, span.duration)


def attach_telemetry() -> bool:
    """Record `strategy.operation` span outcomes; False while telemetry is not available."""
    state = worker()
    if state.telemetry_attached:
        return True
    try:
        from trading_strategy.observability import telemetry
    except ImportError:
        return False
    # The handler id is fixed, so attaching again (another worker state after a fork)
    # replaces the handler instead of doubling it.
    telemetry.attach("dashboard-operations", _on_operation_span, names={"strategy.operation"})
    state.telemetry_attached = True
    return True


# --------------------------------------------------------------------------- background

def _background_loop(state: WorkerState) -> None:
    try:
        prune_heartbeats()
    except OSError:
        pass
    while state.pid == os.getpid():
        try:
            write_heartbeat()
            history.sample()
        except Exception:
            logger.warning("dashboard heartbeat failed", exc_info=True)
        time.sleep(SAMPLE_SECONDS)


def ensure_started() -> None:
    """Start this worker's heartbeat and sampler once (again after a fork)."""
    state = worker()
    if not state.telemetry_attached:
        attach_telemetry()
    if not getattr(settings, "DASHBOARD_BACKGROUND", True):
        return
    if state.thread is not None and state.thread.is_alive():
        return
    with state.lock:
        if state.thread is not None and state.thread.is_alive():
            return
        state.thread = threading.Thread(target=_background_loop, args=(state,),
                                        name="dashboard-heartbeat", daemon=True)
        state.thread.start()
    atexit.register(remove_heartbeat, state.pid)


# --------------------------------------------------------------------------- page data

def duration_text(seconds: float) -> str:
    seconds = int(seconds)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "",
             f"{minutes} min" if minutes else "", f"{seconds} s" if not days else ""]
    return " ".join(part for part in parts if part) or "0 s"


def clock(timestamp: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(timestamp))


def _with_text(entries: list[dict]) -> list[dict]:
    for entry in entries:
        entry["at_text"] = clock(entry.get("at", 0))
        if entry.get("duration") is not None:
            entry["duration_ms"] = round(entry["duration"] * 1000, 1)
    return entries


def _package_version() -> str:
    try:
        return importlib.metadata.version("trading-strategy")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def database_facts() -> dict:
    from django.db import connection
    database = settings.DATABASES["default"]
    facts = {"vendor": connection.vendor, "display_name": connection.display_name,
             "engine": database["ENGINE"], "version": None,
             "conn_max_age": database.get("CONN_MAX_AGE", 0), "pool": None,
             "pool_metric": None, "pool_waiting_metric": None}
    try:
        facts["version"] = ".".join(str(part) for part in connection.get_database_version())
    except Exception:
        logger.debug("database version unavailable", exc_info=True)
    facts["pool"] = _pool_state()
    facts["pool_metric"] = gauge_values(DB_POOL_CONNECTIONS, "state")
    waiting = gauge_values(DB_POOL_WAITING, "state")
    facts["pool_waiting_metric"] = None if waiting is None else sum(waiting.values())
    return facts


def home() -> dict:
    workers = read_heartbeats()
    now = time.time()
    started = min(beat["started_at"] for beat in workers)
    for beat in workers:
        beat["uptime_text"] = duration_text(beat["uptime"])
        beat["heartbeat_age"] = round(now - beat["written_at"], 1)
        beat.pop("requests", None)
        beat.pop("operations", None)
    return {
        "version": _package_version(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "django": django.get_version(),
        "uptime": now - started,
        "uptime_text": duration_text(now - started),
        "started_text": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)),
        "started_at": started,
        "workers": workers,
        "debug": settings.DEBUG,
        "database": database_facts(),
        "multiprocess": bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR")),
    }


STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx")


def recent_requests(status_class: str = "", limit: int = RECENT_REQUESTS) -> list[dict]:
    merged = []
    for beat in read_heartbeats():
        merged.extend(beat.get("requests", ()))
    if status_class in STATUS_CLASSES:
        merged = [entry for entry in merged if str(entry.get("status", ""))[:1] == status_class[0]]
    merged.sort(key=lambda entry: entry.get("at", 0), reverse=True)
    return _with_text(merged[:limit])


def recent_operations(limit: int = 50) -> list[dict]:
    merged = []
    for beat in read_heartbeats():
        merged.extend(beat.get("operations", ()))
    merged.sort(key=lambda entry: entry.get("at", 0), reverse=True)
    return _with_text(merged[:limit])


def strategies(limit: int = 20) -> dict:
    from django.db.models import Count

    from trading_strategy.strategies.models import Status, Strategy, StrategyVersion
    counts = {status.value: 0 for status in Status}
    for row in Strategy.objects.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    versions = (StrategyVersion.objects.select_related("strategy")
                .order_by("-created_at", "-id")[:limit])
    operations = recent_operations()
    # Spans carry ids only; names are read now (a deleted strategy has none).
    names = dict(Strategy.objects.filter(
        pk__in={entry["strategy_id"] for entry in operations if entry.get("strategy_id")}
    ).values_list("pk", "name"))
    for entry in operations:
        entry["strategy"] = names.get(entry.get("strategy_id"), "")
    return {
        "counts": counts,
        "total": sum(counts.values()),
        "versions": [{"strategy_id": version.strategy_id, "strategy": version.strategy.name,
                      "number": version.number, "author_id": version.author_id,
                      "created_at": version.created_at, "is_valid": version.is_valid,
                      "errors": len(version.errors)} for version in versions],
        "operations": operations[:limit],
        "failures": [entry for entry in operations if entry.get("result") != "ok"][:limit],
        "telemetry": worker().telemetry_attached,
    }


def sessions_and_caches() -> dict:
    from django.contrib.sessions.models import Session
    from django.core.cache import caches
    from django.utils import timezone

    engine = settings.SESSION_ENGINE
    sessions = {"engine": engine, "active": None, "expired": None}
    if engine in ("django.contrib.sessions.backends.db",
                  "django.contrib.sessions.backends.cached_db"):
        now = timezone.now()
        sessions["active"] = Session.objects.filter(expire_date__gt=now).count()
        sessions["expired"] = Session.objects.filter(expire_date__lte=now).count()
    cache_rows = []
    for alias, config in settings.CACHES.items():
        cache = caches[alias]
        row = {"alias": alias, "backend": config["BACKEND"],
               "location": config.get("LOCATION", ""), "entries": None,
               "max_entries": getattr(cache, "_max_entries", None),
               "timeout": config.get("TIMEOUT", 300), "details": {}, "unavailable": ""}
        backend = config["BACKEND"].rsplit(".", 1)[-1]
        if backend == "LocMemCache":
            with cache._lock:
                row["entries"] = len(cache._cache)
            row["unavailable"] = ("hits, misses and memory are not counted by this backend; "
                                  "each worker has its own cache, so this is this worker's.")
        elif backend == "RedisCache":
            try:
                info = cache._cache.get_client().info()
                row["entries"] = sum(value.get("keys", 0) for key, value in info.items()
                                     if key.startswith("db") and isinstance(value, dict))
                row["details"] = {key: info.get(key) for key in (
                    "used_memory_human", "keyspace_hits", "keyspace_misses", "connected_clients")}
            except Exception as error:
                row["unavailable"] = f"Redis did not answer: {type(error).__name__}"
        elif backend == "DatabaseCache":
            from django.db import connection
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(cache._table)}")
                row["entries"] = cursor.fetchone()[0]
            row["unavailable"] = "hits and misses are not counted by this backend."
        else:
            row["unavailable"] = "this backend exposes no statistics."
        cache_rows.append(row)
    return {"sessions": sessions, "caches": cache_rows}
