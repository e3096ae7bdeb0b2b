"""The password a command sets: read once, checked by the same validators as the pages."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def read_password(from_stdin: bool) -> str:
    """The first line of standard input, or a password typed twice at a prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password (again): ") != password:
        raise CommandError("The passwords do not match.")
    return password


def checked_password(password: str, user) -> str:
    """`password` if the validators accept it for `user`, else a CommandError with one
    line per reason."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise CommandError("\n".join(error.messages)) from None
    return password
