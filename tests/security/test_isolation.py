"""Another user's strategy, version, dataset or token is a 404 everywhere, never a 403 that would
confirm it exists. The route tables are checked against the URL resolver and the OpenAPI
document, so a route added later without an entry here fails the suite."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient, Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter

from trading_strategy.api.api import api
from trading_strategy.strategies import lifecycle

from .conftest import document, signed_in

# Every page and form route with an int id in its URL: name -> the requests to try, as
# (method, URL keyword arguments taken from the fixture, POST body, query string).
PAGE_ROUTES = {
    "strategies:detail": [("get", {}, None, {})],
    "strategies:edit": [
        ("get", {}, None, {}),
        ("post", {}, {"document": document("Taken over"), "format": "yaml", "lock_version": "2"}, {}),
    ],
    "strategies:versions": [("get", {}, None, {})],
    "strategies:diff": [("get", {}, None, {"a": "1", "b": "2"})],
    "strategies:version": [("get", {"number": 1}, None, {})],
    "strategies:restore_version": [("post", {"number": 1}, {"lock_version": "2"}, {})],
    "strategies:activate": [("post", {}, {}, {})],
    "strategies:deactivate": [("post", {}, {}, {})],
    "strategies:archive": [("post", {}, {}, {})],
    "strategies:restore": [("post", {}, {}, {})],
    "strategies:duplicate": [("post", {}, {}, {})],
    "strategies:delete": [("post", {}, {}, {})],
    "accounts:revoke-token": [("post", {}, {}, {})],
    "datasets:delete": [("post", {}, {}, {})],
}
ID_KEYS = {"accounts:revoke-token": "token_id", "datasets:delete": "dataset_id"}

# Every live (htmx / fetch) endpoint: the body that names a strategy, or None for the
# endpoints that take no strategy at all.
LIVE_ROUTES = {
    "strategies:live-validate": {"document": document(), "format": "yaml"},
    "strategies:live-syntax-test": {"document": document(), "format": "yaml"},
    "strategies:live-autosave": {"document": document(), "format": "yaml", "base_lock_version": "2"},
    "strategies:live-autosave-discard": {},
    "strategies:live-conflict": {"document": document(), "format": "yaml", "base_lock_version": "1"},
    "strategies:live-convert": None,
    "strategies:live-indicator": None,
    "strategies:live-catalog": None,
    # Names no strategy; another user's dataset is refused (tests/strategies/test_preview_pages.py).
    "strategies:live-preview": None,
}

# Every API operation with a strategy id in its path, with its JSON body.
API_ROUTES = {
    ("get", "/api/v1/strategies/{strategy_id}"): None,
    ("put", "/api/v1/strategies/{strategy_id}"): {
        "document": document("Taken over"),
        "format": "yaml",
        "lock_version": 2,
    },
    ("delete", "/api/v1/strategies/{strategy_id}"): None,
    ("post", "/api/v1/strategies/{strategy_id}/activate"): None,
    ("post", "/api/v1/strategies/{strategy_id}/deactivate"): None,
    ("post", "/api/v1/strategies/{strategy_id}/archive"): None,
    ("post", "/api/v1/strategies/{strategy_id}/restore"): None,
    ("post", "/api/v1/strategies/{strategy_id}/duplicate"): None,
    ("get", "/api/v1/strategies/{strategy_id}/versions"): None,
    ("get", "/api/v1/strategies/{strategy_id}/versions/{number}"): None,
    ("get", "/api/v1/strategies/{strategy_id}/versions/{a}/diff/{b}"): None,
    ("post", "/api/v1/strategies/{strategy_id}/versions/{number}/restore"): {"lock_version": 2},
    ("get", "/api/v1/strategies/{strategy_id}/preview"): None,
}

# Every API operation with a dataset id in its path.
API_DATASET_ROUTES = {
    ("get", "/api/v1/datasets/{dataset_id}"),
    ("delete", "/api/v1/datasets/{dataset_id}"),
}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(full route, namespaced name, pattern) for every route the site serves."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), namespace + (entry.name or ""), entry


def routes_with_an_int_id() -> set[str]:
    return {
        name
        for _, name, pattern in url_patterns()
        if any(isinstance(c, IntConverter) for c in pattern.pattern.converters.values())
    }


def live_routes() -> set[str]:
    return {name for route, name, _ in url_patterns() if route.startswith("strategies/live/")}


def api_routes_with(parameter: str) -> set[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return {
        (method, path)
        for path, operations in paths.items()
        if "{" + parameter + "}" in path
        for method in operations
    }


def test_the_page_table_lists_every_route_that_takes_an_int_id():
    assert routes_with_an_int_id() == set(PAGE_ROUTES)


def test_the_live_table_lists_every_live_endpoint():
    assert live_routes() == set(LIVE_ROUTES)


def test_the_api_tables_list_every_operation_on_a_strategy_or_a_dataset():
    assert api_routes_with("strategy_id") == set(API_ROUTES)
    assert api_routes_with("dataset_id") == API_DATASET_ROUTES


def page_requests():
    for name, requests in PAGE_ROUTES.items():
        for method, kwargs, body, query in requests:
            yield pytest.param(name, method, kwargs, body, query, id=f"{method} {name}")


def url_of(name: str, kwargs: dict, ids: dict) -> str:
    from django.urls import reverse

    key = ID_KEYS.get(name, "strategy_id")
    return reverse(name, kwargs={key: ids[key], **kwargs})


def send(client: Client, method: str, url: str, body, query):
    if method == "get":
        return client.get(url, query)
    return client.post(url, body)


@pytest.mark.parametrize("name, method, kwargs, body, query", list(page_requests()))
def test_another_users_id_is_a_404_on_every_page_and_form(
    name, method, kwargs, body, query, alice, bob, alices_strategy, alices_token, alices_dataset
):
    ids = {"strategy_id": alices_strategy.pk, "token_id": alices_token[0].pk, "dataset_id": alices_dataset.pk}
    url = url_of(name, kwargs, ids)

    bobs_answer = send(signed_in(bob), method, url, body, query)
    alices_answer = send(signed_in(alice), method, url, body, query)

    assert bobs_answer.status_code == 404
    assert "Alice" not in bobs_answer.content.decode()
    assert alices_answer.status_code != 404


def test_bobs_failed_attempts_leave_alices_strategy_token_and_dataset_as_they_were(
    alice, bob, alices_strategy, alices_token, alices_dataset
):
    bob_client = signed_in(bob)
    ids = {"strategy_id": alices_strategy.pk, "token_id": alices_token[0].pk, "dataset_id": alices_dataset.pk}
    for name, requests in PAGE_ROUTES.items():
        for method, kwargs, body, query in requests:
            send(bob_client, method, url_of(name, kwargs, ids), body, query)

    alices_strategy.refresh_from_db()
    assert (
        alices_strategy.status,
        alices_strategy.current_version,
        alices_strategy.lock_version,
        alices_strategy.name,
    ) == ("draft", 2, 2, "Alice's RSI dip")
    assert alice.strategies.count() == 1 and bob.strategies.count() == 0
    assert alice.api_tokens.usable().count() == 1
    assert alice.datasets.get().pk == alices_dataset.pk


@pytest.mark.parametrize("name", [name for name, body in LIVE_ROUTES.items() if body is not None])
def test_another_users_strategy_id_in_a_live_request_is_a_404(name, alice, bob, alices_strategy):
    from django.urls import reverse

    body = {**LIVE_ROUTES[name], "strategy_id": str(alices_strategy.pk)}

    bobs_answer = signed_in(bob).post(reverse(name), body, headers={"Accept": "application/json"})
    alices_answer = signed_in(alice).post(reverse(name), body, headers={"Accept": "application/json"})

    assert bobs_answer.status_code == 404
    assert "Alice" not in bobs_answer.content.decode()
    assert alices_answer.status_code in (200, 204, 302)
    assert not bob.editor_drafts.exists()


def api_requests():
    for (method, path), body in API_ROUTES.items():
        yield pytest.param(method, path, body, id=f"{method.upper()} {path}")


def call_api(client: Client, token: str, method: str, path: str, body):
    return getattr(client, method)(
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.mark.parametrize("method, path, body", list(api_requests()))
def test_another_users_strategy_is_a_404_on_every_api_route(
    method, path, body, alice, alices_strategy, alices_token, bobs_token
):
    url = path.format(strategy_id=alices_strategy.pk, number=1, a=1, b=2)

    bobs_answer = call_api(Client(), bobs_token, method, url, body)
    alices_answer = call_api(Client(), alices_token[1], method, url, body)

    assert bobs_answer.status_code == 404
    assert bobs_answer.json()["code"] == "strategy.not_found"
    assert alices_answer.status_code != 404


@pytest.mark.parametrize("method, path", sorted(API_DATASET_ROUTES))
def test_another_users_dataset_is_a_404_on_every_api_route(
    method, path, alices_dataset, alices_token, bobs_token
):
    url = path.format(dataset_id=alices_dataset.pk)

    bobs_answer = call_api(Client(), bobs_token, method, url, None)
    alices_answer = call_api(Client(), alices_token[1], method, url, None)

    assert bobs_answer.status_code == 404
    assert bobs_answer.json()["code"] == "data.not_found"
    assert alices_answer.status_code in (200, 204)


def test_another_users_dataset_cannot_be_previewed_on(alices_dataset, alices_token, bobs_token):
    bobs_strategy = call_api(
        Client(), bobs_token, "post", "/api/v1/strategies", {"document": document("Bob's"), "format": "yaml"}
    ).json()
    previews = [
        call_api(
            Client(),
            bobs_token,
            "post",
            "/api/v1/strategies/preview",
            {"document": document(), "format": "yaml", "data": str(alices_dataset.pk)},
        ),
        Client().get(
            f"/api/v1/strategies/{bobs_strategy['id']}/preview",
            {"data": alices_dataset.pk},
            headers={"Authorization": f"Bearer {bobs_token}"},
        ),
    ]

    assert [(r.status_code, r.json()["code"]) for r in previews] == [(404, "data.not_found")] * 2


@pytest.mark.django_db(transaction=True)
def test_the_event_stream_never_carries_another_users_changes(alice, bob):
    async def scenario():
        client = AsyncClient()
        await client.aforce_login(bob)
        response = await client.get("/strategies/events")
        chunks = aiter(response.streaming_content)
        ready = await asyncio.wait_for(anext(chunks), 5)
        assert b"event: ready" in ready
        mine = await sync_to_async(lifecycle.create)(bob, document("Bob's own"), "yaml")
        await sync_to_async(lifecycle.create)(alice, document("Alice's secret"), "yaml")
        await sync_to_async(lifecycle.archive)(bob, mine)
        received = []
        while len(received) < 2:
            chunk = await asyncio.wait_for(anext(chunks), 5)
            if chunk.startswith(b"event: strategy"):
                received.append(json.loads(chunk.split(b"data: ", 1)[1]))
        await chunks.aclose()
        return received

    received = asyncio.run(scenario())

    assert [(event["event"], event["name"]) for event in received] == [
        ("created", "Bob's own"),
        ("archived", "Bob's own"),
    ]
