"""Users and a `visitor`: the test client with the few things a person does."""

import re

import pytest
from django.test import Client

from trading_strategy.accounts.models import User

PASSWORD = "correct horse battery"


class Visitor:
    def __init__(self, client: Client):
        self.client = client

    def log_in(self, email, password=PASSWORD):
        return self.client.post("/users/log-in", {"username": email, "password": password})

    def is_logged_in(self) -> bool:
        # Settings needs a login: a logged-out visitor is sent to the log-in page.
        return self.client.get("/users/settings").status_code == 200

    def page(self, path) -> str:
        return self.client.get(path).content.decode()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def trader(db):
    return User.objects.create_user("trader@example.com", PASSWORD)


@pytest.fixture
def other_trader(db):
    return User.objects.create_user("other@example.com", PASSWORD)


@pytest.fixture
def visitor(client):
    return Visitor(client)


@pytest.fixture
def new_visitor():
    """Another browser, with its own cookies."""
    return lambda **options: Visitor(Client(**options))


@pytest.fixture
def logged_in(visitor, trader):
    visitor.log_in(trader.email)
    return visitor


def csrf_token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def form_csrf_token():
    """The CSRF token a page's form carries."""
    return csrf_token_in
