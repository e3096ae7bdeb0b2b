"""Gauges measured every 10 seconds in each worker: memory, the database pool, and (in one
worker only) the number of strategies by status.

`start()` runs `poll_once()` in a daemon thread; gunicorn_conf.post_worker_init calls it in
every worker. The event-loop lag is measured inside the loop instead
(instrumentation.monitor_event_loop), since a thread cannot see how late the loop runs.

Strategies by status is one GROUP BY over the whole table: the same for every worker, so
only the worker holding an exclusive lock on a file in PROMETHEUS_MULTIPROC_DIR counts
them. When that worker dies, the kernel releases its lock and another worker takes over
at its next tick; the gauge's `mostrecent` mode keeps the newest value meanwhile.
"""
from __future__ import annotations

import logging
import os
import resource
import threading
import time

from . import exporter, metrics

INTERVAL_SECONDS = 10.0
logger = logging.getLogger(__name__)

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_started_in: int | None = None
_leader_file = None


def resident_memory_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):
        # Not Linux: the peak instead of the current size, in KiB on Linux/BSD.
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def record_memory() -> None:
    metrics.process_resident_memory.set(resident_memory_bytes())


def record_pool() -> None:
    """The PostgreSQL pool's state, when Django's pool is configured; nothing otherwise."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql" or not connection.settings_dict.get(
            "OPTIONS", {}).get("pool"):
        return
    pool = connection.pool
    if pool is None:
        return
    stats = pool.get_stats()
    size, available = stats.get("pool_size", 0), stats.get("pool_available", 0)
    metrics.db_pool_connections.labels("in_use").set(max(0, size - available))
    metrics.db_pool_connections.labels("idle").set(available)
    metrics.db_pool_connections.labels("max").set(stats.get("pool_max", pool.max_size))
    metrics.db_pool_requests_waiting.set(stats.get("requests_waiting", 0))


def record_strategies() -> None:
    from django.db.models import Count

    from trading_strategy.strategies.models import Status, Strategy

    counts = dict.fromkeys(Status.values, 0)
    for row in Strategy.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    for status, count in counts.items():
        metrics.strategies.labels(status).set(count)


def is_leader() -> bool:
    """True in the one process that counts strategies (always, outside multiprocess mode)."""
    global _leader_file
    directory = exporter.multiprocess_dir()
    if not directory:
        return True
    if _leader_file is not None:
        return True
    import fcntl

    handle = open(os.path.join(directory, "poller.lock"), "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _leader_file = handle  # held for the life of the process
    return True


def poll_once() -> None:
    """One round; each measurement fails on its own, logged, without stopping the others."""
    for measure in (record_memory, record_pool):
        try:
            measure()
        except Exception:
            logger.exception("metrics poller: %s failed", measure.__name__)
    if is_leader():
        try:
            record_strategies()
        except Exception:
            logger.exception("metrics poller: record_strategies failed")


def _run(interval: float) -> None:
    from django.db import connections

    while True:
        poll_once()
        # This thread's own connection goes back (to the pool) between rounds.
        connections.close_all()
        time.sleep(interval)


def start(interval: float = INTERVAL_SECONDS) -> bool:
    """Start the poller thread once per process; False when it already runs here."""
    global _started_in
    if _started_in == os.getpid():
        return False
    _started_in = os.getpid()
    threading.Thread(target=_run, args=(interval,), name="metrics-poller", daemon=True).start()
    return True
