"""Every live worker's facts, read from the metric registry.

Each worker's poller records the worker's facts as per-worker gauges (resident memory and
metrics.WORKER_FACTS); the request pipeline counts its requests. With several workers the
registry the exporter serves holds one series per live worker (label `pid`), and the
gunicorn master drops a worker's series when it exits, so whichever worker answers the page
sees all of them. That worker records its own facts first and reads them from its own
registry, so its row is current.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterable

from prometheus_client import REGISTRY

from trading_strategy.observability import exporter, metrics, poller

# Every worker writes to the same multiprocess directory, on this host.
HOST = socket.gethostname()

_FIELDS = {
    "trading_strategy_process_resident_memory_bytes": "rss_bytes",
    "trading_strategy_process_start_time_seconds": "started_at",
    "trading_strategy_process_cpu_usage_ratio": "cpu_ratio",
    "trading_strategy_process_requests": "requests_served",
    "trading_strategy_process_open_fds": "open_fds",
}
_THREADS = "trading_strategy_process_threads"
_GC = {
    "trading_strategy_process_gc_pending": "gc_counts",
    "trading_strategy_process_gc_collections": "gc_collections",
}
_GENERATIONS = {name: index for index, name in enumerate(metrics.GC_GENERATIONS)}


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _row(pid: int) -> dict:
    return {
        "pid": pid,
        "host": HOST,
        "started_at": None,
        "rss_bytes": None,
        "cpu_ratio": 0.0,
        "requests_served": 0,
        "gc_counts": [0, 0, 0],
        "gc_collections": [0, 0, 0],
        "python_threads": None,
        "os_threads": None,
        "open_fds": None,
        "current": False,
    }


def _rows(families: Iterable, own_pid: int | None) -> dict[int, dict]:
    """Rows by pid from the per-worker gauges; a sample without a pid label is `own_pid`'s
    (this process's own registry), or skipped when `own_pid` is None."""
    rows: dict[int, dict] = {}
    for family in families:
        name = family.name
        if name not in _FIELDS and name != _THREADS and name not in _GC:
            continue
        for sample in family.samples:
            pid = int(sample.labels["pid"]) if "pid" in sample.labels else own_pid
            if pid is None:
                continue
            row = rows.setdefault(pid, _row(pid))
            if name in _FIELDS:
                row[_FIELDS[name]] = sample.value
            elif name == _THREADS:
                row[f"{sample.labels.get('kind')}_threads"] = int(sample.value)
            elif sample.labels.get("generation") in _GENERATIONS:
                row[_GC[name]][_GENERATIONS[sample.labels["generation"]]] = int(sample.value)
    return rows


def _finish(row: dict, now: float) -> dict:
    started = row["started_at"] or None  # 0 until the worker's first poll
    row["started_at"] = started
    row["uptime"] = now - started if started else None
    row["cpu_percent"] = round(100 * row.pop("cpu_ratio"), 1)
    row["requests_served"] = int(row["requests_served"])
    for key in ("rss_bytes", "open_fds"):
        if row[key] is not None:
            row[key] = int(row[key])
    return row


def workers() -> list[dict]:
    """This worker (marked `current`), then every other live one, by pid."""
    poller.record_process()
    own_pid = os.getpid()
    own = _rows(REGISTRY.collect(), own_pid).get(own_pid, _row(own_pid))
    own["current"] = True
    found = {own_pid: own}
    if exporter.multiprocess_dir():
        for pid, row in _rows(exporter.registry().collect(), None).items():
            if pid != own_pid and pid_alive(pid):
                found[pid] = row
    now = time.time()
    return [_finish(found[pid], now) for pid in sorted(found)]


def current() -> dict:
    """This worker's row alone."""
    return next(row for row in workers() if row["current"])
