"""A forged cross-site request changes nothing: every form and live endpoint wants the
CSRF token, and the API, which takes bearer tokens only, ignores the session cookie."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from trading_strategy.api.api import api

from .conftest import document, signed_in
from .test_isolation import LIVE_ROUTES, url_patterns

# What a real form or script posts to each state-changing route (the id-taking routes are
# filled with Alice's ids); the forged request sends the same without the token.
FORMS = {
    "accounts:register": {
        "email": "mallory@example.com",
        "password1": "a long passphrase!",
        "password2": "a long passphrase!",
    },
    "accounts:log-in": {"username": "alice@example.com", "password": "correct horse battery"},
    "accounts:log-out": {},
    "accounts:change-password": {
        "old_password": "correct horse battery",
        "new_password1": "mallory was here 123",
        "new_password2": "mallory was here 123",
    },
    "accounts:create-token": {"name": "mallory's"},
    "accounts:revoke-token": {},
    "accounts:reset-password": {"email": "alice@example.com"},
    "strategies:new": {"document": document("Planted"), "format": "yaml"},
    "strategies:edit": {"document": document("Defaced"), "format": "yaml", "lock_version": "2"},
    "strategies:restore_version": {"lock_version": "2"},
    **{
        f"strategies:{operation}": {}
        for operation in ("activate", "deactivate", "archive", "restore", "duplicate", "delete")
    },
    **{
        name: {
            **(body or {"document": document(), "format": "yaml", "to": "toml", "type": "rsi"}),
            "format": "yaml",
        }
        for name, body in LIVE_ROUTES.items()
        if name != "strategies:live-catalog"
    },
    "datasets:upload": {"name": "Planted", "file": ""},
    "datasets:delete": {},
}


def site_routes():
    """Every route outside the API (which has no session to forge), with its URL."""
    for route, name, _pattern in url_patterns():
        if route.startswith("api/v1/"):
            continue
        yield (
            name,
            "/"
            + route.replace("<int:strategy_id>", "{strategy_id}")
            .replace("<int:token_id>", "{token_id}")
            .replace("<int:dataset_id>", "{dataset_id}")
            .replace("<int:number>", "1")
            .replace("<uidb64>", "MQ")
            .replace("<token>", "set-password"),
        )


SITE_ROUTES = dict(site_routes())


@pytest.fixture
def browser(alice):
    """Alice's browser, which checks CSRF as a real one does."""
    return signed_in(alice, enforce_csrf_checks=True)


@pytest.fixture
def ids(alices_strategy, alices_token, alices_dataset):
    return {
        "strategy_id": alices_strategy.pk,
        "token_id": alices_token[0].pk,
        "dataset_id": alices_dataset.pk,
    }


def test_every_form_route_has_a_body_to_forge():
    posted = set(FORMS)
    assert posted <= set(SITE_ROUTES)
    assert {name for name in SITE_ROUTES if name.startswith("strategies:live-")} - posted == {
        "strategies:live-catalog"
    }


@pytest.mark.parametrize("name", sorted(SITE_ROUTES))
def test_a_post_without_the_csrf_token_is_refused_on_every_route(name, browser, ids):
    response = browser.post(SITE_ROUTES[name].format(**ids), FORMS.get(name, {}))

    assert response.status_code == 403


def test_forged_posts_leave_everything_as_it_was(browser, alice, alices_strategy, ids):
    for name in sorted(SITE_ROUTES):
        browser.post(SITE_ROUTES[name].format(**ids), FORMS.get(name, {}))

    alices_strategy.refresh_from_db()
    assert (alices_strategy.status, alices_strategy.current_version, alices_strategy.name) == (
        "draft",
        2,
        "Alice's RSI dip",
    )
    assert alice.strategies.count() == 1
    assert alice.api_tokens.usable().count() == 1
    assert not alice.editor_drafts.exists()
    assert alice.datasets.count() == 1
    assert alice.check_password("correct horse battery")
    assert browser.get("/users/settings").status_code == 200


def csrf_token(client: Client) -> str:
    client.get("/strategies/new")
    return client.cookies["csrftoken"].value


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_same_post_with_the_token_gets_through(name, browser, ids):
    token = csrf_token(browser)

    response = browser.post(SITE_ROUTES[name].format(**ids), {**FORMS[name], "csrfmiddlewaretoken": token})

    assert response.status_code != 403


def api_operations():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            yield pytest.param(method, path, id=f"{method.upper()} {path}")


API_BODY = {"document": document("Through the session"), "format": "yaml", "lock_version": 2}


def api_call(client, method, path, ids, **headers):
    url = path.format(strategy_id=ids["strategy_id"], dataset_id=ids["dataset_id"], number=1, a=1, b=2)
    if method == "get":
        return client.get(url, headers=headers)
    return getattr(client, method)(
        url, json.dumps(API_BODY), content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("method, path", list(api_operations()))
def test_a_logged_in_session_without_a_token_is_a_401_on_every_api_operation(method, path, browser, ids):
    csrf = csrf_token(browser)

    response = api_call(browser, method, path, ids, **{"X-CSRFToken": csrf})

    assert response.status_code == 401


@pytest.mark.parametrize("method, path", list(api_operations()))
def test_a_token_request_needs_no_csrf_token(method, path, browser, ids, alices_token):
    response = api_call(browser, method, path, ids, Authorization=f"Bearer {alices_token[1]}")

    assert response.status_code not in (401, 403)
