"""Every whole number a page, form or API route takes is bounded: the edges of 64 bits
and numbers far past them are refused or not found (4xx), never a crash (500) on the way
into the database."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import signed_in

EDGES = [2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]
POSITIVE_EDGES = [n for n in EDGES if n > 0]


@pytest.fixture
def alices_browser(alice):
    return signed_in(alice, raise_request_exception=False)


def _refused(response) -> bool:
    return 400 <= response.status_code < 500


@pytest.mark.parametrize("n", POSITIVE_EDGES)
@pytest.mark.parametrize(
    "path",
    [
        "/strategies/{n}",
        "/strategies/{n}/edit",
        "/strategies/{n}/versions",
        "/strategies/{id}/versions/{n}",
        "/strategies/{id}/versions/diff?a={n}&b=1",
        "/strategies/{id}/versions/diff?a=1&b={n}",
    ],
)
def test_a_page_for_a_number_past_the_edge_is_not_found(alices_browser, alices_strategy, path, n):
    response = alices_browser.get(path.format(n=n, id=alices_strategy.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("n", POSITIVE_EDGES)
@pytest.mark.parametrize(
    "path",
    [
        "/strategies/{n}/activate",
        "/strategies/{id}/versions/{n}/restore",
        "/users/settings/tokens/{n}/revoke",
    ],
)
def test_an_action_on_a_number_past_the_edge_is_not_found(alices_browser, alices_strategy, path, n):
    response = alices_browser.post(path.format(n=n, id=alices_strategy.pk), {"lock_version": 1})

    assert response.status_code == 404


@pytest.mark.parametrize("n", EDGES)
@pytest.mark.parametrize("path", ["/strategies?page={n}", "/strategies/{id}/versions?page={n}"])
def test_a_page_number_past_the_edge_shows_the_last_page(alices_browser, alices_strategy, path, n):
    assert alices_browser.get(path.format(n=n, id=alices_strategy.pk)).status_code == 200


@pytest.mark.parametrize("n", EDGES)
@pytest.mark.parametrize("field", ["lock_version", "overwrite"])
def test_the_editor_form_refuses_a_lock_version_past_the_edge(alices_browser, alices_strategy, field, n):
    form = {"document": alices_strategy.document, "format": "yaml", "intent": "save", field: n}

    response = alices_browser.post(f"/strategies/{alices_strategy.pk}/edit", form)

    assert _refused(response)


@pytest.mark.parametrize("n", EDGES)
def test_the_restore_form_refuses_a_lock_version_past_the_edge(alices_browser, alices_strategy, n):
    response = alices_browser.post(
        f"/strategies/{alices_strategy.pk}/versions/1/restore", {"lock_version": n}
    )

    assert response.status_code == 302
    assert alices_browser.get(response["Location"]).context["messages"]


@pytest.mark.parametrize("n", EDGES)
@pytest.mark.parametrize(
    "path, field",
    [
        ("/strategies/live/validate", "strategy_id"),
        ("/strategies/live/syntax-test", "strategy_id"),
        ("/strategies/live/autosave", "strategy_id"),
        ("/strategies/live/autosave", "base_lock_version"),
        ("/strategies/live/autosave/discard", "strategy_id"),
        ("/strategies/live/conflict", "base_lock_version"),
    ],
)
def test_a_live_endpoint_refuses_a_number_past_the_edge(alices_browser, alices_strategy, path, field, n):
    form = {"document": "name: x", "format": "yaml", "strategy_id": alices_strategy.pk, field: n}

    response = alices_browser.post(path, form)

    # 400 past the form's bound; 404 for an id within it that is nobody's strategy.
    assert response.status_code in (400, 404)


@pytest.fixture
def alices_api(alices_token):
    headers = {"Authorization": f"Bearer {alices_token[1]}"}
    client = Client(raise_request_exception=False)

    def send(method: str, path: str, body: dict | None = None):
        return getattr(client, method)(
            f"/api/v1{path}",
            body if method == "get" else body or {},
            content_type="application/json",
            headers=headers,
        )

    return send


@pytest.mark.parametrize("n", EDGES)
@pytest.mark.parametrize(
    "method, path, body",
    [
        ("get", "/strategies/{n}", None),
        ("get", "/strategies/{n}/versions", None),
        ("get", "/strategies/{id}/versions/{n}", None),
        ("get", "/strategies/{id}/versions/{n}/diff/1", None),
        ("post", "/strategies/{n}/activate", None),
        ("post", "/strategies/{id}/versions/1/restore", {"lock_version": "{n}"}),
        ("put", "/strategies/{id}", {"document": "name: x", "format": "yaml", "lock_version": "{n}"}),
        ("get", "/strategies?page={n}", None),
        ("get", "/strategies?page_size={n}", None),
    ],
)
def test_an_api_number_past_the_edge_is_a_client_error(alices_api, alices_strategy, method, path, body, n):
    filled = {key: n if value == "{n}" else value for key, value in (body or {}).items()}

    response = alices_api(method, path.format(n=n, id=alices_strategy.pk), filled or None)

    assert _refused(response)
    assert "code" in response.json()
