"""Two traders who must never see each other's strategies, and markup an attacker types."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from trading_strategy.accounts.models import ApiToken, User
from trading_strategy.datasets.models import Dataset
from trading_strategy.ops import recent
from trading_strategy.ops.history import history
from trading_strategy.strategies import lifecycle

from ..documents import strategy_document
from ..price_data import price_csv

PASSWORD = "correct horse battery"
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def document(name: str = "RSI dip", description: str = "Buys the dip") -> str:
    # JSON strings are YAML strings: any text survives as the exact value.
    return strategy_document(json.dumps(name), description=json.dumps(description))


def hostile_document(markup: str) -> str:
    """A document whose name, description, comment, an unknown key and an unknown
    indicator type all carry `markup`: the pages show each of them, and the diagnostics
    quote the last two."""
    return (
        document(name=f"{markup} strategy", description=markup) + f"# {markup}\n{json.dumps(markup)}: 1\n"
    ).replace("type: rsi", f"type: {json.dumps(markup)}")


def signed_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice@example.com", PASSWORD)


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob@example.com", PASSWORD)


@pytest.fixture
def admin(db):
    return User.objects.create_user("admin@example.com", PASSWORD, role="admin")


@pytest.fixture
def alices_strategy(alice):
    """A draft with two versions, so every version route has something to show."""
    strategy = lifecycle.create(alice, document("Alice's RSI dip"), "yaml")
    return lifecycle.save(
        alice, strategy, document("Alice's RSI dip", "Second thoughts"), "yaml", strategy.lock_version
    )


@pytest.fixture
def alices_dataset(alice):
    return Dataset.objects.upload(alice, "Alice's bars", "BTC/USDT", price_csv()).dataset


@pytest.fixture
def alices_token(alice):
    return ApiToken.issue(alice, "alice's laptop")


@pytest.fixture
def bobs_token(bob):
    return ApiToken.issue(bob, "bob's laptop")[1]


@pytest.fixture
def quiet_dashboard():
    """The dashboard reading only this test's requests (no poller runs in tests)."""
    recent.clear()
    history.clear()
    yield
    history.clear()
