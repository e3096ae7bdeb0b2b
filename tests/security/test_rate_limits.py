"""The editor's live endpoints spend a per-session budget, so one open tab (or a script
with its cookie) cannot keep a worker busy validating; saves spend one budget per user,
whether they come from the editor or the API."""

from __future__ import annotations

import pytest
from django.test import Client

from trading_strategy.strategies.models import Strategy

from .conftest import document, signed_in

LIVE = [
    "/strategies/live/validate",
    "/strategies/live/syntax-test",
    "/strategies/live/convert",
    "/strategies/live/autosave",
]


@pytest.fixture
def one_per_minute(settings):
    settings.EDITOR_LIVE_RATE = 1


@pytest.mark.parametrize("path", LIVE)
def test_a_session_past_its_live_budget_gets_429_with_retry_after(path, alice, one_per_minute):
    browser = signed_in(alice)
    form = {"document": document(), "format": "yaml", "to": "toml"}
    browser.post("/strategies/live/validate", form)

    refused = browser.post(path, form)

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "request.rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_each_session_has_its_own_live_budget(alice, one_per_minute):
    form = {"document": document(), "format": "yaml"}
    signed_in(alice).post("/strategies/live/validate", form)

    assert signed_in(alice).post("/strategies/live/validate", form).status_code == 200


def test_saves_in_the_editor_and_through_the_api_share_one_budget(alice, alices_token, settings):
    settings.STRATEGY_SAVE_RATE = 1
    Client().post(
        "/api/v1/strategies",
        {"document": document("Saved by a script"), "format": "yaml"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {alices_token[1]}"},
    )

    refused = signed_in(alice).post(
        "/strategies/new", {"document": document("Saved by hand"), "format": "yaml", "intent": "save"}
    )

    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert list(Strategy.objects.values_list("name", flat=True)) == ["Saved by a script"]
