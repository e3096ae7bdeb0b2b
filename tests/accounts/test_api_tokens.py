import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trading_strategy.accounts.models import ApiToken, hash_token


def _create_token(visitor, name="laptop"):
    response = visitor.client.post("/users/settings/tokens", {"name": name})
    return response, re.search(r"tsk_[\w-]+", response.content.decode()).group(0)


def test_a_new_token_is_shown_once(logged_in):
    response, raw = _create_token(logged_in)

    assert response.status_code == 200
    assert "it will not be shown again" in response.content.decode()
    next_visit = logged_in.page("/users/settings")
    assert raw not in next_visit
    assert "laptop" in next_visit
    assert raw[:8] in next_visit


def test_only_the_digest_of_a_token_is_stored(logged_in):
    _, raw = _create_token(logged_in)

    token = ApiToken.objects.get()
    assert token.digest == hash_token(raw)
    assert raw not in {token.digest, token.hint, token.name}


def test_a_token_authenticates_and_records_when_it_was_used(logged_in, trader):
    _, raw = _create_token(logged_in)
    assert "never" in logged_in.page("/users/settings")

    assert ApiToken.objects.authenticate(raw) == trader

    assert ApiToken.objects.get().last_used_at is not None
    assert "never" not in logged_in.page("/users/settings")


def _updates(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_a_token_used_twice_within_a_minute_records_its_use_once(trader):
    _, raw = ApiToken.issue(trader, "laptop")

    with CaptureQueriesContext(connection) as first:
        ApiToken.objects.authenticate(raw)
    recorded = ApiToken.objects.get().last_used_at
    with CaptureQueriesContext(connection) as second:
        assert ApiToken.objects.authenticate(raw) == trader

    assert len(_updates(first)) == 1
    assert _updates(second) == []
    assert ApiToken.objects.get().last_used_at == recorded


def test_a_token_used_again_after_a_minute_records_the_new_time(trader):
    token, raw = ApiToken.issue(trader, "laptop")
    a_minute_ago = timezone.now() - timedelta(seconds=61)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=a_minute_ago)

    ApiToken.objects.authenticate(raw)

    assert ApiToken.objects.get().last_used_at > a_minute_ago + timedelta(seconds=60)


def test_of_two_requests_that_read_the_same_stale_time_only_the_first_writes(trader):
    ApiToken.issue(trader, "laptop")
    first, second = ApiToken.objects.get(), ApiToken.objects.get()
    now = timezone.now()

    first.record_use(now)
    second.record_use(now + timedelta(seconds=1))

    assert ApiToken.objects.get().last_used_at == now


def test_a_revoked_token_stops_working_and_leaves_the_list(logged_in):
    _, raw = _create_token(logged_in)
    token = ApiToken.objects.get()

    response = logged_in.client.post(f"/users/settings/tokens/{token.id}/revoke")

    assert response.status_code == 302
    assert ApiToken.objects.authenticate(raw) is None
    page = logged_in.page("/users/settings")
    assert "You have no API tokens." in page
    assert "Token “laptop” revoked." in page


def test_all_my_tokens_are_revoked_at_once_and_only_mine(logged_in, other_trader):
    raws = [_create_token(logged_in, name)[1] for name in ("laptop", "CI")]
    _, others = ApiToken.issue(other_trader, "theirs")
    page = logged_in.page("/users/settings")

    response = logged_in.client.post("/users/settings/tokens/revoke-all")

    assert 'action="/users/settings/tokens/revoke-all"' in page
    assert 'id="password-change-effects"' in page
    assert response.status_code == 302
    assert [ApiToken.objects.authenticate(raw) for raw in raws] == [None, None]
    assert ApiToken.objects.authenticate(others) == other_trader


def test_another_user_cannot_revoke_my_token(logged_in, new_visitor, other_trader):
    _, raw = _create_token(logged_in)
    token = ApiToken.objects.get()
    stranger = new_visitor()
    stranger.log_in(other_trader.email)

    response = stranger.client.post(f"/users/settings/tokens/{token.id}/revoke")

    assert response.status_code == 404
    assert ApiToken.objects.authenticate(raw) is not None


def test_a_token_needs_a_name(logged_in):
    response = logged_in.client.post("/users/settings/tokens", {"name": ""})

    assert response.context["token_form"].has_error("name", "required")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "path", ["/users/settings/tokens", "/users/settings/tokens/1/revoke", "/users/settings/tokens/revoke-all"]
)
def test_token_pages_need_a_login(visitor, db, path):
    response = visitor.client.post(path, {"name": "x"})

    assert response.status_code == 302
    assert response.url.startswith("/users/log-in?next=")
