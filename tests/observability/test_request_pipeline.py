"""The request pipeline works out each request's facts once and hands them to its listeners."""

import pytest

from trading_strategy.accounts.models import User
from trading_strategy.observability import request_pipeline


@pytest.fixture
def heard(monkeypatch):
    facts = []
    monkeypatch.setitem(request_pipeline._listeners, "test", facts.append)
    return facts


@pytest.fixture
def trader(db):
    return User.objects.create_user("pipeline@example.com", "correct horse battery")


def test_a_listener_hears_each_request_once_with_its_facts(client, trader, heard):
    client.force_login(trader)

    response = client.get("/strategies", headers={"X-Request-ID": "pipeline-1"})

    (facts,) = [facts for facts in heard if facts.request_id == "pipeline-1"]
    assert response["X-Request-ID"] == "pipeline-1"
    assert (facts.method, facts.route, facts.status) == ("GET", "strategies:list", 200)
    assert facts.user_id == trader.pk
    assert 0 < facts.duration < 60 and facts.finished_at > 0


def test_an_anonymous_request_to_no_route_is_unmatched_without_a_user(client, db, heard):
    response = client.post("/no/such/page")

    (facts,) = heard
    assert facts.request_id == response["X-Request-ID"]
    assert (facts.method, facts.route, facts.status, facts.user_id) == ("POST", "unmatched", 404, None)


def test_a_failing_listener_never_fails_the_request(client, db, monkeypatch, heard):
    def broken(facts):
        raise RuntimeError("listener bug")

    monkeypatch.setitem(request_pipeline._listeners, "broken", broken)

    response = client.get("/users/log-in")

    assert response.status_code == 200
    assert [facts.route for facts in heard] == ["accounts:log-in"]


def test_the_api_route_names_the_operation_the_method_reached(client, trader, heard):
    from trading_strategy.accounts.models import ApiToken

    _, raw = ApiToken.issue(trader, "pipeline")
    client.get("/api/v1/strategies", HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.post(
        "/api/v1/strategies", "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )

    assert [facts.route for facts in heard] == ["api:list_strategies", "api:create_strategy"]
    assert all(facts.user_id == trader.pk for facts in heard)
