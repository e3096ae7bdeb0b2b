"""Registering answers alike whether the e-mail is new or already has an account, so the
form does not tell a stranger who has one (log-in and password reset do not either).

Both cases take the same steps: the password is hashed, an insert is tried, and one
e-mail goes to the address: a welcome to a new owner, a notice to an existing one that
someone tried to register it. Neither signs anybody in; the page sends both to log in.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

WELCOME = ("Your trading-strategy account is ready", "accounts/email/registered.txt")
TAKEN = ("Someone tried to register your e-mail on trading-strategy", "accounts/email/already_registered.txt")


def register(request, form) -> None:
    """Create the account of a valid RegisterForm, or tell the existing owner by e-mail."""
    email = form.cleaned_data["email"]
    try:
        # save() hashes the password before the insert, so a taken e-mail costs the same.
        with transaction.atomic():
            form.save()
        subject, template = WELCOME
    except IntegrityError:
        subject, template = TAKEN
    context = {
        "email": email,
        "log_in_url": request.build_absolute_uri(reverse("accounts:log-in")),
        "reset_url": request.build_absolute_uri(reverse("accounts:reset-password")),
    }
    send_mail(subject, render_to_string(template, context), None, [email])
