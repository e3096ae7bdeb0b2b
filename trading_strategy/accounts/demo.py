"""The demo admin that `make run` offers on a fresh database."""

import secrets

from django.db import IntegrityError, transaction

from trading_strategy.accounts.models import User

DEMO_ADMIN_EMAIL = "admin@example.com"


def ensure_demo_admin() -> tuple[User, str | None]:
    """The demo admin, and its password only when this call created it.

    The password is random and never stored in clear, so it can be shown once only.
    """
    existing = User.objects.filter(email__iexact=DEMO_ADMIN_EMAIL).first()
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(12)
    try:
        with transaction.atomic():
            user = User.objects.create_user(DEMO_ADMIN_EMAIL, password, role=User.Role.ADMIN)
    except IntegrityError:
        # Another process created it between the lookup and the insert.
        return User.objects.get(email__iexact=DEMO_ADMIN_EMAIL), None
    return user, password
