"""Turn a DATABASE_URL into a Django DATABASES entry.

A dozen lines of URL parsing do not justify another dependency; only the two engines the
product supports are accepted, so a typo fails at start-up instead of at the first query.
"""

import os
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


def pool_options() -> dict:
    """Django's psycopg pool: connections are reused across requests. Every thread that
    touches the database (request threads, the health check, pollers) borrows one, so
    the pool is sized above psycopg's default of four."""
    return {
        "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "2")),
        "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "20")),
        # Seconds a request waits for a free connection before failing.
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }


def database_config(url: str) -> dict:
    """Return the DATABASES["default"] dictionary described by `url`.

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
            "OPTIONS": {"pool": pool_options(), **dict(parse_qsl(parts.query))},
            # The pool tests a connection before lending it, so after the database comes
            # back no request is handed a connection that died while it was away.
            "CONN_HEALTH_CHECKS": True,
        }
    raise ValueError(f"DATABASE_URL scheme {parts.scheme!r} is not supported; use sqlite:// or postgres://")
