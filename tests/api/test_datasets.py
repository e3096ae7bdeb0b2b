"""Dataset routes: upload, list, read and delete your own price data; samples for all."""

import pytest

from trading_strategy.datasets.models import MAX_PER_USER, MAX_UPLOAD_BYTES, Dataset

from ..price_data import csv_with_bad_price, price_csv
from .conftest import dataset_of

DESCRIPTION = {"id", "name", "trading_pair", "bar_count", "spacing", "first_time", "last_time", "created_at"}


def test_an_upload_is_kept_with_its_description(api, alice):
    response = api.upload(price_csv(), name="Binance export", trading_pair="BTC/USDT")

    assert response.status_code == 201
    dataset = response.json()["dataset"]
    assert set(dataset) == DESCRIPTION
    assert dataset["name"] == "Binance export" and dataset["trading_pair"] == "BTC/USDT"
    assert dataset["bar_count"] == 300 and dataset["spacing"] == 4 * 3600
    assert dataset["first_time"].startswith("2024-01-01T00:00:00")
    assert Dataset.objects.get().owner == alice


def test_gaps_in_the_data_are_kept_with_a_warning(api):
    lines = price_csv(20).decode().splitlines()
    del lines[5:8]

    response = api.upload(("\n".join(lines) + "\n").encode())

    assert response.status_code == 201
    assert [w["code"] for w in response.json()["warnings"]] == ["data.gaps"]


def test_a_bad_row_is_refused_with_its_line_and_column(api):
    response = api.upload(csv_with_bad_price(line=3))

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "data.rejected"
    assert [(d["code"], d["line"], d["column"]) for d in body["diagnostics"]] == [("data.not_a_number", 3, 5)]
    assert not Dataset.objects.exists()


def test_every_rejected_row_is_reported(api):
    lines = price_csv(10).decode().splitlines()
    lines[2] = lines[2].replace(",", ",-", 1)
    lines[6] = lines[6].replace(",", ",x", 1)

    response = api.upload(("\n".join(lines) + "\n").encode())

    assert {(d["line"], d["column"]) for d in response.json()["diagnostics"]} >= {(3, 2), (7, 2)}


def test_an_empty_file_is_refused(api):
    response = api.upload(b"")

    assert response.status_code == 422
    assert response.json()["diagnostics"][0]["code"].startswith("data.")


def test_a_file_over_the_limit_is_a_413(api):
    response = api.upload(b"1" * (MAX_UPLOAD_BYTES + 1))

    assert response.status_code == 413
    assert response.json()["code"] == "data.too_large"
    assert not Dataset.objects.exists()


def test_a_request_declaring_more_than_the_limit_is_refused_before_it_is_read(api):
    response = api.client.post(
        "/api/v1/datasets",
        b"",
        content_type="multipart/form-data; boundary=x",
        headers=api.headers,
        CONTENT_LENGTH=str(2 * MAX_UPLOAD_BYTES),
    )

    assert response.status_code == 413
    assert response.json()["code"] == "data.too_large"


def test_a_user_keeps_at_most_the_limit_of_datasets(api, alice):
    for n in range(MAX_PER_USER):
        dataset_of(alice, f"Set {n}")

    response = api.upload(price_csv())

    assert response.status_code == 409
    assert response.json()["code"] == "data.too_many"
    assert response.json()["hint"]
    assert Dataset.objects.count() == MAX_PER_USER


def test_the_list_shows_only_your_datasets_newest_first_without_the_bars(api, alice, bob_api):
    first, second = dataset_of(alice, "First"), dataset_of(alice, "Second")
    bob_api.upload(price_csv(), name="Bob's")

    listed = api.get("/datasets").json()

    assert [d["id"] for d in listed] == [second.pk, first.pk]
    assert all(set(d) == DESCRIPTION for d in listed)


def test_a_dataset_is_read_and_deleted_by_its_owner(api, alice):
    dataset = dataset_of(alice, "Mine")

    read = api.get(f"/datasets/{dataset.pk}")
    deleted = api.delete(f"/datasets/{dataset.pk}")

    assert read.status_code == 200 and read.json()["name"] == "Mine"
    assert deleted.status_code == 204
    assert api.get(f"/datasets/{dataset.pk}").status_code == 404


@pytest.mark.parametrize("method", ["get", "delete"])
def test_another_users_dataset_is_a_404_like_a_missing_one(api, bob_api, alice, method):
    dataset = dataset_of(alice)

    theirs = getattr(bob_api, method)(f"/datasets/{dataset.pk}")
    missing = getattr(bob_api, method)(f"/datasets/{dataset.pk + 1000}")

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert Dataset.objects.filter(pk=dataset.pk).exists()


def test_the_samples_are_listed_as_synthetic(api):
    samples = api.get("/datasets/samples").json()

    assert {"ref": "sample:btc-usdt-4h", "name": "btc-usdt-4h", "trading_pair": "BTC/USDT"}.items() <= (
        samples[1].items()
    )
    assert all(s["synthetic"] and "synthetic" in s["title"] for s in samples)


def test_every_dataset_route_needs_a_token(as_client, alice):
    dataset = dataset_of(alice)
    anonymous = as_client(None)

    answers = [
        anonymous.get("/datasets"),
        anonymous.get("/datasets/samples"),
        anonymous.get(f"/datasets/{dataset.pk}"),
        anonymous.delete(f"/datasets/{dataset.pk}"),
        anonymous.upload(price_csv()),
    ]

    assert [response.status_code for response in answers] == [401] * 5
