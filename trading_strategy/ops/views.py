"""The admin-only live dashboard: pages, their live partials, metric data and its stream.

Every view here is wrapped by `admin_only` (access.py): anyone who is not an admin,
anonymous included, gets a 404. The pages refresh their
live part with htmx polling (`hx-trigger="every 5s"`) of a partial; the Metrics page's charts
read `metrics.json` once, then follow `metrics/events`, a server-sent event stream of the
same JSON (falling back to polling the JSON when the stream cannot open, e.g. under WSGI).
"""

from __future__ import annotations

import asyncio
import json
import time

import structlog
from asgiref.sync import sync_to_async
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from trading_strategy.accounts import lockout

from . import history, lockouts, recent
from . import home as home_facts
from . import sessions as session_facts
from . import strategies as strategy_facts
from .access import DEV_NAMESPACE, admin_only

log = structlog.get_logger(__name__)

REFRESH_SECONDS = history.SAMPLE_SECONDS
STREAM_RETRY_MILLISECONDS = 5000

PAGES = [  # (url name, title) in the navigation's order
    ("home", "Home"),
    ("metrics", "Metrics"),
    ("requests", "Requests"),
    ("strategies", "Strategies"),
    ("sessions", "Sessions & caches"),
]


def _render(request, page: str, template: str, context: dict):
    return render(
        request,
        template,
        {
            "page": page,
            "pages": PAGES,
            "refresh_seconds": REFRESH_SECONDS,
            "dev": request.resolver_match.namespace == DEV_NAMESPACE,
            **context,
        },
    )


# ---------------------------------------------------------------------------- home


@admin_only
@require_safe
def home(request):
    return _render(request, "home", "dashboard/home.html", {"home": home_facts.home()})


@admin_only
@require_safe
def home_live(request):
    return _render(request, "home", "dashboard/_home.html", {"home": home_facts.home()})


# ---------------------------------------------------------------------------- metrics


@admin_only
@require_safe
def metrics(request):
    return _render(
        request,
        "metrics",
        "dashboard/metrics.html",
        {
            "charts": history.CHARTS,
            "history_minutes": history.HISTORY_SECONDS // 60,
            "window_seconds": history.WINDOW_SECONDS,
        },
    )


def _metrics_payload() -> dict:
    history.history.maybe_sample()
    payload = history.history.series()
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
        return HttpResponse(
            "Live updates need the ASGI server.\n", status=501, content_type="text/plain; charset=utf-8"
        )
    response = StreamingHttpResponse(_metrics_stream(), content_type="text/event-stream")
    response["X-Accel-Buffering"] = "no"
    return response


# ---------------------------------------------------------------------------- requests


def _requests_context(request) -> dict:
    status_class = request.GET.get("status", "")
    if status_class not in recent.STATUS_CLASSES:
        status_class = ""
    return {
        "requests": recent.recent_requests(status_class),
        "status_class": status_class,
        "status_classes": recent.STATUS_CLASSES,
        "capacity": recent.RECENT_REQUESTS,
    }


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
    return _render(
        request, "strategies", "dashboard/strategies.html", {"strategies": strategy_facts.strategies()}
    )


@admin_only
@require_safe
def strategies_live(request):
    return _render(
        request, "strategies", "dashboard/_strategies.html", {"strategies": strategy_facts.strategies()}
    )


# ---------------------------------------------------------------------------- sessions


@admin_only
@require_safe
def sessions(request):
    return _render(
        request,
        "sessions",
        "dashboard/sessions.html",
        {"state": session_facts.sessions_and_caches(), "lockouts": lockouts.current_lockouts()},
    )


@admin_only
@require_POST
def unlock(request):
    email = request.POST.get("email", "").strip()
    if email:
        unlocked = lockout.unlock(email)
        log.info("accounts.unlocked", by_user_id=request.user.pk, unlocked=bool(unlocked))
        messages.success(request, f"Unlocked {email}." if unlocked else f"{email} was not locked out.")
    return redirect(f"{request.resolver_match.namespace}:sessions")


@admin_only
@require_safe
def sessions_live(request):
    return _render(
        request, "sessions", "dashboard/_sessions.html", {"state": session_facts.sessions_and_caches()}
    )
