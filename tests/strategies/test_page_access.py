"""Strategy pages are for their owner only: others get a 404, visitors are sent to log
in, actions need POST and a CSRF token; error pages give nothing away."""

import re

import pytest
from django.test import Client

from trading_strategy.strategies import views
from trading_strategy.strategies.models import Status, Strategy

from .conftest import make

pytestmark = pytest.mark.django_db


def _routes(strategy_id, number=1):
    return {
        "list": ("get", "/strategies"),
        "detail": ("get", f"/strategies/{strategy_id}"),
        "versions": ("get", f"/strategies/{strategy_id}/versions"),
        "version": ("get", f"/strategies/{strategy_id}/versions/{number}"),
        "diff": ("get", f"/strategies/{strategy_id}/versions/diff?a=1&b={number}"),
        "restore_version": ("post", f"/strategies/{strategy_id}/versions/{number}/restore"),
        **{op: ("post", f"/strategies/{strategy_id}/{op}") for op in views.OPERATIONS},
    }


STRATEGY_ROUTES = [name for name in _routes(1) if name != "list"]


@pytest.mark.parametrize("route", STRATEGY_ROUTES)
def test_another_users_strategy_is_not_found(alice_client, bob, route):
    theirs = make(bob, "Theirs")
    method, url = _routes(theirs.pk)[route]
    data = {"lock_version": theirs.lock_version} if method == "post" else None
    response = getattr(alice_client, method)(url, data)
    assert response.status_code == 404
    assert "Theirs" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == Status.DRAFT and theirs.lock_version == 1


@pytest.mark.parametrize("route", ["version", "diff", "restore_version"])
def test_a_version_that_does_not_exist_is_not_found(alice_client, alice, route):
    mine = make(alice)
    method, url = _routes(mine.pk, number=7)[route]
    response = getattr(alice_client, method)(url, {"lock_version": 1} if method == "post" else None)
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["", "?a=1", "?a=x&b=1", "?a=1&b=2"])
def test_a_diff_without_two_existing_versions_is_not_found(alice_client, alice, query):
    mine = make(alice)
    assert alice_client.get(f"/strategies/{mine.pk}/versions/diff{query}").status_code == 404


@pytest.mark.parametrize("route", ["list", *STRATEGY_ROUTES])
def test_anonymous_visitors_are_sent_to_log_in(client, alice, route):
    mine = make(alice)
    method, url = _routes(mine.pk)[route]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/users/log-in?next=")
    mine.refresh_from_db()
    assert mine.lock_version == 1


def test_the_root_sends_visitors_to_log_in_and_traders_to_their_strategies(client, alice):
    assert client.get("/")["Location"] == "/users/log-in"

    client.force_login(alice)
    assert client.get("/")["Location"] == "/strategies"


@pytest.mark.parametrize("route", ["restore_version", *views.OPERATIONS])
def test_actions_refuse_a_post_without_csrf_token(alice, route):
    mine = make(alice)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(alice)
    method, url = _routes(mine.pk)[route]
    assert method == "post"
    assert csrf_client.post(url, {"lock_version": mine.lock_version}).status_code == 403
    assert Strategy.objects.filter(pk=mine.pk, lock_version=1, status=Status.DRAFT).exists()


@pytest.mark.parametrize("route", ["restore_version", *views.OPERATIONS])
def test_actions_refuse_get(alice_client, alice, route):
    mine = make(alice)
    _, url = _routes(mine.pk)[route]
    assert alice_client.get(url).status_code == 405


def test_detail_forms_carry_the_csrf_token(alice):
    mine = make(alice)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(alice)
    html = csrf_client.get(f"/strategies/{mine.pk}").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = csrf_client.post(f"/strategies/{mine.pk}/activate", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.ACTIVE


def test_not_found_page_is_ours(alice_client):
    response = alice_client.get("/strategies/999999")
    assert response.status_code == 404
    assert 'id="error-page"' in response.content.decode()


def test_a_crash_shows_our_500_page_without_a_traceback(alice_client, alice, monkeypatch):
    strategy = make(alice)

    def explode(*args):
        raise RuntimeError("secret internals /work/main/trading_strategy")

    monkeypatch.setattr(views, "validate", explode)
    alice_client.raise_request_exception = False
    response = alice_client.get(f"/strategies/{strategy.pk}")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'id="error-page"' in html and "Something went wrong" in html
    for leak in ("Traceback", "RuntimeError", "secret internals", "trading_strategy/", 'File "'):
        assert leak not in html


def test_csrf_failure_is_a_403_without_details(alice):
    strategy = make(alice)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(alice)
    response = csrf_client.post(f"/strategies/{strategy.pk}/delete")
    assert response.status_code == 403
    assert "Traceback" not in response.content.decode()
