import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from trading_strategy.accounts.models import User
from trading_strategy.datasets.models import Dataset

from ..price_data import price_csv


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice@example.com", "correct horse battery")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob@example.com", "correct horse battery")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def dataset_of(owner: User, name: str = "My bars") -> Dataset:
    upload = Dataset.objects.upload(owner, name, "BTC/USDT", price_csv())
    assert upload.dataset is not None, upload.diagnostics
    return upload.dataset


def upload(client, data: bytes, name: str = "My bars", trading_pair: str = "", **extra):
    """Submit the upload form as a browser does."""
    file = SimpleUploadedFile("bars.csv", data, content_type="text/csv")
    return client.post(
        "/datasets/upload", {"name": name, "trading_pair": trading_pair, "file": file}, **extra
    )


def flashes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]
