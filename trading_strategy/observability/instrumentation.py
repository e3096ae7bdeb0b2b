"""Where the metrics come from, besides the request pipeline (request_pipeline.py): the
database execute wrapper, signal receivers, the span handler, and the event-loop lag monitor.

`install()` (called once from the app's `ready()`) attaches the span handler and connects
the signals. `ObservedASGI` wraps the ASGI application in each gunicorn worker
(gunicorn_conf.post_worker_init): it answers the ASGI lifespan protocol, which Django does
not speak, and starts the event-loop lag monitor inside the worker's loop.
"""

from __future__ import annotations

import asyncio
import time

from . import metrics, telemetry

_installed = False


# --- database ----------------------------------------------------------------------------

_STATEMENTS = {"select": "select", "insert": "insert", "update": "update", "delete": "delete"}


def statement_of(sql) -> str:
    head = sql.lstrip()[:6].lower() if isinstance(sql, str) else ""
    return _STATEMENTS.get(head, "other")


def time_query(execute, sql, params, many, context):
    """A `connection.execute_wrapper`: times every statement Django sends."""
    if not telemetry.enabled():
        return execute(sql, params, many, context)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        metrics.db_query_duration.labels(statement_of(sql)).observe(time.perf_counter() - started)


def _wrap_connection(sender, connection, **kwargs):
    if time_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(time_query)


# --- spans -------------------------------------------------------------------------------


def record_span(phase: str, span) -> None:
    if phase == "start":
        return
    data = span.metadata
    if span.name == "strategy.operation":
        metrics.record_operation(data.get("operation"), data.get("result"), span.duration)
    elif span.name == "dsl.check":
        metrics.record_dsl_check(data.get("check"), data.get("format"), data.get("result"), span.duration)
    elif span.name == "preview":
        metrics.record_preview(data.get("source"), data.get("result"), data.get("bars"), span.duration)


# --- authentication ----------------------------------------------------------------------


def _logged_in(sender, request=None, user=None, **kwargs):
    metrics.record_auth_attempt("success")


def _login_failed(sender, credentials=None, request=None, **kwargs):
    # django-axes receives this signal first (its app is listed before ours) and marks a
    # request it refused, or that reached the limit, as locked out; that one attempt is
    # counted once, as "locked", by _locked_out.
    if request is not None and (
        getattr(request, "axes_locked_out", False) or getattr(request, "_auth_attempt_counted", False)
    ):
        return
    metrics.record_auth_attempt("failure")


def _locked_out(sender, request=None, **kwargs):
    if request is not None:
        if getattr(request, "_auth_attempt_counted", False):
            return
        request._auth_attempt_counted = True
    metrics.record_auth_attempt("locked")


# --- event loop --------------------------------------------------------------------------

LAG_INTERVAL_SECONDS = 1.0


async def monitor_event_loop(interval: float = LAG_INTERVAL_SECONDS):
    """Sleep `interval`, observe how much later than asked the loop woke us up."""
    loop = asyncio.get_running_loop()
    while True:
        asked = loop.time()
        await asyncio.sleep(interval)
        metrics.event_loop_lag.observe(max(0.0, loop.time() - asked - interval))


class ObservedASGI:
    """The ASGI application with the lifespan protocol answered here: on startup the
    event-loop lag monitor starts inside the worker's loop."""

    def __init__(self, app):
        self.app = app
        self._monitor = None

    def start_monitor(self):
        if self._monitor is None or self._monitor.done():
            self._monitor = asyncio.get_running_loop().create_task(monitor_event_loop())

    async def __call__(self, scope, receive, send):
        if scope["type"] != "lifespan":
            if self._monitor is None:
                self.start_monitor()
            return await self.app(scope, receive, send)
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.start_monitor()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._monitor is not None:
                    self._monitor.cancel()
                await send({"type": "lifespan.shutdown.complete"})
                return


# --- wiring ------------------------------------------------------------------------------


def install() -> None:
    """Attach the metrics span handler and connect the signal receivers (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    from django.contrib.auth.signals import user_logged_in, user_login_failed
    from django.db import connections
    from django.db.backends.signals import connection_created

    telemetry.attach("metrics", record_span, names={"strategy.operation", "dsl.check", "preview"})
    connection_created.connect(_wrap_connection, dispatch_uid="observability.time_query")
    # Connections opened before install() (a management command's first query) too.
    for connection in connections.all(initialized_only=True):
        _wrap_connection(None, connection)
    user_logged_in.connect(_logged_in, dispatch_uid="observability.logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="observability.login_failed")
    try:
        from axes.signals import user_locked_out
    except ImportError:  # axes is optional for the metrics
        pass
    else:
        user_locked_out.connect(_locked_out, dispatch_uid="observability.locked_out")
    metrics.prepare()
