"""Sessions start fresh at log-in and die at log-out and at a password change; guessing is
locked out without telling which e-mails exist; API tokens are stored only as hashes."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from trading_strategy.accounts.models import ApiToken, User

from .conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"
WRONG = "not the password at all"


def log_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/users/log-in", {"username": email, "password": password})


def is_logged_in(client: Client) -> bool:
    return client.get("/users/settings").status_code == 200


def with_session(key: str) -> Client:
    """Another browser presenting a stolen or remembered session cookie."""
    client = Client()
    client.cookies["sessionid"] = key
    return client


def comparable(response, *emails: str) -> str:
    """The page with what legitimately differs per request blanked out: the masked CSRF
    token, the e-mail the visitor typed, which the form echoes back, and the minute the
    lockout ends (two lockouts a moment apart may straddle a minute)."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    body = re.sub(r"\b\d\d:\d\d UTC\b", "HH:MM UTC", body)
    for email in emails:
        body = body.replace(email, "EMAIL")
    return body


@pytest.fixture(autouse=True)
def lockout_after_three(settings):
    settings.AXES_FAILURE_LIMIT = 3


def test_logging_in_issues_a_new_session_key(alice):
    client = Client()
    client.get("/users/log-in")
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted = session.session_key

    assert log_in(client, alice.email).status_code == 302

    assert client.cookies["sessionid"].value != planted
    assert not is_logged_in(with_session(planted))


def test_a_session_cookie_is_useless_after_log_out(alice):
    client = Client()
    log_in(client, alice.email)
    key = client.cookies["sessionid"].value
    assert is_logged_in(with_session(key))

    client.post("/users/log-out")

    assert not is_logged_in(client)
    assert not is_logged_in(with_session(key))


def test_a_password_change_ends_every_other_session_of_the_user(alice):
    here, elsewhere = Client(), Client()
    log_in(here, alice.email)
    log_in(elsewhere, alice.email)

    response = here.post(
        "/users/settings/password",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)
    assert log_in(Client(), alice.email, PASSWORD).status_code == 200  # refused
    assert log_in(Client(), alice.email, NEW_PASSWORD).status_code == 302


def test_the_session_cookie_is_out_of_reach_of_scripts_and_other_sites(alice):
    client = Client()
    log_in(client, alice.email)
    cookie = client.cookies["sessionid"]

    assert cookie["httponly"]
    assert cookie["samesite"] in ("Lax", "Strict")


def test_after_repeated_failures_even_the_right_password_is_refused(alice):
    client = Client()
    for _ in range(3):
        log_in(client, alice.email, WRONG)

    locked = log_in(Client(), alice.email)

    assert locked.status_code == 429
    assert not is_logged_in(client)


def test_an_unknown_email_and_a_wrong_password_get_the_same_answer(alice):
    unknown = log_in(Client(), "nobody@example.com", WRONG)
    wrong = log_in(Client(), alice.email, WRONG)

    assert unknown.status_code == wrong.status_code == 200
    assert comparable(unknown, "nobody@example.com") == comparable(wrong, alice.email)


def test_an_unknown_email_is_locked_out_exactly_like_a_known_one(alice):
    answers = {}
    for email in ("nobody@example.com", alice.email):
        client = Client()
        for _ in range(3):
            log_in(client, email, WRONG)
        answers[email] = log_in(client, email, WRONG)

    unknown, known = answers.values()
    assert unknown.status_code == known.status_code == 429
    assert comparable(unknown, "nobody@example.com") == comparable(known, alice.email)


def test_password_reset_answers_an_unknown_email_like_a_known_one(alice):
    unknown = Client().post("/users/reset-password", {"email": "nobody@example.com"}, follow=True)
    known = Client().post("/users/reset-password", {"email": alice.email}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.status_code == known.status_code == 200
    assert comparable(unknown) == comparable(known)
    assert [message.to for message in mail.outbox] == [[alice.email]]


def every_text_value_in_the_database() -> list[str]:
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                values.extend(str(value) for value in row if value is not None)
    return values


def test_the_raw_api_token_is_stored_nowhere(alice):
    client = Client()
    client.force_login(alice)
    page = client.post("/users/settings/tokens", {"name": "laptop"}).content.decode()
    raw = re.search(r"tsk_[A-Za-z0-9_-]{40,}", page).group(0)
    assert Client().get("/api/v1/strategies", headers={"Authorization": f"Bearer {raw}"}).status_code == 200

    stored = every_text_value_in_the_database()

    secret = raw[len("tsk_") + 4 :]  # beyond the hint shown in the token list
    assert not [value for value in stored if raw in value or secret in value]
    assert ApiToken.objects.get().digest in stored


def test_a_revoked_token_opens_nothing(alice):
    token, raw = ApiToken.issue(alice, "old build server")
    client = Client()
    client.force_login(alice)
    bearer = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/strategies", headers=bearer).status_code == 200

    client.post(f"/users/settings/tokens/{token.pk}/revoke", follow=True)  # reads the flash

    assert Client().get("/api/v1/strategies", headers=bearer).status_code == 401
    assert "old build server" not in client.get("/users/settings").content.decode()


def test_a_deactivated_users_tokens_open_nothing(alice):
    _, raw = ApiToken.issue(alice, "laptop")
    User.objects.filter(pk=alice.pk).update(is_active=False)

    response = Client().get("/api/v1/strategies", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401
