"""Password hashing: one Argon2 lane on low-priority threads; older hashes still sign in."""

import os
import threading

from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

from trading_strategy import settings as project_settings
from trading_strategy.accounts import hashers
from trading_strategy.accounts.hashers import OneLaneArgon2PasswordHasher
from trading_strategy.accounts.models import User

PASSWORD = "a long enough password 42"


def test_a_password_hashed_with_eight_lanes_still_signs_in_and_is_rehashed_with_one(client, settings, db):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.create_user("old@example.com")
    user.password = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    user.save()
    assert ",p=8$" in user.password

    response = client.post("/users/log-in", {"username": "old@example.com", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert ",p=1$" in user.password
    assert user.check_password(PASSWORD)


def test_hashing_runs_on_a_thread_that_gives_way_to_page_requests(monkeypatch):
    seen = {}
    original = Argon2PasswordHasher.verify

    def spy(self, password, encoded):
        seen["thread"] = threading.current_thread().name
        seen["niceness"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        return original(self, password, encoded)

    monkeypatch.setattr(Argon2PasswordHasher, "verify", spy)
    hasher = OneLaneArgon2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())

    assert hasher.verify(PASSWORD, encoded)
    assert not hasher.verify("a wrong password for this", encoded)
    assert seen["thread"].startswith("password-hash")
    assert seen["niceness"] > os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


class FakeConnection:
    def __init__(self, pooled: bool, in_transaction: bool = False):
        self.connection = object()
        self.pool = object() if pooled else None
        self.in_atomic_block = in_transaction
        self.closed = False

    def close(self):
        self.closed = True


def test_a_waiting_hash_lends_its_pooled_connection_back_but_not_a_transactions(monkeypatch):
    pooled, in_transaction, unpooled = (
        FakeConnection(True),
        FakeConnection(True, True),
        FakeConnection(False),
    )

    class Connections:
        def all(self, initialized_only=False):
            return [pooled, in_transaction, unpooled]

    monkeypatch.setattr(hashers, "connections", Connections())
    hasher = OneLaneArgon2PasswordHasher()
    hasher.verify(PASSWORD, make_password(PASSWORD, hasher=Argon2PasswordHasher()))

    assert pooled.closed
    assert not in_transaction.closed and not unpooled.closed
