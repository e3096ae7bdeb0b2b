"""Health endpoints for load balancers, orchestrators and monitors.

/health        the seed's summary: {"status", "timestamp", "checks": {"database", "memory"}}
/health/live   the process answers; touches nothing else
/health/ready  the database answers within the timeout and every migration is applied

Each answers 200 when every check passes and 503 otherwise. Anyone gets the overall status
and each check's "ok" or "error"; an admin, and a caller from HEALTH_DETAILS_NETWORKS (the
monitoring's network), also get `details`: each check's timing and what it saw. No answer
ever carries a stack trace: a failed check's reason goes to the log.
"""

from __future__ import annotations

import asyncio
import contextvars
import ipaddress
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from trading_strategy.headers import client_address

from .process import resident_memory_bytes

log = structlog.get_logger(__name__)

# Database checks run on this one thread: a hung database holds one thread and one
# connection, however often the probes ask, and the probes still answer on time.
_database_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health-check")


@dataclass
class Check:
    name: str
    ok: bool
    duration_ms: float = 0.0
    detail: dict = field(default_factory=dict)


class _Migrations:
    """Which of the code's migrations the database has not recorded as applied.

    The migrations on disk cannot change while the process runs, so they are read once;
    the applied ones are read on every check (one small query, not a full migration plan),
    so a database restored from an older backup under a running server makes it not ready."""

    _known: frozenset[tuple[str, str]] | None = None

    @classmethod
    def pending(cls) -> list[str]:
        if cls._known is None:
            cls._known = frozenset(MigrationLoader(None).graph.nodes)
        applied = MigrationRecorder(connection).applied_migrations()
        return [f"{app}.{name}" for app, name in sorted(cls._known - applied.keys())]


def _select_one(timeout: float) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Local to the check's transaction: the pooled connection keeps no trace of it.
            cursor.execute(f"SET LOCAL statement_timeout = {max(1, int(timeout * 1000))}")
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _database_round_trip(timeout: float, with_migrations: bool) -> dict:
    try:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                _select_one(timeout)
        else:
            # No transaction on SQLite: ours begin IMMEDIATE, which would queue the check
            # behind every writer.
            _select_one(timeout)
        detail: dict[str, Any] = {"vendor": connection.vendor}
        if with_migrations:
            detail["pending_migrations"] = _Migrations.pending()
        return detail
    finally:
        # This thread outlives requests, so nothing else would ever return its connection;
        # a fresh one per check also makes the check a true round trip.
        connection.close()


async def _database_checks(with_migrations: bool) -> list[Check]:
    timeout = float(settings.HEALTH_CHECK_TIMEOUT_SECONDS)
    started = time.perf_counter()
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()  # the check's log lines keep the request_id
    try:
        detail = await asyncio.wait_for(
            loop.run_in_executor(
                _database_thread, context.run, _database_round_trip, timeout, with_migrations
            ),
            timeout,
        )
    except TimeoutError:
        log.warning("health.database_timeout", timeout_seconds=timeout)
        return _failed(
            ["database"] + (["migrations"] if with_migrations else []),
            started,
            {"error": f"no answer within {timeout:g} s"},
        )
    except Exception as error:
        log.warning("health.database_unavailable", error_type=type(error).__name__, error=str(error)[:300])
        return _failed(
            ["database"] + (["migrations"] if with_migrations else []),
            started,
            {"error": type(error).__name__},
        )
    duration_ms = _ms_since(started)
    checks = [Check("database", True, duration_ms, {"vendor": detail["vendor"]})]
    if with_migrations:
        pending = detail["pending_migrations"]
        if pending:
            log.warning("health.migrations_pending", pending=pending)
        checks.append(Check("migrations", not pending, duration_ms, {"pending": pending} if pending else {}))
    return checks


def _failed(names: list[str], started: float, detail: dict) -> list[Check]:
    duration_ms = _ms_since(started)
    return [Check(name, False, duration_ms, detail) for name in names]


def _memory_check() -> Check:
    started = time.perf_counter()
    limit = int(settings.MEMORY_LIMIT_BYTES)
    rss = resident_memory_bytes()
    if rss >= limit:
        log.warning("health.memory_over_limit", rss_bytes=rss, limit_bytes=limit)
    return Check("memory", rss < limit, _ms_since(started), {"rss_bytes": rss, "limit_bytes": limit})


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def _from_details_network(request) -> bool:
    networks = settings.HEALTH_DETAILS_NETWORKS
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in networks)


async def _is_admin(request) -> bool:
    """Whether to show details. A probe without a session cookie costs no lookup; with one,
    a database that is down or slow means no details, not an error."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    try:
        user = await asyncio.wait_for(request.auser(), float(settings.HEALTH_CHECK_TIMEOUT_SECONDS))
    except (TimeoutError, DatabaseError):
        return False
    return bool(getattr(user, "is_admin", False))


async def _answer(request, checks: list[Check], timestamp: bool = True) -> JsonResponse:
    healthy = all(check.ok for check in checks)
    body: dict[str, Any] = {"status": "ok" if healthy else "error"}
    if timestamp:
        body["timestamp"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    body["checks"] = {check.name: "ok" if check.ok else "error" for check in checks}
    if _from_details_network(request) or await _is_admin(request):
        body["details"] = {
            check.name: {
                "status": "ok" if check.ok else "error",
                "duration_ms": check.duration_ms,
                **check.detail,
            }
            for check in checks
        }
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_safe
async def summary(request):
    """The seed-compatible summary: database round trip and this worker's memory."""
    checks = await _database_checks(with_migrations=False)
    checks.append(_memory_check())
    return await _answer(request, checks)


@never_cache
@require_safe
async def ready(request):
    """Whether this process should receive traffic: the database answers and its schema is
    current. A load balancer takes the process out of rotation while this answers 503."""
    return await _answer(request, await _database_checks(with_migrations=True))


@never_cache
@require_safe
async def live(request):
    """Answer as long as the process can serve a request.

    Liveness must not touch the database: a database outage would otherwise make the
    orchestrator restart healthy processes, which cannot fix the database. It is async so
    that it answers from the event loop even while every sync view waits on something.
    """
    return JsonResponse({"status": "ok"})
