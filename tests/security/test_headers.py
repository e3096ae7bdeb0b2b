import pytest

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
