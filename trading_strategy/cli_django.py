"""Django for the subcommands that need it: settings checked, set up, the database migrated.

`validate`, `convert` and `preview` never come here, so they start without Django.
"""

import argparse
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path

SETTINGS_MODULE = "trading_strategy.settings"


def with_settings(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """For the subcommands that read Django's settings: a setting the environment gives
    wrongly or not at all is one line naming it, not Django's start-up traceback."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from django.core.exceptions import ImproperlyConfigured

        try:
            return handler(args)
        except ImproperlyConfigured as error:
            print(f"error: {error}", file=sys.stderr)
            return 2

    return run


def setup_django() -> None:
    """Django is set up here, by the subcommands that need it, so that validate and convert
    start without it."""
    import django
    from django.conf import settings

    # Process plumbing, not a deployment choice: which settings module Django loads.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    django.setup()
    create_sqlite_directory(settings.DATABASES["default"])


def create_sqlite_directory(database: dict) -> None:
    # SQLite creates the file but not its directory, and a fresh clone has no var/ yet.
    if database["ENGINE"] == "django.db.backends.sqlite3":
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def run_management_command(command: str, *args: str, **options: object) -> int:
    """Run a management command on a migrated database; a refusal (CommandError) becomes
    one `error: ...` line per reason on standard error and the command's exit status."""
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    migrate_if_needed()
    try:
        call_command(command, *args, **options)
    except CommandError as error:
        for message in str(error).splitlines():
            print(f"error: {message}", file=sys.stderr)
        return error.returncode
    return 0


def migrate_if_needed() -> list[str]:
    """Apply pending migrations quietly; the ones applied, as `app.name`."""
    # The first user is often created before the first `serve`, on an empty database.
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
