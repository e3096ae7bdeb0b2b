import json
import os
import subprocess
import sys

import pytest
from django.test import Client

from trading_strategy.accounts.models import User
from trading_strategy.headers import POLICY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/users/log-in", "/health/live", "/static/css/app.css"])
def test_every_response_carries_a_policy_without_inline_script(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert policy == POLICY
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_deny_framing_and_sniffing_and_keep_referrers_on_site(client):
    response = client.get("/users/log-in")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# ------------------------------------------------------------------------ over TLS

TLS = {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SECURE_HSTS_SECONDS": 31536000}


def settings_under(**environment) -> dict:
    """The TLS settings a fresh process computes from `environment`."""
    code = (
        "import json; from trading_strategy import settings as s; print(json.dumps("
        "[s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.SECURE_SSL_REDIRECT]))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("HTTPS", "HSTS_SECONDS", "FORWARDED_PROTO_HEADER")
    }
    output = subprocess.run(
        [sys.executable, "-c", code], env={**env, **environment}, capture_output=True, text=True, check=True
    ).stdout
    session, csrf, hsts, proxy, redirect = json.loads(output)
    return {
        "session_cookie_secure": session,
        "csrf_cookie_secure": csrf,
        "hsts_seconds": hsts,
        "proxy_header": proxy and tuple(proxy),
        "redirect_to_https": redirect,
    }


def test_plain_http_by_default_sends_no_hsts_and_no_secure_only_cookies():
    assert settings_under() == {
        "session_cookie_secure": False,
        "csrf_cookie_secure": False,
        "hsts_seconds": 0,
        "proxy_header": None,
        "redirect_to_https": False,
    }


def test_https_true_in_the_environment_turns_on_secure_cookies_and_hsts():
    assert settings_under(HTTPS="true", FORWARDED_PROTO_HEADER="X-Forwarded-Proto") == {
        "session_cookie_secure": True,
        "csrf_cookie_secure": True,
        "hsts_seconds": 31536000,
        "proxy_header": ("HTTP_X_FORWARDED_PROTO", "https"),
        "redirect_to_https": True,
    }


def test_a_request_over_tls_gets_hsts_and_secure_cookies(settings):
    for name, value in TLS.items():
        setattr(settings, name, value)
    User.objects.create_user("alice@example.com", "correct horse battery")
    client = Client()

    page = client.get("/users/log-in", secure=True)
    logged_in = client.post(
        "/users/log-in", {"username": "alice@example.com", "password": "correct horse battery"}, secure=True
    )

    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert page.cookies["csrftoken"]["secure"]
    assert logged_in.status_code == 302
    assert logged_in.cookies["sessionid"]["secure"]
    assert logged_in.cookies["sessionid"]["httponly"]


def test_hsts_is_never_sent_over_plain_http(settings):
    for name, value in TLS.items():
        setattr(settings, name, value)

    assert "Strict-Transport-Security" not in Client().get("/users/log-in")


def test_behind_a_proxy_the_forwarded_scheme_counts_only_when_configured(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    forwarded = {"X-Forwarded-Proto": "https"}
    assert "Strict-Transport-Security" not in Client().get("/health/live", headers=forwarded)

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    assert Client().get("/health/live", headers=forwarded)["Strict-Transport-Security"] == "max-age=31536000"


def test_with_https_on_plain_http_is_redirected_but_health_probes_are_answered(settings):
    settings.SECURE_SSL_REDIRECT = True

    page = Client().get("/users/log-in?next=/strategies")

    assert page.status_code == 301
    assert page["Location"] == "https://testserver/users/log-in?next=/strategies"
    assert Client().get("/health/live").status_code == 200


def test_behind_a_tls_proxy_only_what_it_forwards_as_plain_http_is_redirected(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    over_tls = Client().get("/users/log-in", headers={"X-Forwarded-Proto": "https"})
    plain = Client().get("/users/log-in", headers={"X-Forwarded-Proto": "http"})

    assert over_tls.status_code == 200
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
