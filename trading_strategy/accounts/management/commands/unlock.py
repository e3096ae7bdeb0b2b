"""`unlock --email E`: lift the log-in lockouts of an e-mail.

`trading-strategy unlock` runs this command; so does
`python -m django unlock --settings=trading_strategy.settings`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trading_strategy.accounts.lockout import unlock
from trading_strategy.accounts.management.arguments import UNLOCK_DESCRIPTION, add_unlock_arguments
from trading_strategy.accounts.models import User


class Command(BaseCommand):
    help = UNLOCK_DESCRIPTION

    def add_arguments(self, parser: CommandParser) -> None:
        add_unlock_arguments(parser)

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        # Unknown e-mails are locked out like known ones, so they are unlocked the same way.
        email = User.objects.canonical_email(email)
        if unlock(email):
            self.stdout.write(f"Unlocked {email}: it can log in again.")
        else:
            self.stdout.write(f"{email} was not locked out.")
