"""Each worker's facts, shared with the others through small heartbeat files.

Per-worker facts (pid, memory, CPU, requests served, GC, threads, file descriptors) and each
worker's recent requests and operation outcomes are written by that worker to a JSON
heartbeat file under `<data dir>/run/workers/` every few seconds; the dashboard reads all
fresh ones. Any worker may answer the dashboard's request, and only files reach every
worker without a new service. The default cache is per process, so it cannot do this.
"""
from __future__ import annotations

import gc
import json
import logging
import os
import socket
import threading
import time
from collections import deque
from pathlib import Path

from django.conf import settings

from .dashboard_history import SAMPLE_SECONDS

logger = logging.getLogger(__name__)

RECENT_REQUESTS = 200
RECENT_OPERATIONS = 100
# A heartbeat older than this means the worker is gone (or stuck), so it is not listed.
STALE_SECONDS = SAMPLE_SECONDS * 3 + 1

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


def pool_state() -> dict | None:
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
        "pool": pool_state(),
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
