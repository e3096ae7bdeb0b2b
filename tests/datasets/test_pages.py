"""The datasets page: your uploads beside the synthetic samples, upload and delete."""

import re

import pytest
from django.test import Client

from trading_strategy.datasets.models import MAX_PER_USER, MAX_UPLOAD_BYTES, Dataset

from ..price_data import csv_with_bad_price, price_csv
from .conftest import dataset_of, flashes, upload


def test_the_page_lists_your_datasets_and_the_samples_as_synthetic(alice_client, alice, bob):
    dataset_of(alice, "Alice's export")
    dataset_of(bob, "Bob's export")

    html = alice_client.get("/datasets").content.decode()

    assert "Alice&#x27;s export" in html
    assert "Bob&#x27;s export" not in html
    assert "BTC/USDT 4h (synthetic)" in html
    assert 'id="upload-form"' in html


def test_the_header_links_to_the_datasets(alice_client):
    html = alice_client.get("/strategies").content.decode()

    assert '<a href="/datasets">Datasets</a>' in html


def test_a_hostile_dataset_name_is_escaped(alice_client, alice):
    dataset_of(alice, "<script>alert(1)</script>")

    html = alice_client.get("/datasets").content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_upload_is_kept_and_announced(alice_client, alice):
    response = upload(alice_client, price_csv(), name="Binance export", trading_pair="BTC/USDT")

    assert response.status_code == 302 and response["Location"] == "/datasets"
    dataset = Dataset.objects.get()
    assert (dataset.owner, dataset.name, dataset.trading_pair, dataset.bar_count) == (
        alice,
        "Binance export",
        "BTC/USDT",
        300,
    )
    assert flashes(response) == ["\u201cBinance export\u201d is uploaded: 300 bars."]


def test_a_bad_row_is_shown_at_its_line_and_column_and_the_form_is_kept(alice_client):
    response = upload(alice_client, csv_with_bad_price(line=3), name="Typed by hand", trading_pair="ETH/USDT")

    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-code="data.not_a_number"' in html
    assert "line 3, column 5" in html
    assert 'value="Typed by hand"' in html and 'value="ETH/USDT"' in html
    assert not Dataset.objects.exists()


def test_a_file_over_the_limit_is_refused(alice_client):
    response = upload(alice_client, b"1" * (MAX_UPLOAD_BYTES + 1))

    assert response.status_code == 413
    assert 'data-code="data.too_large"' in response.content.decode()
    assert not Dataset.objects.exists()


def test_a_request_declaring_more_than_the_limit_is_refused_before_it_is_read(alice_client):
    response = upload(alice_client, price_csv(), CONTENT_LENGTH=str(2 * MAX_UPLOAD_BYTES))

    assert response.status_code == 413
    assert not Dataset.objects.exists()


def test_an_upload_beyond_the_per_user_limit_says_so(alice_client, alice):
    for n in range(MAX_PER_USER):
        dataset_of(alice, f"Set {n}")

    response = upload(alice_client, price_csv())

    assert response.status_code == 409
    assert 'data-code="data.too_many"' in response.content.decode()
    assert Dataset.objects.count() == MAX_PER_USER


def test_a_dataset_is_deleted_by_its_owner(alice_client, alice):
    dataset = dataset_of(alice, "Old export")

    response = alice_client.post(f"/datasets/{dataset.pk}/delete")

    assert response.status_code == 302
    assert flashes(response) == ["\u201cOld export\u201d is deleted."]
    assert not Dataset.objects.exists()


def test_another_users_dataset_is_a_404_and_stays(alice_client, bob):
    theirs = dataset_of(bob)

    response = alice_client.post(f"/datasets/{theirs.pk}/delete")

    assert response.status_code == 404
    assert Dataset.objects.filter(pk=theirs.pk).exists()


@pytest.fixture
def browser(alice):
    """A logged-in client that enforces CSRF, as a real browser's requests face it."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    return browser


def test_delete_and_upload_need_the_csrf_token(browser, alice):
    dataset = dataset_of(alice)

    deleted = browser.post(f"/datasets/{dataset.pk}/delete")
    uploaded = upload(browser, price_csv())

    assert (deleted.status_code, uploaded.status_code) == (403, 403)
    assert Dataset.objects.count() == 1


def test_the_pages_forms_carry_the_csrf_token(browser, alice):
    dataset = dataset_of(alice)
    html = browser.get("/datasets").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    response = browser.post(f"/datasets/{dataset.pk}/delete", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert not Dataset.objects.exists()


@pytest.mark.parametrize("method, path", [("get", "/datasets"), ("post", "/datasets/upload")])
def test_the_pages_need_a_login(client, method, path):
    response = getattr(client, method)(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/users/log-in?next=")


def test_delete_and_upload_refuse_get(alice_client, alice):
    dataset = dataset_of(alice)

    answers = [alice_client.get(f"/datasets/{dataset.pk}/delete"), alice_client.get("/datasets/upload")]

    assert [response.status_code for response in answers] == [405, 405]
