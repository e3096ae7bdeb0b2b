"""`trading-strategy createuser` and `trading-strategy token create`.

Django is set up inside the handlers, so commands that do not need it start without it.
"""
import argparse
import getpass
import os
import sys


def _setup_django() -> None:
    import django
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from trading_strategy.cli import SETTINGS_MODULE, _create_sqlite_directory

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    django.setup()
    _create_sqlite_directory(settings.DATABASES["default"])
    # The first user is often created before the first `serve`, on an empty database.
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        from django.core.management import call_command
        call_command("migrate", interactive=False, verbosity=0)


def add_createuser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "createuser", help="create a user who logs in with an e-mail and password",
        description="Create a trader (or an admin with --admin). The password is read from "
        "standard input with --password-stdin, otherwise prompted for. Exit status: 0 created, "
        "1 refused (invalid e-mail or password, or the e-mail is taken).")
    parser.add_argument("--email", required=True)
    parser.add_argument("--admin", action="store_true", help="make the user an admin")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    parser.set_defaults(handler=run_createuser)


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password (again): ") != password:
        print("The passwords do not match.", file=sys.stderr)
        return None
    return password


def _refuse(messages) -> int:
    for message in messages:
        print(f"error: {message}", file=sys.stderr)
    return 1


def run_createuser(args: argparse.Namespace) -> int:
    _setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from trading_strategy.accounts.models import User

    email = User.objects.canonical_email(args.email)
    try:
        validate_email(email)
    except ValidationError as error:
        return _refuse(error.messages)
    if User.objects.filter(email__iexact=email).exists():
        return _refuse([f"a user with the e-mail {email} already exists."])
    password = _read_password(args)
    if password is None:
        return 1
    role = User.Role.ADMIN if args.admin else User.Role.TRADER
    try:
        validate_password(password, User(email=email, role=role))
    except ValidationError as error:
        return _refuse(error.messages)
    User.objects.create_user(email, password, role=role)
    print(f"Created {role} {email}.")
    return 0


def add_token(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("token", help="manage API tokens",
                                   description="Manage API tokens.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser(
        "create", help="create an API token and print it",
        description="Create an API token for a user and print it on standard output. It is "
        "stored hashed, so this is the only time it is shown. Exit status: 0 created, "
        "1 no such user.")
    create.add_argument("--email", required=True)
    create.add_argument("--name", default="command line", help="label shown on the settings "
                        "page (default: %(default)s)")
    create.set_defaults(handler=run_token_create)


def run_token_create(args: argparse.Namespace) -> int:
    _setup_django()
    from trading_strategy.accounts.models import ApiToken, User

    limit = ApiToken._meta.get_field("name").max_length
    if len(args.name) > limit:
        return _refuse([f"the name is longer than {limit} characters."])
    user = User.objects.filter(email__iexact=args.email.strip(), is_active=True).first()
    if user is None:
        return _refuse([f"no active user with the e-mail {args.email}."])
    _, raw = ApiToken.issue(user, args.name)
    # Only the token on standard output, so scripts can capture it.
    print(raw)
    return 0
