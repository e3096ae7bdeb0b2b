"""The strategy event stream (/strategies/events), read as a browser's EventSource would."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient, Client

from trading_strategy.asgi import application
from trading_strategy.strategies import events, lifecycle, streams

from .conftest import document

# The view reads the session from another thread, which must see committed rows.
pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 5


@pytest.fixture(autouse=True)
def local_broker(monkeypatch):
    broker = events.LocalBroker()
    monkeypatch.setattr(events, "_broker", broker)
    return broker


def message_for(user, strategy_id=1, name="RSI dip", event="updated"):
    return {
        "event": event,
        "strategy_id": strategy_id,
        "name": name,
        "status": "draft",
        "version": 2,
        "lock_version": 3,
        "by": user.email,
        "at": "2025-01-01T00:00:00+00:00",
    }


async def logged_in_client(user) -> AsyncClient:
    client = AsyncClient()
    await client.aforce_login(user)
    return client


async def next_chunk(chunks) -> str:
    chunk = await asyncio.wait_for(anext(chunks), TIMEOUT)
    return chunk.decode() if isinstance(chunk, bytes) else chunk


async def next_event(chunks) -> dict:
    """The next `event: strategy` message's data, skipping comments and retry lines."""
    while True:
        chunk = await next_chunk(chunks)
        if chunk.startswith("event: strategy\n"):
            assert chunk.endswith("\n\n")
            data = chunk.removeprefix("event: strategy\n").removesuffix("\n\n")
            assert data.startswith("data: ") and "\n" not in data
            return json.loads(data.removeprefix("data: "))


async def open_stream(user):
    client = await logged_in_client(user)
    response = await client.get("/strategies/events")
    assert response.status_code == 200
    chunks = aiter(response.streaming_content)
    # The subscription exists once the first chunk is out.
    assert await next_chunk(chunks) == "retry: 3000\n\nevent: ready\ndata: {}\n\n"
    return response, chunks


def test_the_stream_is_an_uncached_event_stream_that_starts_with_a_retry(alice):
    async def scenario():
        response, chunks = await open_stream(alice)
        assert response["Content-Type"] == "text/event-stream"
        assert response["Cache-Control"] == "no-cache"
        await chunks.aclose()

    asyncio.run(scenario())


def test_a_published_event_arrives_as_a_strategy_event(alice, local_broker):
    async def scenario():
        _, chunks = await open_stream(alice)
        message = message_for(alice)
        local_broker.publish(events.topic_for(alice.pk), message)
        assert await next_event(chunks) == message
        await chunks.aclose()

    asyncio.run(scenario())


def test_another_users_event_never_arrives(alice, bob, local_broker):
    async def scenario():
        _, chunks = await open_stream(alice)
        local_broker.publish(events.topic_for(bob.pk), message_for(bob, name="Bob's"))
        local_broker.publish(events.topic_for(alice.pk), message_for(alice, name="Alice's"))
        # Delivery keeps order, so Bob's, had it been delivered, would come first.
        assert (await next_event(chunks))["name"] == "Alice's"
        local_broker.publish(events.topic_for(bob.pk), message_for(bob, name="Bob's"))
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(next_event(chunks), 0.3)
        await chunks.aclose()

    asyncio.run(scenario())


def test_a_lifecycle_change_reaches_the_owners_stream(alice):
    async def scenario():
        strategy = await sync_to_async(lifecycle.create)(alice, document(), "yaml")
        _, chunks = await open_stream(alice)
        await sync_to_async(lifecycle.activate)(alice, strategy)
        message = await next_event(chunks)
        assert message["event"] == "activated"
        assert (message["strategy_id"], message["status"]) == (strategy.pk, "active")
        assert set(message) == {
            "event",
            "strategy_id",
            "name",
            "status",
            "version",
            "lock_version",
            "by",
            "at",
        }
        await chunks.aclose()

    asyncio.run(scenario())


def test_an_idle_stream_sends_heartbeat_comments(alice, monkeypatch):
    monkeypatch.setattr(streams, "HEARTBEAT_SECONDS", 0.05)

    async def scenario():
        _, chunks = await open_stream(alice)
        assert await next_chunk(chunks) == ": heartbeat\n\n"
        assert await next_chunk(chunks) == ": heartbeat\n\n"
        await chunks.aclose()

    asyncio.run(scenario())


def test_closing_the_stream_closes_the_subscription(local_broker):
    async def scenario():
        stream = streams._stream(events.topic_for(1), 15)
        assert await anext(stream) == "retry: 3000\n\nevent: ready\ndata: {}\n\n"
        assert local_broker.subscriber_count() == 1
        await stream.aclose()
        assert local_broker.subscriber_count() == 0

    asyncio.run(scenario())


def test_cancelling_the_reader_closes_the_subscription(alice, local_broker):
    async def scenario():
        _, chunks = await open_stream(alice)
        reader = asyncio.create_task(next_chunk(chunks))
        await asyncio.sleep(0.05)
        reader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reader
        assert local_broker.subscriber_count() == 0

    asyncio.run(scenario())


def test_anonymous_gets_401_and_never_a_stream(db, local_broker):
    async def scenario():
        response = await AsyncClient().get("/strategies/events")
        assert response.status_code == 401
        assert not response.streaming
        assert not response["Content-Type"].startswith("text/event-stream")
        assert local_broker.subscriber_count() == 0

    asyncio.run(scenario())


def test_under_wsgi_the_stream_is_refused_rather_than_held_open(alice, local_broker):
    client = Client()
    client.force_login(alice)
    response = client.get("/strategies/events")
    assert response.status_code == 501
    assert local_broker.subscriber_count() == 0


def test_only_get_is_allowed(alice):
    async def scenario():
        client = await logged_in_client(alice)
        assert (await client.post("/strategies/events")).status_code == 405

    asyncio.run(scenario())


def test_through_the_asgi_application_a_disconnect_ends_the_stream(alice, local_broker):
    """What the server does: the client goes away, Django cancels the response, the
    subscription is closed."""
    sync_client = Client()
    sync_client.force_login(alice)
    cookie = f"sessionid={sync_client.cookies['sessionid'].value}"

    async def scenario():
        inbox: asyncio.Queue = asyncio.Queue()
        sent: asyncio.Queue = asyncio.Queue()
        await inbox.put({"type": "http.request", "body": b"", "more_body": False})
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/strategies/events",
            "raw_path": b"/strategies/events",
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"localhost"),
                (b"cookie", cookie.encode()),
                (b"accept", b"text/event-stream"),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 4000),
        }
        app = asyncio.create_task(application(scope, inbox.get, sent.put))
        start = await asyncio.wait_for(sent.get(), TIMEOUT)
        assert start["type"] == "http.response.start" and start["status"] == 200
        assert (b"Content-Type", b"text/event-stream") in start["headers"]
        assert (await asyncio.wait_for(sent.get(), TIMEOUT))[
            "body"
        ] == b"retry: 3000\n\nevent: ready\ndata: {}\n\n"
        local_broker.publish(events.topic_for(alice.pk), message_for(alice))
        body = (await asyncio.wait_for(sent.get(), TIMEOUT))["body"].decode()
        assert body.startswith("event: strategy\ndata: {")
        await inbox.put({"type": "http.disconnect"})
        await asyncio.wait_for(app, TIMEOUT)
        assert local_broker.subscriber_count() == 0

    asyncio.run(scenario())
