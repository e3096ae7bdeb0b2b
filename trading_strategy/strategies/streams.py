"""Server-sent events: a user's strategy changes, pushed to their open pages.

Each message is `event: strategy` with the bus message as JSON data (keys: event,
strategy_id, name, status, version, lock_version, by, at). The list page refreshes its
table on each; the editor compares lock_version to detect a concurrent change.

The stream starts with `event: ready`, sent once the subscription exists: a browser
reports the stream open as soon as the headers arrive, which can be before that.
"""

from __future__ import annotations

import asyncio
import json

import structlog
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse, StreamingHttpResponse

from trading_strategy.observability import metrics

from . import events

log = structlog.get_logger(__name__)

HEARTBEAT_SECONDS = 15
RETRY_MILLISECONDS = 3000


def event_chunk(message: dict) -> str:
    return f"event: strategy\ndata: {json.dumps(message, separators=(',', ':'))}\n\n"


async def _stream(topic: str, heartbeat: float):
    try:
        subscription = await events.broker().subscribe(topic)
    except Exception as error:
        # An empty stream, not an error status: EventSource gives up for good on an error
        # status, but reconnects after `retry` when a stream ends, so live updates resume
        # by themselves once the bus is back. Meanwhile the page shows "reconnecting".
        log.warning("events.subscribe_failed", error_type=type(error).__name__, error=str(error)[:300])
        metrics.record_pubsub_error("subscribe")
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        return
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\nevent: ready\ndata: {{}}\n\n"
        while True:
            try:
                message = await asyncio.wait_for(subscription.get(), heartbeat)
            except TimeoutError:
                # Keeps proxies from closing an idle connection; a client ignores comments.
                yield ": heartbeat\n\n"
                continue
            if message is events.BROKEN:
                return  # the bus broke: the client reconnects and subscribes afresh
            yield event_chunk(message)
    finally:
        # Runs on disconnect (the server cancels us or closes the generator) and on errors.
        await subscription.close()


async def strategy_events(request):
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    user = await request.auser()
    if not user.is_authenticated:
        # A redirect to the log-in page would make EventSource retry forever; 401 stops it.
        return HttpResponse(
            "Log in to receive strategy events.\n", status=401, content_type="text/plain; charset=utf-8"
        )
    if not isinstance(request, ASGIRequest):
        # Under WSGI the endless stream would hold a worker thread forever.
        return HttpResponse(
            "Live updates need the ASGI server.\n", status=501, content_type="text/plain; charset=utf-8"
        )
    response = StreamingHttpResponse(
        _stream(events.topic_for(user.pk), HEARTBEAT_SECONDS), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    # Tells nginx-style proxies not to buffer the stream.
    response["X-Accel-Buffering"] = "no"
    return response
