"""Each request's identity in every log line written while it is served.

The request pipeline (request_pipeline.py) binds `request_id`, `route` and `strategy_id`
with structlog's contextvars when a request comes in (`bind`) and writes one
`request.finished` line with the status and duration when the response is complete
(`log_finished`; for a stream: when the stream ends). `user_id` is added to each line by
`add_request_user` as soon as something in the request has loaded the user, so that
logging never costs a session or database lookup of its own.

Light on purpose: the logging configuration imports this module while settings load, so it
imports neither the metrics nor the URL configuration.

Contextvars follow the request under ASGI: into sync views, which asgiref runs in a thread
with a copy of the context (and whose bindings it copies back), and into the response.
Each ASGI request runs in a task of its own, with its own copy of the context.
"""

from __future__ import annotations

import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

import structlog
from django.utils.functional import SimpleLazyObject, empty
from structlog.typing import EventDict

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
# Probes answer every few seconds; their successful answers are logged at DEBUG only.
_QUIET_ROUTES = {"health", "health-live", "health-ready"}

_current_request: ContextVar = ContextVar("trading_strategy_request", default=None)
log = structlog.get_logger("trading_strategy.request")


def request_id_from(header: str | None) -> str:
    """The caller's request id when it is safe to log and echo, else a fresh one."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def known_user_id(request) -> int | None:
    """The id of the user this request has already loaded, without loading it."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        # The wrapped object, if the lazy user was ever evaluated (a private attribute of
        # Django's, typed nowhere).
        wrapped = user.__dict__.get("_wrapped", empty)
        user = wrapped if wrapped is not empty else None
    if user is None:
        # Async views load the user with `await request.auser()`, which caches it here.
        user = request.__dict__.get("_acached_user")
    if user is None or not getattr(user, "is_authenticated", False):
        # API calls authenticate with a token; django-ninja keeps the user in `auth`.
        user = request.__dict__.get("auth")
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk
    return None


def add_request_user(_logger: Any, _method_name: str, event_dict: EventDict) -> EventDict:
    """structlog processor: `user_id` of the current request, once it is known."""
    if "user_id" not in event_dict:
        request = _current_request.get()
        user_id = known_user_id(request) if request is not None else None
        if user_id is not None:
            event_dict["user_id"] = user_id
    return event_dict


def bind(request, **context: Any) -> None:
    """Start the request's log context from empty: a sync server reuses its threads."""
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(**context)
    _current_request.set(request)


def forget(**_kwargs) -> None:
    """Drop the context once the response is closed (Django's `request_finished`).

    The context stays bound after the pipeline returns: Django logs a 4xx or 5xx answer
    (django.request) only once the whole chain has returned, and a stream is sent later
    still."""
    structlog.contextvars.clear_contextvars()
    _current_request.set(None)


def finished_fields(method: str, path: str, user_id: int | None) -> dict:
    """The finished line's fields, taken now: a stream ends after the pipeline has
    returned, maybe in another task."""
    fields = {**structlog.contextvars.get_contextvars(), "method": method, "path": path}
    if user_id is not None:
        fields["user_id"] = user_id
    return fields


def log_finished(fields: dict, status: int, started: float) -> None:
    duration_ms = round((time.perf_counter() - started) * 1000, 3)
    if status >= 500:
        method = log.error
    elif fields.get("route") in _QUIET_ROUTES and status < 400:
        method = log.debug
    else:
        method = log.info
    with structlog.contextvars.bound_contextvars(**fields):
        method("request.finished", status=status, duration_ms=duration_ms)
