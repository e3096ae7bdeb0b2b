"""The admin-only live dashboard: pages, their live partials, metric data and its stream.

Every view here is wrapped by `admin_only`: anyone who is not an admin, anonymous included,
gets a 404, so the dashboard's existence is not confirmed to them. The pages refresh their
live part with htmx polling (`hx-trigger="every 5s"`) of a partial; the Metrics page's charts
read `metrics.json` once, then follow `metrics/events`, a server-sent event stream of the
same JSON (falling back to polling the JSON when the stream cannot open, e.g. under WSGI).
"""
from __future__ import annotations

import asyncio
import functools
import json
import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from . import (dashboard_history, dashboard_home, dashboard_requests, dashboard_sampler,
               dashboard_sessions, dashboard_strategies, dashboard_workers)

ADMIN_NAMESPACE = "dashboard"
DEV_NAMESPACE = "dev-dashboard"
REFRESH_SECONDS = dashboard_history.SAMPLE_SECONDS
STREAM_RETRY_MILLISECONDS = 5000

PAGES = [  # (url name, title) in the navigation's order
    ("home", "Home"),
    ("metrics", "Metrics"),
    ("requests", "Requests"),
    ("strategies", "Strategies"),
    ("sessions", "Sessions & caches"),
]


def _allowed(request, user) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == DEV_NAMESPACE and not settings.DEBUG:
        return False
    return bool(user.is_authenticated and getattr(user, "is_admin", False))


def admin_only(view):
    """404 for everyone but admins (and for /dev/dashboard whenever DEBUG is off)."""
    if iscoroutinefunction(view):
        @functools.wraps(view)
        async def async_wrapper(request, *args, **kwargs):
            if not _allowed(request, await request.auser()):
                raise Http404("No such page.")
            response = await view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        return markcoroutinefunction(async_wrapper)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _allowed(request, request.user):
            raise Http404("No such page.")
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response
    return wrapper


def _render(request, page: str, template: str, context: dict):
    return render(request, template, {"page": page, "pages": PAGES,
                                      "refresh_seconds": REFRESH_SECONDS,
                                      "dev": request.resolver_match.namespace == DEV_NAMESPACE,
                                      **context})


# ---------------------------------------------------------------------------- home

@admin_only
@require_safe
def home(request):
    return _render(request, "home", "dashboard/home.html", {"home": dashboard_home.home()})


@admin_only
@require_safe
def home_live(request):
    return _render(request, "home", "dashboard/_home.html", {"home": dashboard_home.home()})


# ---------------------------------------------------------------------------- metrics

@admin_only
@require_safe
def metrics(request):
    return _render(request, "metrics", "dashboard/metrics.html",
                   {"charts": dashboard_history.CHARTS,
                    "history_minutes": dashboard_history.HISTORY_SECONDS // 60,
                    "window_seconds": dashboard_history.WINDOW_SECONDS})


def _metrics_payload() -> dict:
    dashboard_history.history.maybe_sample()
    payload = dashboard_history.history.series()
    payload["generated_at"] = time.time()
    return payload


@admin_only
@require_safe
def metrics_json(request):
    return JsonResponse(_metrics_payload())


async def _metrics_stream():
    yield f"retry: {STREAM_RETRY_MILLISECONDS}\n\n"
    while True:
        payload = await sync_to_async(_metrics_payload, thread_sensitive=False)()
        yield f"event: metrics\ndata: {json.dumps(payload, separators=(',', ':'))}\n\n"
        await asyncio.sleep(REFRESH_SECONDS)


@admin_only
async def metrics_events(request):
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    if not isinstance(request, ASGIRequest):
        # Under WSGI the endless stream would hold a worker thread; the page polls instead.
        return HttpResponse("Live updates need the ASGI server.\n", status=501,
                            content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(_metrics_stream(), content_type="text/event-stream")
    response["X-Accel-Buffering"] = "no"
    return response


# ---------------------------------------------------------------------------- requests

def _requests_context(request) -> dict:
    status_class = request.GET.get("status", "")
    if status_class not in dashboard_requests.STATUS_CLASSES:
        status_class = ""
    return {"requests": dashboard_requests.recent_requests(status_class),
            "status_class": status_class, "status_classes": dashboard_requests.STATUS_CLASSES,
            "capacity": dashboard_workers.RECENT_REQUESTS}


@admin_only
@require_safe
def requests_page(request):
    return _render(request, "requests", "dashboard/requests.html", _requests_context(request))


@admin_only
@require_safe
def requests_live(request):
    return _render(request, "requests", "dashboard/_requests.html", _requests_context(request))


# ---------------------------------------------------------------------------- strategies

@admin_only
@require_safe
def strategies(request):
    return _render(request, "strategies", "dashboard/strategies.html",
                   {"strategies": dashboard_strategies.strategies()})


@admin_only
@require_safe
def strategies_live(request):
    return _render(request, "strategies", "dashboard/_strategies.html",
                   {"strategies": dashboard_strategies.strategies()})


# ---------------------------------------------------------------------------- sessions

@admin_only
@require_safe
def sessions(request):
    return _render(request, "sessions", "dashboard/sessions.html",
                   {"state": dashboard_sessions.sessions_and_caches()})


@admin_only
@require_safe
def sessions_live(request):
    return _render(request, "sessions", "dashboard/_sessions.html",
                   {"state": dashboard_sessions.sessions_and_caches()})


# ---------------------------------------------------------------------------- recent requests

def record_request(facts) -> None:
    """A request pipeline listener: the request joins this worker's ring of recent ones."""
    dashboard_sampler.ensure_started()
    if facts.route == "static" or facts.route.startswith(
            (f"{ADMIN_NAMESPACE}:", f"{DEV_NAMESPACE}:")):
        # The dashboard's own polling and static files would push real traffic out of the
        # ring; they are still counted in the worker's requests served.
        dashboard_requests.count_request()
        return
    dashboard_requests.record_request({
        "at": facts.finished_at,
        "request_id": facts.request_id,
        "method": facts.method,
        "route": facts.route,
        "status": facts.status,
        "duration": round(facts.duration, 6),
        "user_id": facts.user_id,
        "pid": dashboard_workers.worker().pid,
    })
