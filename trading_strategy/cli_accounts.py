"""The account subcommands: Django management commands (accounts/management/commands/)
run with call_command, their options declared once in accounts/management/arguments.py."""

import argparse

from trading_strategy.accounts.management import arguments as account_arguments
from trading_strategy.cli_django import run_management_command, with_settings


def add_createuser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "createuser",
        help=account_arguments.CREATEUSER_HELP,
        description=account_arguments.CREATEUSER_DESCRIPTION,
    )
    account_arguments.add_createuser_arguments(parser)
    parser.set_defaults(handler=with_settings(run_createuser))


def run_createuser(args: argparse.Namespace) -> int:
    return run_management_command(
        "createuser", email=args.email, admin=args.admin, password_stdin=args.password_stdin
    )


def add_setpassword(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "setpassword",
        help=account_arguments.SETPASSWORD_HELP,
        description=account_arguments.SETPASSWORD_DESCRIPTION,
    )
    account_arguments.add_setpassword_arguments(parser)
    parser.set_defaults(handler=with_settings(run_setpassword))


def run_setpassword(args: argparse.Namespace) -> int:
    return run_management_command("setpassword", email=args.email, password_stdin=args.password_stdin)


def add_token(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "token", help=account_arguments.TOKEN_HELP, description=account_arguments.TOKEN_DESCRIPTION
    )
    account_arguments.add_token_arguments(parser)
    parser.set_defaults(handler=with_settings(run_token))


def run_token(args: argparse.Namespace) -> int:
    return run_management_command("token", args.action, email=args.email, name=args.name)


def add_unlock(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "unlock", help=account_arguments.UNLOCK_HELP, description=account_arguments.UNLOCK_DESCRIPTION
    )
    account_arguments.add_unlock_arguments(parser)
    parser.set_defaults(handler=run_unlock)


def run_unlock(args: argparse.Namespace) -> int:
    return run_management_command("unlock", email=args.email)
