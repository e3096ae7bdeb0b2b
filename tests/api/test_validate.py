"""Validate and Test syntax: the validator's verdict without saving anything."""

import pytest

from trading_strategy.accounts.models import ApiToken
from trading_strategy.observability import telemetry
from trading_strategy.strategies.models import Strategy

CHECKS = ["/strategies/validate", "/strategies/syntax-test"]


@pytest.mark.parametrize("path", CHECKS)
def test_a_valid_document_is_explained_without_being_saved(api, path, document):
    response = api.post(path, {"document": document(), "format": "yaml"})

    assert response.status_code == 200
    result = response.json()
    assert result["valid"] is True and result["errors"] == []
    assert result["summary"]["trading_pair"] == "BTC/USDT"
    assert result["summary"]["conditions"]["entry"]["explanation"].startswith("Enter when")
    assert not Strategy.objects.exists()


@pytest.mark.parametrize("path", CHECKS)
def test_an_invalid_document_gets_its_errors_at_their_lines(api, path, invalid_document):
    response = api.post(path, {"document": invalid_document, "format": "yaml"})

    result = response.json()
    assert response.status_code == 200
    assert result["valid"] is False and result["summary"] is None
    assert all(
        {"code", "message", "line", "column", "path", "hint"} <= set(error) for error in result["errors"]
    )


@pytest.mark.parametrize(
    "path, check", [("/strategies/validate", "validate"), ("/strategies/syntax-test", "syntax_test")]
)
def test_each_route_is_one_api_check_named_by_its_question(api, path, check, document):
    heard = []
    telemetry.attach(
        "test-api-checks", lambda phase, span: heard.append((phase, dict(span.metadata))), names={"dsl.check"}
    )
    try:
        api.post(path, {"document": document(), "format": "yaml"})
    finally:
        telemetry.detach("test-api-checks")
    assert [metadata for phase, metadata in heard if phase == "stop"] == [
        {"check": check, "format": "yaml", "source": "api", "result": "valid"}
    ]


def test_a_toml_document_is_checked_as_toml(api):
    response = api.post("/strategies/validate", {"document": "name = [", "format": "toml"})

    assert response.json()["format"] == "toml"
    assert response.json()["errors"][0]["code"].startswith("toml.")


def test_too_many_checks_in_a_minute_get_429_with_retry_after(api, settings, clock, document):
    settings.API_VALIDATE_RATE = 2
    body = {"document": document(), "format": "yaml"}

    allowed = [api.post(path, body).status_code for path in CHECKS]
    refused = api.post("/strategies/validate", body)

    assert allowed == [200, 200]
    assert refused.status_code == 429
    assert refused.json()["code"] == "request.rate_limited"
    assert refused["Retry-After"] == "20"


def test_the_rate_limit_counts_each_token_separately(api, bob_api, settings, clock, document):
    settings.API_VALIDATE_RATE = 1
    body = {"document": document(), "format": "yaml"}
    api.post("/strategies/validate", body)

    response = bob_api.post("/strategies/validate", body)

    assert response.status_code == 200


@pytest.mark.parametrize("path", CHECKS)
def test_a_two_character_name_is_refused_by_the_checks_and_on_save_with_one_code(api, path, document):
    checked = api.post(path, {"document": document("ab"), "format": "yaml"}).json()
    saved = api.post("/strategies", {"document": document("ab"), "format": "yaml"})

    assert [error["code"] for error in checked["errors"]] == ["name.length"]
    assert saved.status_code == 422 and saved.json()["code"] == "name.length"


def test_creates_and_updates_share_a_per_user_budget_across_tokens(
    api, as_client, alice, settings, clock, document
):
    settings.STRATEGY_SAVE_RATE = 2
    _, second_token = ApiToken.issue(alice, "second")
    created = api.create("Budgeted")
    api.put(
        f"/strategies/{created['id']}",
        {"document": document("Budgeted", "Again."), "format": "yaml", "lock_version": 1},
    )

    refused = as_client(second_token).post(
        "/strategies", {"document": document("One more"), "format": "yaml"}
    )

    assert refused.status_code == 429
    assert refused.json()["code"] == "request.rate_limited"
    assert refused["Retry-After"] == "20"
