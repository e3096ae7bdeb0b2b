"""The rings of recent requests and strategy operations: how a worker fills its own, and how
the pages read every worker's, merged, newest first.

Requests come from the request pipeline (`record_request` listens to it), operations from
the telemetry `strategy.operation` spans. Each worker keeps its rings in shared memory
(rings.py); with several workers, in files beside the metric values, which the master
removes with the worker's live gauges when it exits.
"""

from __future__ import annotations

import os
import threading
import time

from trading_strategy.observability import exporter, telemetry
from trading_strategy.observability.request_pipeline import RequestFacts

from . import rings
from .access import ADMIN_NAMESPACE, DEV_NAMESPACE
from .workers import pid_alive

RECENT_REQUESTS = 200
RECENT_OPERATIONS = 100
STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx")
_UNLISTED_PREFIXES = (f"{ADMIN_NAMESPACE}:", f"{DEV_NAMESPACE}:")


class _WorkerRings:
    def __init__(self) -> None:
        self.pid = os.getpid()
        self.requests = rings.SharedRing(RECENT_REQUESTS, exporter.process_file("requests"))
        self.operations = rings.SharedRing(RECENT_OPERATIONS, exporter.process_file("operations"))


_own: _WorkerRings | None = None
_own_lock = threading.Lock()


def _rings() -> _WorkerRings:
    """This worker's rings, made again after a fork (the pid differs)."""
    global _own
    with _own_lock:
        if _own is None or _own.pid != os.getpid():
            _own = _WorkerRings()
        return _own


def record_request(facts: RequestFacts) -> None:
    """A request pipeline listener: the request joins this worker's ring."""
    if facts.route == "static" or facts.route.startswith(_UNLISTED_PREFIXES):
        # The dashboard's own polling and static files would push real traffic out of the
        # ring; the worker's requests served still count them.
        return
    _rings().requests.append(
        {
            "at": facts.finished_at,
            "request_id": facts.request_id,
            "method": facts.method,
            "route": facts.route,
            "status": facts.status,
            "duration": round(facts.duration, 6),
            "user_id": facts.user_id,
            "pid": os.getpid(),
        }
    )


def _on_operation_span(phase: str, span) -> None:
    if phase not in ("stop", "exception"):
        return
    metadata = span.metadata
    _rings().operations.append(
        {
            "at": time.time(),
            "operation": str(metadata.get("operation", span.name)),
            "result": str(metadata.get("result", "unknown")),
            "strategy_id": metadata.get("strategy_id"),
            "error_code": metadata.get("error_code"),
            "user_id": metadata.get("user_id"),
            "duration": span.duration,
            "pid": os.getpid(),
        }
    )


def attach_telemetry() -> None:
    """Record `strategy.operation` span outcomes (again after a reload: the handler id is
    fixed, so attaching replaces it instead of doubling it)."""
    telemetry.attach("ops-operations", _on_operation_span, names={"strategy.operation"})


def clear() -> None:
    """Empty this worker's rings (tests start from nothing)."""
    own = _rings()
    own.requests.clear()
    own.operations.clear()


# --------------------------------------------------------------------------- page data


def _merged(name: str, own: rings.SharedRing) -> list[dict]:
    merged = own.entries()
    for pid, path in exporter.process_files(name).items():
        if pid != os.getpid() and pid_alive(pid):
            merged.extend(rings.read(path))
    merged.sort(key=lambda entry: entry.get("at", 0), reverse=True)
    return merged


def clock(timestamp: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(timestamp))


def _with_text(entries: list[dict]) -> list[dict]:
    for entry in entries:
        entry["at_text"] = clock(entry.get("at", 0))
        if entry.get("duration") is not None:
            entry["duration_ms"] = round(entry["duration"] * 1000, 1)
    return entries


def recent_requests(status_class: str = "", limit: int = RECENT_REQUESTS) -> list[dict]:
    merged = _merged("requests", _rings().requests)
    if status_class in STATUS_CLASSES:
        merged = [entry for entry in merged if str(entry.get("status", ""))[:1] == status_class[0]]
    return _with_text(merged[:limit])


def recent_operations(limit: int = 50) -> list[dict]:
    return _with_text(_merged("operations", _rings().operations)[:limit])
