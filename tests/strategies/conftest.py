import pytest
from django.contrib.messages import get_messages

from trading_strategy.accounts.models import User
from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.models import Status, Strategy

from ..documents import strategy_document


def document(name="RSI dip", **replace):
    text = strategy_document(name)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice@example.com", "correct horse battery")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob@example.com", "correct horse battery")


def flashes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def make(user, name="RSI dip", status=Status.DRAFT, **replace):
    strategy = lifecycle.create(user, document(name, **replace), "yaml")
    if status != Status.DRAFT:
        Strategy.objects.filter(pk=strategy.pk).update(status=status)
        strategy.refresh_from_db()
    return strategy


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client
