"""ASGI entry point; gunicorn's uvicorn workers serve `application` (see `trading-strategy serve`)."""

import os

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trading_strategy.settings")


class OneHopASGIHandler(ASGIHandler):
    """Django's ASGI handler with the middleware chain and the view run in one thread.

    Under ASGI, Django builds an async middleware chain. Every MiddlewareMixin hook
    (security, session, CSRF, auth, messages...) and every sync view then hops from the
    event loop to the request's thread and back: 15 hops for the log-in page, about 2 ms of
    each request's CPU and most of what separated a served request from the same view in
    process (bench/served_bench.py measures both handlers). This builds the chain in sync
    mode, as under WSGI, and enters it once per request.

    Async views (health checks, event streams) still run on the event loop: the sync chain
    calls them through async_to_sync, and a stream's body is sent by the handler, on the
    loop, after the chain has returned.
    """

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


def get_application() -> OneHopASGIHandler:
    django.setup(set_prefix=False)
    return OneHopASGIHandler()


application = get_application()
