"""Counts and names read as a person writes them: one error, two errors, YAML."""

import pytest

from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.errors import NotValid

from .conftest import document, flashes

pytestmark = pytest.mark.django_db

ONE_ERROR = {"1h": "1H"}


def test_activating_with_one_error_says_one_error(alice):
    strategy = lifecycle.create(alice, document(**ONE_ERROR), "yaml")

    with pytest.raises(NotValid) as refused:
        lifecycle.activate(alice, strategy)

    assert "1 error;" in refused.value.message


def test_converting_with_one_error_says_one_error(alice_client):
    response = alice_client.post(
        "/strategies/new", {"document": document(**ONE_ERROR), "format": "yaml", "intent": "convert"}
    )

    assert response.status_code == 422
    assert any("has 1 error." in message for message in flashes(response))


def test_the_format_is_written_yaml_and_toml(alice_client, alice):
    yaml_strategy = lifecycle.create(alice, document(), "yaml")

    html = alice_client.get(f"/strategies/{yaml_strategy.pk}").content.decode()

    assert "<dd>YAML</dd>" in html
