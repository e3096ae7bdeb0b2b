"""One request pipeline: the facts of each request, worked out once, for everyone who needs them.

`RequestPipelineMiddleware` is the first entry of settings.MIDDLEWARE, so that it times
everything the other middleware do. For every request it works out, once:

    request id   the caller's `X-Request-ID` when it is sane, else a new one; echoed in the
                 response and kept on `request.request_id`
    route        the URL pattern's namespaced name, `static` or `unmatched` (never a path)
    method, status, duration, user id (only a user the request already loaded)

and hands them to

    the metrics  `trading_strategy_http_requests_in_flight` while the request is handled,
                 `trading_strategy_http_request_duration_seconds` when its response (for a
                 stream: its headers) is ready, and the worker's requests served
    the log      request_id, route and strategy_id bound for every line written while the
                 request is served, and one `request.finished` line (for a stream: when the
                 stream ends, with the stream's whole duration)
    listeners    functions attached with `listen()` (the ops dashboard's recent requests),
                 called with the `RequestFacts` when the response is ready

It works sync and async, so an async view (an event stream) stays on the event loop; the
ASGI handler (trading_strategy/asgi.py) builds the chain in sync mode and enters it once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.core.signals import request_finished
from django.http import FileResponse, HttpRequest
from django.urls import Resolver404, ResolverMatch, resolve

from . import metrics, request_context, telemetry

logger = logging.getLogger(__name__)

# Routes whose URL kwargs are secrets (password reset links): the finished line names the
# pattern instead of the path.
_SECRET_URL_KWARGS = {"token", "uidb64"}


@dataclass(slots=True)
class RequestFacts:
    request_id: str
    method: str
    route: str
    path: str  # as logged: the URL pattern instead of a path that holds a secret
    started: float  # time.perf_counter() when the request reached the pipeline
    status: int = 500
    duration: float = 0.0  # seconds, to the response (for a stream: to its headers)
    user_id: int | None = None
    finished_at: float = 0.0  # time.time() when the response was ready


Listener = Callable[[RequestFacts], None]
_listeners: dict[str, Listener] = {}


def listen(name: str, listener: Listener) -> None:
    """Call `listener(facts)` for every request once its response is ready. Attaching under
    a name already in use replaces that listener. A listener runs in the request's thread:
    keep it cheap; its errors are logged, never passed to the request."""
    _listeners[name] = listener


# --- route -------------------------------------------------------------------------------

_ninja_names: dict[tuple[int, str], str | None] = {}


def _ninja_operation_name(match: ResolverMatch, method: str) -> str | None:
    """django-ninja mounts one URL pattern per path; several methods (GET and POST
    /strategies) share it and Django reports the first one's name. Name the operation the
    method actually reached, the way ninja names its URL patterns (the view function)."""
    key = (id(match.func), method)
    if key in _ninja_names:
        return _ninja_names[key]
    found = None
    for cell in getattr(match.func, "__closure__", None) or ():
        try:
            operations = getattr(cell.cell_contents, "operations", None)
        except ValueError:  # an empty cell
            continue
        if operations is None:
            continue
        for operation in operations:
            if method in operation.methods:
                name = getattr(operation, "url_name", None) or operation.view_func.__name__
                found = f"{match.namespace}:{name}" if match.namespace else name
                break
    _ninja_names[key] = found
    return found


def resolve_route(request: HttpRequest) -> tuple[str, ResolverMatch | None]:
    """The route label and the URL match of a request, resolved before the view runs, so
    that lines written earlier (a refused host, a CSRF failure) carry the route too and a
    middleware answering early (a redirect, a lockout page, a static file) is named after
    the pattern the path would have reached."""
    path = request.path_info
    if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return metrics.STATIC_ROUTE, None
    try:
        match = resolve(path)
    except Resolver404:
        return metrics.UNMATCHED_ROUTE, None
    except Exception:
        return metrics.UNMATCHED_ROUTE, None
    if (
        match.namespace
        and getattr(match.func, "csrf_exempt", False)
        and getattr(match.func, "__closure__", None)
    ):
        name = _ninja_operation_name(match, request.method or "")
        if name:
            return name, match
    return match.view_name or "unnamed", match


def _method_label(method: str | None) -> str:
    return method if method in metrics.HTTP_METHODS else "other"


# --- the middleware ----------------------------------------------------------------------


class RequestPipelineMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)
        request_finished.connect(request_context.forget, dispatch_uid="observability.forget_request")

    def __call__(self, request):
        if self.async_mode:
            return self._acall(request)
        facts, measured = self._begin(request)
        try:
            response = self.get_response(request)
        except BaseException:
            self._failed(facts, measured)
            raise
        return self._end(request, response, facts, measured)

    async def _acall(self, request):
        facts, measured = self._begin(request)
        try:
            response = await self.get_response(request)
        except BaseException:
            self._failed(facts, measured)
            raise
        return self._end(request, response, facts, measured)

    @staticmethod
    def _begin(request) -> tuple[RequestFacts, bool]:
        started = time.perf_counter()
        request_id = request_context.request_id_from(request.headers.get(request_context.REQUEST_ID_HEADER))
        request.request_id = request_id
        route, match = resolve_route(request)
        context: dict[str, str | int] = {"request_id": request_id, "route": route}
        path = request.path
        if match is not None:
            for key in ("strategy_id", "pk"):
                if key in match.kwargs:
                    # The API's router hands its path parameters over as text.
                    value = str(match.kwargs[key])
                    if value.isascii() and value.isdigit():
                        context["strategy_id"] = int(value)
                    break
            if _SECRET_URL_KWARGS & match.kwargs.keys():
                path = "/" + match.route
        request_context.bind(request, **context)
        facts = RequestFacts(request_id, request.method, route, path, started)
        measured = telemetry.enabled()
        if measured:
            metrics.http_requests_in_flight.inc()
        return facts, measured

    @staticmethod
    def _failed(facts: RequestFacts, measured: bool) -> None:
        # Django turns a view's exception into a response; one escaping the whole chain is
        # still a request that was served, as a 500.
        if measured:
            metrics.http_requests_in_flight.dec()
            _observe(facts, time.perf_counter() - facts.started)

    @staticmethod
    def _end(request, response, facts: RequestFacts, measured: bool):
        facts.status = response.status_code
        facts.duration = time.perf_counter() - facts.started
        facts.user_id = request_context.known_user_id(request)
        facts.finished_at = time.time()
        response[request_context.REQUEST_ID_HEADER] = facts.request_id
        if measured:
            metrics.http_requests_in_flight.dec()
            _observe(facts, facts.duration)
        for name, listener in tuple(_listeners.items()):
            try:
                listener(facts)
            except Exception:
                logger.warning("request listener %s failed", name, exc_info=True)
        fields = request_context.finished_fields(facts.method, facts.path, facts.user_id)
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _finished_after(
                response.streaming_content,
                response.is_async,
                lambda: request_context.log_finished(fields, facts.status, facts.started),
            )
        else:
            request_context.log_finished(fields, facts.status, facts.started)
        return response


def _observe(facts: RequestFacts, seconds: float) -> None:
    metrics.http_request_duration.labels(_method_label(facts.method), facts.route, str(facts.status)).observe(
        seconds
    )
    metrics.process_requests.inc()


def _finished_after(content, is_async: bool, finished: Callable[[], None]):
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
