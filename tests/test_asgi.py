"""The ASGI application gunicorn serves: a page is one trip to a worker thread, and async
views still answer from the event loop."""

import asyncio
import json
import threading
import warnings
from pathlib import Path

import pytest
from asgiref.sync import SyncToAsync

from trading_strategy.asgi import application


def serve_once(path: str) -> tuple[int, bytes]:
    """One GET through the ASGI application, as uvicorn would send it."""
    messages = []
    received = []

    async def receive():
        if not received:
            received.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(application(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return messages[0]["status"], body


@pytest.fixture
def thread_hops(monkeypatch):
    """Each hop from the event loop into a thread, with the function it ran."""
    hops = []
    original = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        hops.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)
    return hops


@pytest.fixture
def threads_seen(monkeypatch):
    """The thread each middleware hook of the chain ran in."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.middleware.csrf import CsrfViewMiddleware

    seen = []
    for middleware in (SessionMiddleware, CsrfViewMiddleware):
        for hook in ("process_request", "process_response"):
            original = getattr(middleware, hook, None)
            if original is None:
                continue

            def recorded(self, *args, _original=original, **kwargs):
                seen.append(threading.get_ident())
                return _original(self, *args, **kwargs)

            monkeypatch.setattr(middleware, hook, recorded)
    return seen


def test_a_page_enters_a_worker_thread_once_for_its_whole_middleware_chain(
    settings, thread_hops, threads_seen
):
    settings.ALLOWED_HOSTS = ["localhost"]

    status, body = serve_once("/users/log-in")

    assert status == 200
    assert b'name="csrfmiddlewaretoken"' in body
    # The chain, the request_started signal and closing the response: Django's own
    # async chain takes 15 hops for this page, about one per middleware hook.
    assert len(thread_hops) <= 3, thread_hops
    assert len(threads_seen) >= 3 and len(set(threads_seen)) == 1
    assert threads_seen[0] != threading.get_ident()


def test_an_async_view_still_answers_through_the_application(settings):
    settings.ALLOWED_HOSTS = ["localhost"]

    status, body = serve_once("/health/live")

    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_a_static_file_is_streamed_from_the_event_loop_whole_and_without_a_warning(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    expected = (Path(settings.BASE_DIR) / "trading_strategy/static/vendor/htmx.min.js").read_bytes()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status, body = serve_once("/static/vendor/htmx.min.js")

    assert status == 200 and body == expected
    assert [str(warning.message) for warning in caught] == []
