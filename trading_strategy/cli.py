"""The `trading-strategy` command.

Each subcommand is a function `add_<name>(subparsers)` that declares its options and sets
`handler` to a function taking the parsed arguments and returning the exit status.
Adding a subcommand means writing that function and listing it in COMMANDS.

`createuser` and `token` are Django management commands (accounts/management/commands/)
run with call_command, so `python -m django createuser --settings=trading_strategy.settings`
does the same; their options are declared once, in accounts/management/arguments.py.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from trading_strategy.accounts.management import arguments as account_arguments
from trading_strategy.cli_preview import add_preview
from trading_strategy.dsl import (
    FORMATS,
    dump,
    format_of,
    render_diagnostic,
    render_summary,
    result_json,
    summarize,
    unreadable_json,
    validate,
)
from trading_strategy.strategies import checks

SETTINGS_MODULE = "trading_strategy.settings"
GUNICORN_CONFIG = "python:trading_strategy.observability.gunicorn_conf"


def add_serve(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="apply database migrations, then serve the web application",
        description="Apply pending database migrations, then serve the web application with "
        "gunicorn and uvicorn workers (ASGI).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=4000, help="port for the web application (default: %(default)s)"
    )
    parser.add_argument(
        "--metrics-port",
        type=int,
        help="port for the Prometheus exporter's /metrics, served once by the gunicorn master "
        "for all workers (default: METRICS_PORT, else 9568; 0 turns it off). It binds "
        "127.0.0.1 unless METRICS_HOST names another address.",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="number of worker processes (default: %(default)s)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="create the demo admin (its password is printed once) and load examples/ as its strategies",
    )
    parser.set_defaults(handler=serve)


def _setup_django() -> None:
    """Django is set up here, by the subcommands that need it, so that validate and convert
    start without it."""
    import django
    from django.conf import settings

    # Process plumbing, not a deployment choice: which settings module Django loads.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    django.setup()
    _create_sqlite_directory(settings.DATABASES["default"])


def serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    from trading_strategy.observability.exporter import MULTIPROC_ENV

    if args.metrics_port is not None:
        # For the gunicorn master, which reads it without Django's settings (exporter.py).
        os.environ["METRICS_PORT"] = str(args.metrics_port)
    # The migration below is not served traffic: its metrics stay in this process's memory
    # instead of the workers' files (gunicorn_conf prepares those for the server).
    multiproc_dir = os.environ.pop(MULTIPROC_ENV, None)
    _setup_django()
    call_command("migrate", interactive=False)
    if args.demo:
        _load_demo(Path(settings.BASE_DIR) / "examples")
    if multiproc_dir:
        os.environ[MULTIPROC_ENV] = multiproc_dir
    # Replacing this process with gunicorn (from the same interpreter, so the same
    # environment) lets signals from a supervisor or Ctrl-C reach the gunicorn master
    # directly, which then shuts its workers down gracefully.
    os.execv(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--worker-class",
            "uvicorn_worker.UvicornWorker",
            "--bind",
            _bind_address(args.host, args.port),
            "--workers",
            str(args.workers),
            # The control socket defaults to one path per user, so a second server on the
            # same machine (tests beside `make run`) would take it over; nothing uses it.
            "--no-control-socket",
            # Metrics hooks: multiprocess files, the exporter in the master, dead workers.
            "--config",
            GUNICORN_CONFIG,
            "trading_strategy.asgi:application",
        ],
    )


def _load_demo(examples: Path) -> None:
    from trading_strategy.accounts.demo import ensure_demo_admin
    from trading_strategy.strategies.demo import load_examples

    user, password = ensure_demo_admin()
    if password is not None:
        print(f"Demo admin created: {user.email}  password: {password}  (shown only now)", flush=True)
    loaded = load_examples(user, examples)
    print(f"Demo strategies loaded: {len(loaded)} new", flush=True)


def _create_sqlite_directory(database: dict) -> None:
    # SQLite creates the file but not its directory, and a fresh clone has no var/ yet.
    if database["ENGINE"] == "django.db.backends.sqlite3":
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def _bind_address(host: str, port: int) -> str:
    # gunicorn needs brackets to tell an IPv6 address from its port.
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def add_validate(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check strategy files and report every mistake at its line",
        description="Validate strategy documents. Exit status: 0 all valid, 1 any invalid, "
        "2 usage error or unreadable file.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument(
        "--format", choices=FORMATS, help="format of every file (default: from the file extension)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--summary", action="store_true", help="print the Test syntax summary of each valid file"
    )
    parser.set_defaults(handler=run_validate)


def _read(path: str, results: list | None = None) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        message = f"cannot read the file: {exc}"
        print(f"{path}: {message}", file=sys.stderr)
        if results is not None:
            results.append(unreadable_json(path, message))
        return None


def run_validate(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    status = 0
    for path in args.paths:
        text = _read(path, results if args.json else None)
        if text is None:
            status = 2
            continue
        fmt = args.format or format_of(path) or "unknown"
        checked = checks.validate(text, fmt, "cli")
        summary = summarize(checked)
        if not checked.valid:
            status = max(status, 1)
        if args.json:
            results.append(result_json(path, fmt if fmt in FORMATS else None, checked, summary))
            continue
        for diagnostic in checked.diagnostics:
            print(render_diagnostic(path, text, diagnostic))
        if checked.valid:
            print(f"{path}: valid ({len(checked.warnings)} warnings)")
            if args.summary and summary is not None:
                print(render_summary(summary))
    if args.json:
        print(json.dumps({"results": results}, indent=2, default=str))
    return status


def add_convert(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="print a valid strategy in the other format",
        description="Convert a valid strategy between YAML and TOML. Unknown top-level keys "
        "are dropped, as their warnings say.",
    )
    parser.add_argument("path", metavar="PATH")
    parser.add_argument("--to", choices=FORMATS, required=True)
    parser.add_argument(
        "--format", choices=FORMATS, help="format of the file (default: from the file extension)"
    )
    parser.set_defaults(handler=run_convert)


def run_convert(args: argparse.Namespace) -> int:
    text = _read(args.path)
    if text is None:
        return 2
    checked = validate(text, args.format or format_of(args.path) or "unknown")
    if checked.model is None:  # present exactly when the document is valid
        for diagnostic in checked.errors:
            print(render_diagnostic(args.path, text, diagnostic), file=sys.stderr)
        return 1
    sys.stdout.write(dump(checked.model, args.to))
    return 0


def add_createuser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "createuser",
        help=account_arguments.CREATEUSER_HELP,
        description=account_arguments.CREATEUSER_DESCRIPTION,
    )
    account_arguments.add_createuser_arguments(parser)
    parser.set_defaults(handler=run_createuser)


def run_createuser(args: argparse.Namespace) -> int:
    return run_management_command(
        "createuser", email=args.email, admin=args.admin, password_stdin=args.password_stdin
    )


def add_token(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "token", help=account_arguments.TOKEN_HELP, description=account_arguments.TOKEN_DESCRIPTION
    )
    account_arguments.add_token_arguments(parser)
    parser.set_defaults(handler=run_token)


def run_token(args: argparse.Namespace) -> int:
    return run_management_command("token", args.action, email=args.email, name=args.name)


def run_management_command(command: str, *args: str, **options: object) -> int:
    """Run a management command on a migrated database; a refusal (CommandError) becomes
    one `error: ...` line per reason on standard error and the command's exit status."""
    _setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    _migrate_if_needed()
    try:
        call_command(command, *args, **options)
    except CommandError as error:
        for message in str(error).splitlines():
            print(f"error: {message}", file=sys.stderr)
        return error.returncode
    return 0


def _migrate_if_needed() -> None:
    # The first user is often created before the first `serve`, on an empty database.
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


COMMANDS = [add_serve, add_validate, add_convert, add_preview, add_createuser, add_token]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trading-strategy",
        description="Register, validate and serve trading strategies.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_command in COMMANDS:
        add_command(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
