"""The `trading-strategy` command.

Each subcommand is a function `add_<name>(subparsers)` that declares its options and sets
`handler` to a function taking the parsed arguments and returning the exit status.
Adding a subcommand means writing that function and listing it in COMMANDS.

`createuser`, `setpassword`, `token` and `unlock` are Django management commands
(accounts/management/commands/) run with call_command (cli_accounts.py), so
`python -m django createuser --settings=trading_strategy.settings` does the same; their
options are declared once, in accounts/management/arguments.py. cli_django.py sets Django
up for the subcommands that need it.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from trading_strategy.cli_accounts import add_createuser, add_setpassword, add_token, add_unlock
from trading_strategy.cli_django import migrate_if_needed, setup_django, with_settings
from trading_strategy.cli_preview import add_preview
from trading_strategy.dsl import (
    FORMATS,
    MAX_DOCUMENT_BYTES,
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
        "--workers",
        type=int,
        default=1,
        help="number of worker processes (default: %(default)s); more than one needs REDIS_URL",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="create the demo admin (its password is printed once) and load examples/ as its strategies",
    )
    parser.set_defaults(handler=with_settings(serve))


def serve(args: argparse.Namespace) -> int:
    import structlog
    from django.conf import settings

    from trading_strategy.observability.exporter import MULTIPROC_ENV

    if args.metrics_port is not None:
        # For the gunicorn master, which reads it without Django's settings (exporter.py).
        os.environ["METRICS_PORT"] = str(args.metrics_port)
    # The migration below is not served traffic: its metrics stay in this process's memory
    # instead of the workers' files (gunicorn_conf prepares those for the server).
    multiproc_dir = os.environ.pop(MULTIPROC_ENV, None)
    setup_django()
    if args.workers > 1 and not settings.REDIS_URL:
        # Without Redis each worker announces strategy events in its own memory only, so
        # a live stream open on one worker would silently miss what the others do.
        print(
            f"error: --workers {args.workers} needs REDIS_URL (e.g. redis://127.0.0.1:6379/0) "
            "so that every worker's live events reach every open page; set it, or serve "
            "with --workers 1.",
            file=sys.stderr,
        )
        return 2
    applied = migrate_if_needed()
    if applied:
        # A log line like the server's others, not migrate's own plain text.
        structlog.get_logger("trading_strategy.cli").info(
            "database.migrated", migrations=len(applied), latest=applied[-1]
        )
    if args.demo:
        _load_demo(Path(settings.BASE_DIR) / "examples", _url_to_open(args.host, args.port))
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


def _load_demo(examples: Path, url: str) -> None:
    from trading_strategy.accounts.demo import ensure_demo_admin
    from trading_strategy.strategies.demo import load_examples

    user, password = ensure_demo_admin()
    if password is not None:
        print(f"Demo admin created: {user.email}  password: {password}  (shown only now)", flush=True)
    loaded = load_examples(user, examples)
    print(f"Demo strategies loaded: {len(loaded)} new", flush=True)
    print(f"Open {url} and log in as {user.email}.", flush=True)
    print(f"Lost the password? trading-strategy setpassword --email {user.email}", flush=True)


def _url_to_open(host: str, port: int) -> str:
    # A server bound to every address is reached on this machine through the loopback one.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://{_bind_address(host, port)}/"


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


class _Unreadable(Exception):
    pass


def _read_bounded(path: str) -> str:
    """The file's text, refused unread when it is larger than a document may be. A file
    that is not a regular one (/dev/zero, a pipe) has no size to ask for: at most one byte
    more than the limit is read from it."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > MAX_DOCUMENT_BYTES:
            raise _Unreadable(f"the file is {size:,} bytes; a strategy is at most {MAX_DOCUMENT_BYTES:,}")
        data = file.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _Unreadable(f"the file holds more than {MAX_DOCUMENT_BYTES:,} bytes, the most a strategy may")
    return data.decode("utf-8")


def _format(path: str, chosen: str | None) -> str:
    fmt = chosen or format_of(path)
    if fmt is None:
        raise _Unreadable("cannot tell the format from the file name; pass --format yaml or --format toml")
    return fmt


def _read(path: str, chosen_format: str | None, results: list | None = None) -> tuple[str, str] | None:
    """The file's text and format, or None after saying why there are none (exit status 2)."""
    try:
        return _read_bounded(path), _format(path, chosen_format)
    except (OSError, UnicodeDecodeError, _Unreadable) as exc:
        message = str(exc) if isinstance(exc, _Unreadable) else f"cannot read the file: {exc}"
        print(f"{path}: {message}", file=sys.stderr)
        if results is not None:
            results.append(unreadable_json(path, message))
        return None


def run_validate(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    status = 0
    for path in args.paths:
        read = _read(path, args.format, results if args.json else None)
        if read is None:
            status = 2
            continue
        text, fmt = read
        checked = checks.validate(text, fmt, "cli")
        summary = summarize(checked)
        if not checked.valid:
            status = max(status, 1)
        if args.json:
            results.append(result_json(path, fmt, checked, summary))
            continue
        for diagnostic in checked.diagnostics:
            print(render_diagnostic(path, text, diagnostic))
        if checked.valid:
            warnings = len(checked.warnings)
            print(f"{path}: valid ({warnings} warning{'' if warnings == 1 else 's'})")
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
    read = _read(args.path, args.format)
    if read is None:
        return 2
    text, fmt = read
    checked = validate(text, fmt)
    if checked.model is None:  # present exactly when the document is valid
        for diagnostic in checked.errors:
            print(render_diagnostic(args.path, text, diagnostic), file=sys.stderr)
        return 1
    sys.stdout.write(dump(checked.model, args.to))
    return 0


COMMANDS = [
    add_serve,
    add_validate,
    add_convert,
    add_preview,
    add_createuser,
    add_setpassword,
    add_token,
    add_unlock,
]


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
