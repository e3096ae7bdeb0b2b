"""`setpassword --email E [--password-stdin]`: a new password for an existing user, the
way back in for an operator who has lost one (the demo admin's is shown only once).

`trading-strategy setpassword` runs this command; so does
`python -m django setpassword --settings=trading_strategy.settings`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trading_strategy.accounts.management.arguments import (
    SETPASSWORD_DESCRIPTION,
    add_setpassword_arguments,
)
from trading_strategy.accounts.management.passwords import checked_password, read_password
from trading_strategy.accounts.models import User


class Command(BaseCommand):
    """A refusal is a CommandError (exit status 1) with one line per reason."""

    help = SETPASSWORD_DESCRIPTION

    def add_arguments(self, parser: CommandParser) -> None:
        add_setpassword_arguments(parser)

    def handle(self, *args: Any, email: str, password_stdin: bool, **options: Any) -> None:
        user = User.objects.filter(email__iexact=User.objects.canonical_email(email)).first()
        if user is None:
            raise CommandError(f"no user has the e-mail {email}.")
        # Setting the password also signs out the user's other sessions: Django checks
        # each session against the password it was opened with.
        user.set_password(checked_password(read_password(password_stdin), user))
        user.save(update_fields=["password"])
        self.stdout.write(f"Set a new password for {user.email}.")
