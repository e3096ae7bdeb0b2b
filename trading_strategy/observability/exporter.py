"""The Prometheus exporter: `/metrics` on its own port, apart from the application.

Under gunicorn (`trading-strategy serve`, any number of workers) the exporter runs once, in
the gunicorn master (gunicorn_conf.when_ready), and reads every worker's values from the
files prometheus_client's multiprocess mode keeps in PROMETHEUS_MULTIPROC_DIR. Workers
never serve metrics themselves, so a scrape sees all of them at once, and the counters of a
worker that died or was restarted stay in the sums.

Environment (read here, not in settings.py: the gunicorn master, which starts the
exporter, never loads Django's settings):
    METRICS_PORT            port (default 9568; 0 turns the exporter off)
    METRICS_HOST            address to bind (default 127.0.0.1: scrape from the same host or
                            set it to the address the Prometheus network reaches)
    PROMETHEUS_MULTIPROC_DIR  the workers' value files; `serve` creates a fresh one per start.
                            prometheus_client itself reads it when first imported, so it
                            is process plumbing, set before any settings exist.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from trading_strategy.env import env_int, env_str

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def port() -> int:
    return env_int("METRICS_PORT", 9568)


def host() -> str:
    return env_str("METRICS_HOST", "127.0.0.1")


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def ensure_multiprocess_dir() -> tuple[str, bool]:
    """Make sure PROMETHEUS_MULTIPROC_DIR names an existing directory, before any worker
    imports prometheus_client (which picks its file-backed values then).

    Returns (path, created): a directory created here (a fresh temporary one) is removed
    by `remove_multiprocess_dir` when the server stops; one the operator named is kept,
    and emptied at each start by `clear`, since files left by an earlier run would add
    that run's counts to this one's.
    """
    given = multiprocess_dir()
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        return given, False
    path = tempfile.mkdtemp(prefix="trading-strategy-metrics-")
    os.environ[MULTIPROC_ENV] = path
    return path, True


def clear(path) -> None:
    for pattern in ("*.db", f"*{PROCESS_FILE_SUFFIX}"):
        for entry in Path(path).glob(pattern):
            entry.unlink(missing_ok=True)


# Files a worker keeps of its own beside its metric values (the ops dashboard's rings of
# recent requests), `<name>_<pid>.mmap`: not `*.db`, which the collector reads as metrics.
PROCESS_FILE_SUFFIX = ".mmap"


def process_file(name: str, pid: int | None = None) -> Path | None:
    """This worker's (or `pid`'s) file `name` in multiprocess mode, else None."""
    directory = multiprocess_dir()
    if not directory:
        return None
    return Path(directory) / f"{name}_{pid or os.getpid()}{PROCESS_FILE_SUFFIX}"


def process_files(name: str) -> dict[int, Path]:
    """Every worker's file `name`, by pid ({} outside multiprocess mode)."""
    directory = multiprocess_dir()
    found = {}
    for path in Path(directory).glob(f"{name}_*{PROCESS_FILE_SUFFIX}") if directory else ():
        pid = path.stem.rpartition("_")[2]
        if pid.isdigit():
            found[int(pid)] = path
    return found


def remove_multiprocess_dir(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


def registry():
    """The registry a scrape reads: every worker's files in multiprocess mode, else this
    process's own metrics (tests, `runserver`, the benchmark)."""
    from prometheus_client import REGISTRY, CollectorRegistry, multiprocess

    directory = multiprocess_dir()
    if not directory:
        return REGISTRY
    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined, path=directory)
    return combined


def render(target=None) -> bytes:
    """The text exposition of `registry()` (or of `target`)."""
    from prometheus_client import generate_latest

    return generate_latest(target if target is not None else registry())


def start(listen_port: int | None = None, listen_host: str | None = None):
    """Serve /metrics in a daemon thread; returns (server, thread), or None when the port
    is 0. Call it in one process only (the gunicorn master)."""
    from prometheus_client import start_http_server

    listen_port = port() if listen_port is None else listen_port
    if listen_port == 0:
        return None
    return start_http_server(listen_port, addr=listen_host or host(), registry=registry())


def mark_process_dead(pid: int) -> None:
    """Drop a dead worker's live gauges (in flight, memory, pool) and its own files; its
    counters and histograms stay, as counters must."""
    directory = multiprocess_dir()
    if directory:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
        for path in Path(directory).glob(f"*_{pid}{PROCESS_FILE_SUFFIX}"):
            path.unlink(missing_ok=True)
