"""Failed log-ins, counted so that nobody can lock another person out.

django-axes counts failures per (e-mail, client address): five wrong passwords lock that
e-mail *from that address* for the cool-off, while its owner elsewhere still logs in. A
refused attempt during the lockout is not recorded, so it cannot extend it. Each address
also has a budget of failures across all e-mails (settings.LOGIN_FAILURES_PER_ADDRESS a
cool-off), which stops one address from trying a common password on many accounts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone

from trading_strategy.accounts.models import User
from trading_strategy.budgets import seconds_left, spend, used
from trading_strategy.headers import client_address

ADDRESS_BUDGET = "log-in-failures"


def username_for_lockout(request, credentials=None):
    """The canonical e-mail, so "Ann@x.org" and "ann@x.org" share one failure count."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return User.objects.canonical_email(username) if username else None


def _cool_off_seconds() -> int:
    return int(get_cool_off().total_seconds())


def count_failure(sender, credentials=None, request=None, **kwargs):
    """user_login_failed: every failed log-in spends its address's budget. The window is
    fixed, so failures while refused do not push its end back."""
    if request is not None:
        spend(
            ADDRESS_BUDGET, client_address(request), settings.LOGIN_FAILURES_PER_ADDRESS, _cool_off_seconds()
        )


def address_refusal(request):
    """The lockout page when this address has spent its failures, else None."""
    window = _cool_off_seconds()
    if used(ADDRESS_BUDGET, client_address(request), window) < settings.LOGIN_FAILURES_PER_ADDRESS:
        return None
    user_locked_out.send(
        "axes", request=request, username=get_client_username(request), ip_address=client_address(request)
    )
    return _locked_page(request, timezone.now() + timedelta(seconds=seconds_left(window)))


def _account_lock_lifts(request) -> datetime:
    """One cool-off after the failure that locked this e-mail from this address: refused
    attempts are not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off)."""
    last = AccessAttempt.objects.filter(
        username=get_client_username(request), ip_address=client_address(request)
    ).aggregate(last=Max("attempt_time"))["last"]
    return (last or getattr(request, "axes_attempt_time", None) or timezone.now()) + get_cool_off(request)


def lockout_response(request, original_response=None, credentials=None):
    """Axes' AXES_LOCKOUT_CALLABLE: our page instead of axes' plain text.

    Axes' async middleware passes credentials in the second position, so neither
    optional argument is relied on: the username comes from the request.
    """
    return _locked_page(request, _account_lock_lifts(request))


def _locked_page(request, lifted: datetime):
    # Rounded up, so "after 14:05" is never too early.
    if lifted.second or lifted.microsecond:
        lifted = lifted.replace(second=0, microsecond=0) + timedelta(minutes=1)
    lifted = lifted.astimezone(UTC)
    same_day = lifted.date() == timezone.now().astimezone(UTC).date()
    context = {
        "email": get_client_username(request) or "",
        "retry_after": lifted.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M"),
    }
    response = render(request, "accounts/locked_out.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)
    response["Retry-After"] = str(max(1, int((lifted - timezone.now()).total_seconds())))
    return response


def unlock(email: str) -> int:
    """Lift every lockout of this e-mail, from any address; how many records went."""
    return reset(username=User.objects.canonical_email(email))
