"""Only a bearer token opens the API, and only to its own user's strategies."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from trading_strategy.accounts.models import ApiToken


def test_a_request_without_a_token_is_a_401_asking_for_bearer(as_client, db):
    response = as_client(None).get("/strategies")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "auth.required"


def test_an_unknown_token_is_a_401(as_client, db):
    response = as_client("tsk_not-a-real-token").get("/strategies")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "auth.invalid_token"


def test_a_revoked_token_is_a_401(as_client, alice):
    token, raw = ApiToken.issue(alice, "test")
    token.revoke()

    response = as_client(raw).get("/strategies")

    assert response.status_code == 401


def test_requests_of_one_token_within_a_minute_record_its_use_once(api):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert api.get("/strategies").status_code == 200

    token_writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "accounts_apitoken"')
    ]
    assert len(token_writes) == 1
    assert ApiToken.objects.get().last_used_at is not None


@pytest.fixture
def browser(alice):
    """A logged-in session whose client enforces CSRF, as a real browser's requests would."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    return browser


def test_a_logged_in_browser_session_without_a_token_is_a_401(browser):
    listing = browser.get("/api/v1/strategies")
    creation = browser.post(
        "/api/v1/strategies", {"document": "name: Mine", "format": "yaml"}, content_type="application/json"
    )

    assert (listing.status_code, creation.status_code) == (401, 401)


def test_a_token_needs_no_csrf_token(browser, alice):
    _, raw = ApiToken.issue(alice, "test")

    response = browser.post(
        "/api/v1/strategies/validate",
        {"document": "name: Mine", "format": "yaml"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert response.status_code == 200


ROUTES = [
    ("get", "/strategies/{id}"),
    ("put", "/strategies/{id}"),
    ("delete", "/strategies/{id}"),
    ("post", "/strategies/{id}/activate"),
    ("post", "/strategies/{id}/deactivate"),
    ("post", "/strategies/{id}/archive"),
    ("post", "/strategies/{id}/restore"),
    ("post", "/strategies/{id}/duplicate"),
    ("get", "/strategies/{id}/versions"),
    ("get", "/strategies/{id}/versions/1"),
    ("get", "/strategies/{id}/versions/1/diff/1"),
    ("post", "/strategies/{id}/versions/1/restore"),
    ("get", "/strategies/{id}/preview"),
]
BODIES = {
    "put": {"document": "name: Not yours", "format": "yaml", "lock_version": 1},
    "post": {"lock_version": 1},
}


@pytest.mark.parametrize("method, route", ROUTES)
def test_another_users_strategy_is_not_found(api, bob_api, method, route):
    bobs = bob_api.create()

    response = api.send(method, route.format(id=bobs["id"]), BODIES.get(method))

    assert response.status_code == 404
    assert response.json()["code"] == "strategy.not_found"
    assert bob_api.get(f"/strategies/{bobs['id']}").json() == bobs


def test_another_users_strategies_are_not_listed(api, bob_api):
    bob_api.create()

    assert api.get("/strategies").json() == {"items": [], "total": 0, "page": 1, "page_size": 20}


def test_the_isolation_test_covers_every_route_with_a_strategy_id(client):
    spec = client.get("/api/v1/openapi.json").json()
    with_id = {
        (method, path.removeprefix("/api/v1").replace("{strategy_id}", "{id}"))
        for path, operations in spec["paths"].items()
        if "{strategy_id}" in path
        for method in operations
    }

    covered = {
        (method, route.replace("/1/diff/1", "/{a}/diff/{b}").replace("/1", "/{number}"))
        for method, route in ROUTES
    }

    assert with_id == covered
