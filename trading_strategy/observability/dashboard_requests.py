"""The rings of recent requests and strategy operations: how a worker fills its own, and
how the pages read all workers' rings merged, newest first.

Each worker keeps its rings in memory and publishes them in its heartbeat file, so the
worker answering the page shows what every worker served.
"""
from __future__ import annotations

import os
import time

from .dashboard_workers import RECENT_REQUESTS, read_heartbeats, worker

STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx")


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


# --------------------------------------------------------------------------- page data

def clock(timestamp: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(timestamp))


def _with_text(entries: list[dict]) -> list[dict]:
    for entry in entries:
        entry["at_text"] = clock(entry.get("at", 0))
        if entry.get("duration") is not None:
            entry["duration_ms"] = round(entry["duration"] * 1000, 1)
    return entries


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
