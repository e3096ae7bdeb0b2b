from pathlib import Path

import pytest


def pytest_configure(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        # The SQLite test database is a file beside the real one; a fresh clone has no
        # data directory yet.
        Path(database["TEST"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is slow on purpose; tests/accounts checks that the real setting uses it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """The rate limits count in the shared cache, which outlives a test (files in the data
    directory): each test starts with every budget whole."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def close_the_async_orm_thread_connections():
    """Outside a served request, the async ORM and AsyncClient.aforce_login run on
    asgiref's one shared sync thread, which no request_finished reaches: close the
    connections it opened, or PostgreSQL refuses to drop the test database at the end."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result()
