"""Turn a DATABASE_URL into a Django DATABASES entry.

A dozen lines of URL parsing do not justify another dependency; only the two engines the
product supports are accepted, so a typo fails at start-up instead of at the first query.
"""

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}

SQLITE_OPTIONS = {
    # WAL lets readers proceed while one writer commits, which the web workers rely on.
    "init_command": "PRAGMA journal_mode=wal;",
    # Taking the write lock at BEGIN makes a busy database wait for its timeout instead of
    # failing with "database is locked" when a read transaction later tries to write.
    "transaction_mode": "IMMEDIATE",
    # Seconds a writer waits for the lock before "database is locked".
    "timeout": 20,
}


def sqlite_config(path: str | Path) -> dict:
    """Return a SQLite DATABASES entry for the file at `path`."""
    path = Path(path)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": dict(SQLITE_OPTIONS),
        # A file, not the default in-memory database, so that tests of concurrent saves
        # run threads on separate connections the way separate requests do; one per test
        # run, so that two runs side by side do not share it.
        "TEST": {"NAME": str(path.with_name(f"test-{os.getpid()}-{path.name}"))},
    }


def database_config(url: str, *, pool: Mapping[str, float] | None = None) -> dict:
    """Return the DATABASES["default"] dictionary described by `url`.

    For PostgreSQL, `pool` holds the options of Django's psycopg pool (settings.DB_POOL
    gives them from the environment); without it the pool keeps psycopg's defaults.

    sqlite:///relative/path and sqlite:////absolute/path follow the dj-database-url
    convention; postgres://user:password@host:port/name?sslmode=require passes query
    parameters through as connection OPTIONS.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # The path keeps one leading slash per URL convention; dropping it leaves
        # "relative/path" or "/absolute/path".
        return sqlite_config(unquote(parts.path[1:]))
    if parts.scheme in POSTGRES_SCHEMES:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path[1:]),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": {"pool": dict(pool) if pool is not None else True, **dict(parse_qsl(parts.query))},
            # The pool tests a connection before lending it, so after the database comes
            # back no request is handed a connection that died while it was away.
            "CONN_HEALTH_CHECKS": True,
        }
    raise ValueError(f"DATABASE_URL scheme {parts.scheme!r} is not supported; use sqlite:// or postgres://")
