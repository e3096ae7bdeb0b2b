"""Each worker's one sampler thread: every 10 seconds the worker's own facts (memory, CPU,
threads, file descriptors, garbage collector), the database pool, and (in one worker only)
the number of strategies by status; plus the jobs other apps add with `every()` (the ops
dashboard samples its chart history).

`start()` runs it in a daemon thread; gunicorn_conf.post_worker_init calls it in every
worker. The event-loop lag is measured inside the loop instead
(instrumentation.monitor_event_loop), since a thread cannot see how late the loop runs.

Strategies by status is one GROUP BY over the whole table: the same for every worker, so
only the worker holding an exclusive lock on a file in PROMETHEUS_MULTIPROC_DIR counts
them. When that worker dies, the kernel releases its lock and another worker takes over
at its next tick; the gauge's `mostrecent` mode keeps the newest value meanwhile. The
strategies app registers the counting (`count_strategies_with`): this plumbing imports no
app.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import exporter, metrics, process

INTERVAL_SECONDS = 10.0
logger = logging.getLogger(__name__)

_started_in: int | None = None
_leader_file = None


# --- this worker -------------------------------------------------------------------------

_process_lock = threading.Lock()
_cpu_mark: tuple[int, float, float] | None = None  # (pid, monotonic time, CPU seconds)
# CPU use is measured over at least this long, so that two records close together (a poll
# and a dashboard page) do not report the noise of a few milliseconds.
_CPU_MIN_SECONDS = 1.0


def record_process() -> None:
    """Record this worker's facts as its per-worker gauges; any caller (the poller, a page
    that wants them current) may, the CPU share is measured since the previous record."""
    global _cpu_mark
    with _process_lock:
        pid, now, cpu = os.getpid(), time.monotonic(), process.cpu_seconds()
        if _cpu_mark is None or _cpu_mark[0] != pid:
            _cpu_mark = (pid, now, cpu)
        elif now - _cpu_mark[1] >= _CPU_MIN_SECONDS:
            metrics.process_cpu_usage.set((cpu - _cpu_mark[2]) / (now - _cpu_mark[1]))
            _cpu_mark = (pid, now, cpu)
        metrics.process_resident_memory.set(process.resident_memory_bytes())
        metrics.process_start_time.set(process.started_at())
        metrics.process_threads.labels("python").set(threading.active_count())
        os_threads, open_fds = process.os_threads(), process.open_fds()
        if os_threads is not None:
            metrics.process_threads.labels("os").set(os_threads)
        if open_fds is not None:
            metrics.process_open_fds.set(open_fds)
        for generation, pending, stats in zip(
            metrics.GC_GENERATIONS, gc.get_count(), gc.get_stats(), strict=True
        ):
            metrics.process_gc_pending.labels(generation).set(pending)
            metrics.process_gc_collections.labels(generation).set(stats["collections"])


def pool_state() -> dict | None:
    """This worker's PostgreSQL pool (Django's psycopg pool): size, available, max, waiting;
    None without a pool."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql" or not connection.settings_dict.get("OPTIONS", {}).get("pool"):
        return None
    pool = getattr(connection, "pool", None)
    if pool is None:
        return None
    stats = pool.get_stats()
    return {
        "size": stats.get("pool_size", 0),
        "available": stats.get("pool_available", 0),
        "max": stats.get("pool_max", pool.max_size),
        "waiting": stats.get("requests_waiting", 0),
    }


def record_pool() -> None:
    state = pool_state()
    if state is None:
        return
    metrics.db_pool_connections.labels("in_use").set(max(0, state["size"] - state["available"]))
    metrics.db_pool_connections.labels("idle").set(state["available"])
    metrics.db_pool_connections.labels("max").set(state["max"])
    metrics.db_pool_requests_waiting.set(state["waiting"])


# --- strategies by status ----------------------------------------------------------------

StatusCounter = Callable[[], dict[str, int]]
_count_strategies: StatusCounter | None = None


def count_strategies_with(counter: StatusCounter) -> None:
    global _count_strategies
    _count_strategies = counter


def record_strategies() -> dict[str, int]:
    """Count strategies by status now, set the gauge, and return the counts ({} while no
    counter is registered)."""
    if _count_strategies is None:
        return {}
    counts = _count_strategies()
    for status, count in counts.items():
        metrics.strategies.labels(status).set(count)
    return counts


def is_leader() -> bool:
    """True in the one process that counts strategies (always, outside multiprocess mode)."""
    global _leader_file
    directory = exporter.multiprocess_dir()
    if not directory:
        return True
    if _leader_file is not None:
        return True
    import fcntl

    # Held open for the life of the process: the lock is the leadership.
    handle = open(os.path.join(directory, "poller.lock"), "a")  # noqa: SIM115
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _leader_file = handle  # held for the life of the process
    return True


def poll_once() -> None:
    """One round; each measurement fails on its own, logged, without stopping the others."""
    for measure in (record_process, record_pool):
        try:
            measure()
        except Exception:
            logger.exception("metrics poller: %s failed", measure.__name__)
    if is_leader():
        try:
            record_strategies()
        except Exception:
            logger.exception("metrics poller: record_strategies failed")


# --- the thread --------------------------------------------------------------------------


@dataclass
class _Job:
    run: Callable[[], object]
    seconds: float
    due: float = 0.0


_jobs: dict[str, _Job] = {"measures": _Job(poll_once, INTERVAL_SECONDS)}


def every(seconds: float, name: str, run: Callable[[], object]) -> None:
    """Run `run()` every `seconds` in the poller thread, from its start; a job added under
    a name already in use replaces that job."""
    _jobs[name] = _Job(run, seconds)


def _run_due_jobs(now: float) -> float:
    """Run the jobs due at `now` (time.monotonic()); returns when the next one is."""
    for name, job in tuple(_jobs.items()):
        if now < job.due:
            continue
        job.due = now + job.seconds
        try:
            job.run()
        except Exception:
            logger.exception("poller job %s failed", name)
    return min(job.due for job in _jobs.values())


def _run() -> None:
    from django.db import connections

    while True:
        next_due = _run_due_jobs(time.monotonic())
        # This thread's own connection goes back (to the pool) between rounds.
        connections.close_all()
        time.sleep(max(0.0, next_due - time.monotonic()))


def start() -> bool:
    """Start the poller thread once per process; False when it already runs here."""
    global _started_in
    if _started_in == os.getpid():
        return False
    _started_in = os.getpid()
    threading.Thread(target=_run, name="metrics-poller", daemon=True).start()
    return True
