"""The `trading-strategy` command.

Each subcommand is a function `add_<name>(subparsers)` that declares its options and sets
`handler` to a function taking the parsed arguments and returning the exit status.
Adding a subcommand means writing that function and listing it in COMMANDS.
"""

import argparse
import os
import sys
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command

SETTINGS_MODULE = "trading_strategy.settings"


def add_serve(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="apply database migrations, then serve the web application",
        description="Apply pending database migrations, then serve the web application with "
        "gunicorn and uvicorn workers (ASGI).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=4000, help="port for the web application (default: %(default)s)")
    parser.add_argument(
        "--metrics-port",
        type=int,
        default=9568,
        help="port for the Prometheus exporter (default: %(default)s). The exporter is not built "
        "yet: the value is only passed on in the METRICS_PORT environment variable.",
    )
    parser.add_argument("--workers", type=int, default=1, help="number of worker processes (default: %(default)s)")
    parser.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    os.environ["METRICS_PORT"] = str(args.metrics_port)
    django.setup()
    _create_sqlite_directory(settings.DATABASES["default"])
    call_command("migrate", interactive=False)
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
            "trading_strategy.asgi:application",
        ],
    )


def _create_sqlite_directory(database: dict) -> None:
    # SQLite creates the file but not its directory, and a fresh clone has no var/ yet.
    if database["ENGINE"] == "django.db.backends.sqlite3":
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def _bind_address(host: str, port: int) -> str:
    # gunicorn needs brackets to tell an IPv6 address from its port.
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


COMMANDS = [add_serve]


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
