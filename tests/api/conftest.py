"""A signed-in API client per user, and strategy documents to send."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from trading_strategy import budgets
from trading_strategy.accounts.models import ApiToken, User
from trading_strategy.datasets.models import Dataset

from ..price_data import price_csv

EXAMPLE = (Path(__file__).parents[2] / "examples" / "trend_following.yaml").read_text()
EXAMPLE_NAME = "EMA crossover trend follower"


def example(name: str = EXAMPLE_NAME, description: str | None = None) -> str:
    """The trend-following example, renamed or with another description."""
    text = EXAMPLE.replace(f"name: {EXAMPLE_NAME}", f"name: {name}")
    if description is not None:
        text = text.replace(text.split("description: ")[1].split("\n")[0], description)
    return text


@pytest.fixture
def document():
    return example


@pytest.fixture
def invalid_document():
    """Saved as a draft with errors: the required sections are missing."""
    return "name: Half typed draft\ntrading_pair: BTC/USDT\ntimeframe: 4h\n"


class Api:
    """The test client speaking JSON to /api/v1 with one bearer token."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **query):
        return self.client.get(f"/api/v1{path}", query, headers=self.headers)

    def post(self, path: str, body=None):
        return self.send("post", path, body)

    def put(self, path: str, body):
        return self.send("put", path, body)

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}", headers=self.headers)

    def send(self, method: str, path: str, body, raw: bytes | str | None = None):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return getattr(self.client, method)(
            f"/api/v1{path}", data, content_type="application/json", headers=self.headers
        )

    def create(self, name: str = EXAMPLE_NAME, text: str | None = None, fmt: str = "yaml"):
        response = self.post("/strategies", {"document": text or example(name), "format": fmt})
        assert response.status_code == 201, response.json()
        return response.json()

    def act(self, strategy: dict, operation: str):
        return self.post(f"/strategies/{strategy['id']}/{operation}")

    def upload(self, data: bytes, name: str = "My bars", **fields):
        """POST /datasets as a browser's multipart form sends a file."""
        file = SimpleUploadedFile("bars.csv", data, content_type="text/csv")
        return self.client.post(
            "/api/v1/datasets", {"file": file, "name": name, **fields}, headers=self.headers
        )


def dataset_of(owner: User, name: str = "My bars") -> Dataset:
    upload = Dataset.objects.upload(owner, name, "BTC/USDT", price_csv())
    assert upload.dataset is not None, upload.diagnostics
    return upload.dataset


def user(email: str) -> User:
    return User.objects.create_user(email, "a long enough password")


@pytest.fixture
def alice(db):
    return user("alice@example.com")


@pytest.fixture
def as_client(client):
    """An Api speaking with any token, or none."""
    return lambda token: Api(client, token)


@pytest.fixture
def api(client, alice):
    _, raw = ApiToken.issue(alice, "test")
    return Api(client, raw)


@pytest.fixture
def bob_api(client, db):
    _, raw = ApiToken.issue(user("bob@example.com"), "test")
    return Api(client, raw)


@pytest.fixture
def clock(monkeypatch):
    """40 seconds into a minute, so no test straddles two rate-limit windows."""
    monkeypatch.setattr(budgets, "time", SimpleNamespace(time=lambda: 6_000_040.0))
