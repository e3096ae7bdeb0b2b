"""Strategy events on a publish/subscribe bus: in-process by default, Redis across processes.

Publishers are synchronous (lifecycle code running in a request thread); subscribers are
asyncio consumers (server-sent event streams). Each user has one topic, so a stream only
ever receives events about its owner's strategies.

Metrics: every message published counts in trading_strategy_pubsub_messages_total{event};
each broker keeps trading_strategy_live_subscribers equal to its open subscriptions.

When Redis is unreachable the bus degrades instead of failing its callers: a message that
cannot be published is logged and counted in trading_strategy_pubsub_errors_total
{operation="publish"} (the change it announces is committed already), and a subscription
that cannot start or breaks is counted as operation="subscribe" and ends its stream, whose
client reconnects by itself and so resumes once Redis answers again.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field

import structlog
from django.conf import settings
from django.db import transaction

from trading_strategy.observability import metrics

log = structlog.get_logger(__name__)

# Sent to a subscription's queue when its source broke: the stream should end.
BROKEN = None

EVENTS = ("created", "updated", "activated", "deactivated", "archived", "restored", "duplicated", "deleted")


def topic_for(user_id: int) -> str:
    return f"trading_strategy:user:{user_id}:strategies"


@dataclass(eq=False)
class Subscription:
    """An asyncio queue of messages for one topic, fed from any thread."""

    topic: str
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(maxsize=1000))
    _closer: object = None

    def deliver(self, message: dict):
        def put():
            if not self.queue.full():  # a stalled reader loses events, not memory
                self.queue.put_nowait(message)

        self.loop.call_soon_threadsafe(put)

    async def get(self) -> dict | None:
        """The next message, or BROKEN (None) once the subscription's source has failed."""
        return await self.queue.get()

    def break_off(self):
        def put():
            if self.queue.full():
                self.queue.get_nowait()
            self.queue.put_nowait(BROKEN)

        self.loop.call_soon_threadsafe(put)

    async def close(self):
        if self._closer is not None:
            await self._closer(self)


class LocalBroker:
    """Delivers within this process: enough for one worker."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[Subscription]] = {}

    def publish(self, topic: str, message: dict):
        with self._lock:
            receivers = list(self._subscribers.get(topic, ()))
        for subscription in receivers:
            try:
                subscription.deliver(message)
            except RuntimeError:  # its event loop has closed: the stream is gone
                self._remove(subscription)

    async def subscribe(self, topic: str) -> Subscription:
        subscription = Subscription(topic, asyncio.get_running_loop(), _closer=self._close)
        with self._lock:
            self._subscribers.setdefault(topic, set()).add(subscription)
            metrics.live_subscribers.inc()
        return subscription

    async def _close(self, subscription: Subscription):
        self._remove(subscription)

    def _remove(self, subscription: Subscription):
        with self._lock:
            subscribers = self._subscribers.get(subscription.topic, set())
            if subscription in subscribers:
                subscribers.discard(subscription)
                metrics.live_subscribers.dec()

    def subscriber_count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subscribers.values())


class RedisBroker:
    """Delivers across processes and machines through Redis pub/sub."""

    def __init__(self, url: str):
        import redis

        self.url = url
        # Publishing runs inside a request: a Redis that stopped answering must not hold it.
        self._client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._count = 0
        self._lock = threading.Lock()

    def publish(self, topic: str, message: dict):
        self._client.publish(topic, json.dumps(message))

    async def subscribe(self, topic: str) -> Subscription:
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(self.url, socket_connect_timeout=2)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(topic)
        except BaseException:
            await pubsub.aclose()
            await client.aclose()
            raise
        subscription = Subscription(topic, asyncio.get_running_loop())

        async def pump():
            try:
                async for raw in pubsub.listen():
                    subscription.deliver(json.loads(raw["data"]))
            except Exception as error:
                log.warning(
                    "events.subscription_broken", error_type=type(error).__name__, error=str(error)[:300]
                )
                metrics.record_pubsub_error("subscribe")
                subscription.break_off()

        task = asyncio.create_task(pump())

        async def close(_):
            task.cancel()
            await pubsub.aclose()
            await client.aclose()
            with self._lock:
                self._count -= 1
                metrics.live_subscribers.dec()

        subscription._closer = close
        with self._lock:
            self._count += 1
            metrics.live_subscribers.inc()
        return subscription

    def subscriber_count(self) -> int:
        with self._lock:
            return self._count


_broker = None
_broker_lock = threading.Lock()


def broker():
    global _broker
    with _broker_lock:
        if _broker is None:
            url = settings.REDIS_URL
            _broker = RedisBroker(url) if url else LocalBroker()
        return _broker


def publish(event: str, strategy, actor) -> None:
    """Announce a change once its transaction has committed; a rolled back change is
    never announced."""
    message = {
        "event": event,
        "strategy_id": strategy.pk,
        "name": strategy.name,
        "status": strategy.status,
        "version": strategy.current_version,
        "lock_version": strategy.lock_version,
        "by": getattr(actor, "email", None),
        "at": strategy.updated_at.isoformat(),
    }
    topic = topic_for(strategy.owner_id)

    def send():
        try:
            broker().publish(topic, message)
        except Exception as error:
            log.warning(
                "events.publish_failed",
                event_name=event,
                error_type=type(error).__name__,
                error=str(error)[:300],
            )
            metrics.record_pubsub_error("publish")
            return
        metrics.record_pubsub_message(event)

    transaction.on_commit(send)
