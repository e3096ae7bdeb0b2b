from pathlib import Path


def pytest_configure(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        # The SQLite test database is a file beside the real one; a fresh clone has no
        # data directory yet.
        Path(database["TEST"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
