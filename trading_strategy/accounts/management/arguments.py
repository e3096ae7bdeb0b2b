"""The options of `createuser`, `setpassword`, `token` and `unlock`, declared once for both
ways of running them.

The management commands (`python -m django createuser --settings=...`) and the
`trading-strategy` command (cli.py) add these to their parsers. Plain argparse, no Django:
`trading-strategy` builds its parser before Django is set up, so that `validate` and
`convert` start without it.
"""

from __future__ import annotations

import argparse

CREATEUSER_HELP = "create a user who logs in with an e-mail and password"
CREATEUSER_DESCRIPTION = (
    "Create a trader (or an admin with --admin). The password is read from standard input "
    "with --password-stdin, otherwise prompted for. Exit status: 0 created, 1 refused "
    "(invalid e-mail or password, or the e-mail is taken)."
)

SETPASSWORD_HELP = "give an existing user a new password"
SETPASSWORD_DESCRIPTION = (
    "Give an existing user a new password, read from standard input with --password-stdin, "
    "otherwise prompted for; the user's other sessions end. Exit status: 0 set, 1 refused "
    "(no such user, or the password is too weak)."
)

TOKEN_HELP = "manage API tokens"
TOKEN_DESCRIPTION = (
    "Manage API tokens. `token create` creates an API token for a user and prints it on "
    "standard output. It is stored hashed, so this is the only time it is shown. Exit "
    "status: 0 created, 1 no such user."
)
TOKEN_ACTIONS = ("create",)

UNLOCK_HELP = "lift the log-in lockouts of an e-mail"
UNLOCK_DESCRIPTION = (
    "Lift every log-in lockout of an e-mail, from every address, so that it can log in "
    "again at once (the admin dashboard's Sessions page does the same). Exit status: 0."
)


def add_createuser_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--email", required=True)
    parser.add_argument("--admin", action="store_true", help="make the user an admin")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )


def add_setpassword_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--email", required=True)
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )


def add_token_arguments(parser: argparse.ArgumentParser) -> None:
    # A positional rather than subparsers: Django's own options (--settings, ...) are then
    # accepted after it, as in `python -m django token create --email E --settings=...`.
    parser.add_argument(
        "action", choices=TOKEN_ACTIONS, metavar="ACTION", help="create: create an API token and print it"
    )
    parser.add_argument("--email", required=True)
    parser.add_argument(
        "--name", default="command line", help="label shown on the settings page (default: %(default)s)"
    )


def add_unlock_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--email", required=True)
