"""Bind each request's identity to every log line written while it is served.

`RequestContextMiddleware` is the first middleware. It binds `request_id` (the caller's
`X-Request-ID` when it is sane, else a new one, echoed in the response), `route` (the URL
pattern's namespaced name, `static`, or `unmatched`) and `strategy_id` (from the URL) with structlog's
contextvars, and writes one `request.finished` line with the status and duration when the
response is complete (for a stream: when the stream ends). `user_id` is added to each line
by `add_request_user` as soon as something in the request has loaded the user, so that
logging never costs a session or database lookup of its own.

Contextvars follow the request under ASGI: into sync views, which asgiref runs in a thread
with a copy of the context (and whose bindings it copies back), and into the response.
Each ASGI request runs in a task of its own, with its own copy of the context.
"""
from __future__ import annotations

import re
import time
import uuid
from contextvars import ContextVar

import structlog
from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.signals import request_finished
from django.http import FileResponse
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject, empty

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
# Routes whose URL kwargs are secrets (password reset links): the finished line names the
# pattern instead of the path.
_SECRET_URL_KWARGS = {"token", "uidb64"}
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
        user = user._wrapped if user._wrapped is not empty else None
    if user is None:
        # Async views load the user with `await request.auser()`, which caches it here.
        user = request.__dict__.get("_acached_user")
    if user is None or not getattr(user, "is_authenticated", False):
        # API calls authenticate with a token; django-ninja keeps the user in `auth`.
        user = request.__dict__.get("auth")
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk
    return None


def add_request_user(_logger, _method_name: str, event_dict: dict) -> dict:
    """structlog processor: `user_id` of the current request, once it is known."""
    if "user_id" not in event_dict:
        request = _current_request.get()
        user_id = known_user_id(request) if request is not None else None
        if user_id is not None:
            event_dict["user_id"] = user_id
    return event_dict


def _route_context(request) -> dict:
    # Resolved here, before the view, so that lines written earlier (a refused host, a CSRF
    # failure) carry the route too; the name is the metrics' route label, so a slow route
    # on a dashboard leads straight to its lines. Django resolves again later: microseconds.
    # Imported here: settings import this module (through logging), and the metrics must
    # not be created before settings exist.
    from trading_strategy.observability.instrumentation import route_of

    context = {"route": route_of(request)}
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return context
    for key in ("strategy_id", "pk"):
        if key in match.kwargs:
            context["strategy_id"] = match.kwargs[key]
            break
    if _SECRET_URL_KWARGS & match.kwargs.keys():
        context["_path"] = "/" + match.route
    return context


class RequestContextMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)
        # The context stays bound after this middleware returns: Django logs a 4xx or 5xx
        # answer (django.request) only once the whole chain has returned, and a stream is
        # sent later still. A sync server reuses its thread, so the context is dropped when
        # the response is closed; each request also starts from an empty context.
        request_finished.connect(_forget_request, dispatch_uid="observability.forget_request")

    def __call__(self, request):
        if self.async_mode:
            return self._acall(request)
        started = self._begin(request)
        return self._end(request, self.get_response(request), started)

    async def _acall(self, request):
        started = self._begin(request)
        response = await self.get_response(request)
        return self._end(request, response, started)

    def _begin(self, request):
        started = time.perf_counter()
        structlog.contextvars.clear_contextvars()
        request.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        context = _route_context(request)
        request._log_path = context.pop("_path", request.path)
        structlog.contextvars.bind_contextvars(request_id=request.request_id, **context)
        _current_request.set(request)
        return started

    def _end(self, request, response, started):
        response[REQUEST_ID_HEADER] = request.request_id
        # Taken now: a stream ends after this middleware has returned, maybe in another task.
        fields = {**structlog.contextvars.get_contextvars(),
                  "method": request.method, "path": request._log_path}
        user_id = known_user_id(request)
        if user_id is not None:
            fields["user_id"] = user_id
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _finished_after(
                response.streaming_content, response.is_async,
                lambda: _log_finished(fields, response.status_code, started))
        else:
            _log_finished(fields, response.status_code, started)
        return response


def _forget_request(**_kwargs) -> None:
    structlog.contextvars.clear_contextvars()
    _current_request.set(None)


def _log_finished(fields: dict, status: int, started: float) -> None:
    duration_ms = round((time.perf_counter() - started) * 1000, 3)
    if status >= 500:
        method = log.error
    elif fields.get("route") in _QUIET_ROUTES and status < 400:
        method = log.debug
    else:
        method = log.info
    with structlog.contextvars.bound_contextvars(**fields):
        method("request.finished", status=status, duration_ms=duration_ms)


def _finished_after(content, is_async: bool, finished):
    if is_async:
        async def stream():
            try:
                async for chunk in content:
                    yield chunk
            finally:
                finished()
    else:
        def stream():
            try:
                yield from content
            finally:
                finished()
    return stream()
