"""`token create --email E [--name N]`: issue an API token and print it, once.

`trading-strategy token create` runs this command; so does
`python -m django token create --settings=trading_strategy.settings`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trading_strategy.accounts.management.arguments import TOKEN_DESCRIPTION, add_token_arguments
from trading_strategy.accounts.models import ApiToken, User


class Command(BaseCommand):
    """A refusal is a CommandError (exit status 1)."""

    help = TOKEN_DESCRIPTION

    def add_arguments(self, parser: CommandParser) -> None:
        add_token_arguments(parser)

    def handle(self, *args: Any, action: str, email: str, name: str, **options: Any) -> None:
        # "create" is the only action; the parser refuses any other.
        self.create(email, name)

    def create(self, email: str, name: str) -> None:
        limit = ApiToken._meta.get_field("name").max_length
        if limit is not None and len(name) > limit:
            raise CommandError(f"the name is longer than {limit} characters.")
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"no active user with the e-mail {email}.")
        _, raw = ApiToken.issue(user, name)
        # Only the token on standard output, so scripts can capture it.
        self.stdout.write(raw)
