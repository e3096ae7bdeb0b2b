"""Preview routes: what a document or a stored strategy does on a sample or a dataset."""

from pathlib import Path

import pytest

from .conftest import dataset_of

EXAMPLES = Path(__file__).parents[2] / "examples"
RESULT_KEYS = {
    "bars",
    "warmup_bars",
    "entry_bars",
    "exit_bars",
    "stop_bars",
    "trades",
    "stats",
    "clauses",
    "warnings",
    "data",
}


def preview(api, document: str, fmt: str = "yaml", **choice):
    return api.post("/strategies/preview", {"document": document, "format": fmt, **choice})


def test_an_example_on_its_sample_shows_its_trades(api, document):
    response = preview(api, document(), data="sample:btc-usdt-4h")

    assert response.status_code == 200
    result = response.json()
    assert set(result) == RESULT_KEYS
    assert result["bars"] == 6000 and result["entry_bars"] and result["trades"]
    assert result["stats"]["trades"] == len(result["trades"])
    assert result["data"] == {
        "ref": "sample:btc-usdt-4h",
        "title": "BTC/USDT 4h (synthetic)",
        "synthetic": True,
    }


def test_without_data_it_runs_on_the_sample_of_the_documents_pair_and_timeframe(api):
    document = (EXAMPLES / "mean_reversion.toml").read_text()

    response = preview(api, document, "toml")

    assert response.status_code == 200
    assert response.json()["data"]["ref"] == "sample:eth-usdt-1h"


def test_a_range_restricts_the_trade_walk_to_its_days(api, document):
    response = preview(api, document(), data="sample:btc-usdt-4h", start="2024-02-01", end="2024-02-29")

    result = response.json()
    assert result["bars"] == 29 * 6
    assert all("2024-02-01" <= trade["entry_time"] < "2024-03-01" for trade in result["trades"])


def test_an_invalid_document_gets_its_errors_as_diagnostics(api, invalid_document):
    response = preview(api, invalid_document)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "strategy.invalid"
    assert {d["code"] for d in body["diagnostics"]} >= {"field.required"}
    assert all(d["line"] is not None for d in body["diagnostics"])


def test_it_previews_on_the_users_own_dataset(api, alice, document):
    dataset = dataset_of(alice, "Exchange export")

    result = preview(api, document(), data=str(dataset.pk)).json()

    assert result["bars"] == 300
    assert result["data"] == {"ref": str(dataset.pk), "title": "Exchange export", "synthetic": False}


@pytest.mark.parametrize("ref", ["sample:nasdaq-1d", "sample:", "../etc/passwd", "12abc", "\u00b2", "-1"])
def test_a_reference_that_names_no_data_is_a_404(api, document, ref):
    response = preview(api, document(), data=ref)

    assert response.status_code == 404
    assert response.json()["code"] == "data.not_found"


def test_another_users_dataset_is_a_404_like_one_that_does_not_exist(api, bob_api, alice, document):
    dataset = dataset_of(alice)

    theirs = preview(bob_api, document(), data=str(dataset.pk))
    missing = preview(bob_api, document(), data=str(dataset.pk + 1000))

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def test_a_stored_strategy_is_previewed_on_the_sample_of_its_pair(api):
    strategy = api.create()

    response = api.get(f"/strategies/{strategy['id']}/preview")

    assert response.status_code == 200
    assert response.json()["data"]["ref"] == "sample:btc-usdt-4h"
    assert response.json()["trades"]


def test_a_stored_strategy_is_previewed_on_a_dataset_and_range_asked_for(api, alice):
    strategy = api.create()
    dataset = dataset_of(alice)

    response = api.get(f"/strategies/{strategy['id']}/preview", data=dataset.pk, start="2024-01-11")

    assert response.status_code == 200
    assert response.json()["bars"] == 300 - 60


def test_a_stored_draft_with_errors_gets_its_diagnostics(api, invalid_document):
    draft = api.post("/strategies", {"document": invalid_document, "format": "yaml"}).json()

    response = api.get(f"/strategies/{draft['id']}/preview")

    assert response.status_code == 422
    assert response.json()["diagnostics"]


def test_another_users_dataset_is_a_404_for_a_stored_strategy_too(api, bob_api, alice):
    dataset = dataset_of(alice)
    strategy = bob_api.create()

    response = bob_api.get(f"/strategies/{strategy['id']}/preview", data=dataset.pk)

    assert response.status_code == 404
    assert response.json()["code"] == "data.not_found"


def test_previews_spend_the_validation_budget(api, settings, clock, document):
    settings.API_VALIDATE_RATE = 2
    api.post("/strategies/validate", {"document": document(), "format": "yaml"})
    allowed = preview(api, document())

    refused = preview(api, document())

    assert allowed.status_code == 200
    assert refused.status_code == 429
    assert refused.json()["code"] == "request.rate_limited"
