"""Markup typed into a name, description, document, token name or URL comes back as text:
no page, fragment or dashboard partial contains it unescaped."""

from __future__ import annotations

import pytest
from django.test import Client

from trading_strategy.accounts.models import ApiToken
from trading_strategy.strategies import lifecycle

from .conftest import MARKUP, document, hostile_document, signed_in


@pytest.fixture(params=MARKUP, ids=["script", "attribute-breakout"])
def markup(request):
    return request.param


@pytest.fixture
def hostile(alice, markup):
    """Alice's strategy: version 1 valid with markup in its name and description,
    version 2 invalid with markup in a comment, a key and an indicator type."""
    strategy = lifecycle.create(alice, document(name=f"{markup} strategy", description=markup), "yaml")
    return lifecycle.save(alice, strategy, hostile_document(markup), "yaml", strategy.lock_version)


def assert_inert(response, markup):
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert markup not in body


def assert_shown_inert(response, markup):
    """The markup arrived, as text."""
    assert_inert(response, markup)
    assert "alert(1)" in response.content.decode()


def pages(strategy_id):
    return {
        "list": "/strategies",
        "list with archived": "/strategies?status=all&q=strategy",
        "detail": f"/strategies/{strategy_id}",
        "editor": f"/strategies/{strategy_id}/edit",
        "versions": f"/strategies/{strategy_id}/versions",
        "version 1": f"/strategies/{strategy_id}/versions/1",
        "version 2": f"/strategies/{strategy_id}/versions/2",
        "diff": f"/strategies/{strategy_id}/versions/diff?a=1&b=2",
    }


@pytest.mark.parametrize("page", list(pages(0)))
def test_every_strategy_page_shows_markup_as_text(page, alice, hostile, markup):
    response = signed_in(alice).get(pages(hostile.pk)[page])

    assert response.status_code == 200
    assert_shown_inert(response, markup)


def test_the_list_fragment_htmx_swaps_in_is_escaped(alice, hostile, markup):
    response = signed_in(alice).get("/strategies", headers={"HX-Request": "true"})

    assert_shown_inert(response, markup)


def test_the_test_syntax_fragment_is_escaped(alice, hostile, markup):
    client = signed_in(alice)
    for text in (hostile_document(markup), document(f"{markup} valid", markup)):
        response = client.post("/strategies/live/syntax-test", {"document": text, "format": "yaml"})

        assert response.status_code == 200
        assert_shown_inert(response, markup)


def test_test_syntax_without_javascript_renders_an_escaped_editor(alice, markup, db):
    response = signed_in(alice).post(
        "/strategies/new", {"document": hostile_document(markup), "format": "yaml", "intent": "test-syntax"}
    )

    assert_shown_inert(response, markup)


def test_the_conflict_banner_and_the_conflict_page_are_escaped(alice, hostile, markup):
    client = signed_in(alice)
    stale = hostile.lock_version - 1
    mine = document(f"Mine {markup}", markup)

    banner = client.post(
        "/strategies/live/conflict",
        {"strategy_id": hostile.pk, "base_lock_version": stale, "document": mine, "format": "yaml"},
    )
    page = client.post(
        f"/strategies/{hostile.pk}/edit", {"document": mine, "format": "yaml", "lock_version": stale}
    )

    assert banner.status_code == 200 and page.status_code == 409
    assert_shown_inert(banner, markup)
    assert_shown_inert(page, markup)


def test_flashed_messages_about_a_hostile_strategy_are_escaped(alice, markup, db):
    client = signed_in(alice)
    created = client.post(
        "/strategies/new", {"document": hostile_document(markup), "format": "yaml"}, follow=True
    )
    strategy = alice.strategies.get()
    refused = client.post(f"/strategies/{strategy.pk}/activate", follow=True)
    duplicated = client.post(f"/strategies/{strategy.pk}/duplicate", follow=True)

    for response in (created, refused, duplicated):
        assert_shown_inert(response, markup)


def test_a_restored_draft_in_the_editor_is_escaped(alice, hostile, markup):
    client = signed_in(alice)
    client.post(
        "/strategies/live/autosave",
        {
            "strategy_id": hostile.pk,
            "document": hostile_document(markup) + "# more\n",
            "format": "yaml",
            "base_lock_version": hostile.lock_version,
        },
    )

    for response in (
        client.get(f"/strategies/{hostile.pk}/edit"),
        client.get(f"/strategies/{hostile.pk}/edit?restore=1"),
    ):
        assert_shown_inert(response, markup)


def test_token_names_are_escaped_on_the_settings_page(alice, markup):
    client = signed_in(alice)
    created = client.post("/users/settings/tokens", {"name": markup})
    token = ApiToken.objects.get(user=alice)
    revoked = client.post(f"/users/settings/tokens/{token.pk}/revoke", follow=True)

    assert_shown_inert(created, markup)
    assert_shown_inert(revoked, markup)


def test_a_hostile_login_name_is_escaped_on_the_log_in_and_reset_forms(markup, db):
    client = Client()
    for response in (
        client.post("/users/log-in", {"username": markup, "password": "guess"}),
        client.post("/users/reset-password", {"email": markup}),
        client.post("/users/register", {"email": markup, "password1": markup, "password2": markup}),
    ):
        assert_inert(response, markup)


def test_the_live_json_answers_are_never_sniffed_as_html(alice, hostile, markup):
    response = signed_in(alice).post(
        "/strategies/live/validate", {"document": hostile_document(markup), "format": "yaml"}
    )

    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"


DASHBOARD = [
    "",
    "/live",
    "/requests",
    "/requests/live",
    "/strategies",
    "/strategies/live",
    "/sessions",
    "/sessions/live",
    "/metrics",
]


@pytest.mark.parametrize("page", DASHBOARD)
def test_every_admin_dashboard_page_and_partial_is_escaped(page, quiet_dashboard, admin, alice, markup):
    trader = signed_in(alice)
    trader.get(f"/strategies/{markup}")
    trader.get("/strategies", {"q": markup}, headers={"User-Agent": markup, "X-Request-ID": markup})
    trader.post("/strategies/new", {"document": hostile_document(markup), "format": "yaml"})
    strategy = alice.strategies.get()
    trader.post(f"/strategies/{strategy.pk}/activate")  # refused: it has errors

    response = signed_in(admin).get(f"/admin/dashboard{page}")

    assert response.status_code == 200
    assert_inert(response, markup)
    if page.startswith("/strategies"):
        assert "alert(1)" in response.content.decode()
