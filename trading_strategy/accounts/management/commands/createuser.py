"""`createuser --email E [--admin] [--password-stdin]`: a user who logs in with an e-mail.

`trading-strategy createuser` runs this command; so does
`python -m django createuser --settings=trading_strategy.settings`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from trading_strategy.accounts.management.arguments import (
    CREATEUSER_DESCRIPTION,
    add_createuser_arguments,
)
from trading_strategy.accounts.management.passwords import checked_password, read_password
from trading_strategy.accounts.models import User


class Command(BaseCommand):
    """A refusal is a CommandError (exit status 1) with one line per reason."""

    help = CREATEUSER_DESCRIPTION

    def add_arguments(self, parser: CommandParser) -> None:
        add_createuser_arguments(parser)

    def handle(self, *args: Any, email: str, admin: bool, password_stdin: bool, **options: Any) -> None:
        email = User.objects.canonical_email(email)
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"a user with the e-mail {email} already exists.")
        role = User.Role.ADMIN if admin else User.Role.TRADER
        password = checked_password(read_password(password_stdin), User(email=email, role=role))
        User.objects.create_user(email, password, role=role)
        self.stdout.write(f"Created {role} {email}.")
