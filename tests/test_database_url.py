import pytest

from trading_strategy.database_url import database_config, sqlite_config


def test_sqlite_url_with_absolute_path():
    config = database_config("sqlite:////srv/data/db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/data/db.sqlite3"


def test_sqlite_uses_write_ahead_logging():
    assert sqlite_config("db.sqlite3")["OPTIONS"]["init_command"] == "PRAGMA journal_mode=wal;"


def test_postgres_url_splits_into_connection_fields():
    config = database_config(
        "postgres://trader:p%40ss@db.example:5433/strategies?sslmode=require",
        pool={"min_size": 2, "max_size": 20, "timeout": 10.0},
    )

    assert config == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "strategies",
        "USER": "trader",
        "PASSWORD": "p@ss",
        "HOST": "db.example",
        "PORT": "5433",
        "OPTIONS": {"pool": {"min_size": 2, "max_size": 20, "timeout": 10.0}, "sslmode": "require"},
        "CONN_HEALTH_CHECKS": True,
    }


def test_sqlite_waits_for_a_busy_writer_instead_of_failing():
    assert sqlite_config("db.sqlite3")["OPTIONS"]["timeout"] >= 5


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="mysql"):
        database_config("mysql://localhost/strategies")
