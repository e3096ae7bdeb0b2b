"""A few bytes must not buy minutes of a worker's time: numbers with enormous exponents are
refused as ordinary mistakes, by the validator and by the editor's indicator form."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import document, signed_in

HUGE = ["1e999999", "1e99999999", '"1e999999"', "-1e999999"]


@pytest.mark.parametrize("number", HUGE)
def test_a_huge_exponent_in_a_document_is_an_ordinary_diagnostic(number, alice, bobs_token):
    text = document().replace("period: 14", f"period: {number}")

    response = Client().post(
        "/api/v1/strategies/validate",
        {"document": text, "format": "yaml"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {bobs_token}"},
    )

    assert response.status_code == 200
    result = response.json()
    assert not result["valid"]
    assert [error["path"] for error in result["errors"]] == ["indicators[0].parameters.period"]


@pytest.mark.parametrize("number", ["1e999999", "1e99999999"])
def test_a_huge_exponent_in_the_indicator_form_is_refused(number, alice):
    response = signed_in(alice).post(
        "/strategies/live/indicator",
        {"type": "rsi", "format": "yaml", "document": "", "param_period": number},
    )

    assert response.status_code == 422
    assert "period" in response.json()["error"]["message"]


@pytest.mark.parametrize("number", ["1e99999999999999999999", "9" * 5000])
def test_a_toml_number_too_large_to_read_is_an_ordinary_diagnostic(number, bobs_token):
    text = f'name = "Big"\nperiod = {number}\n'

    response = Client().post(
        "/api/v1/strategies/validate",
        {"document": text, "format": "toml"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {bobs_token}"},
    )

    assert response.status_code == 200
    assert [error["code"] for error in response.json()["errors"]] == ["toml.syntax"]
