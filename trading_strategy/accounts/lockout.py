"""How django-axes names a login attempt and what a locked-out user sees."""

from datetime import UTC, datetime, timedelta

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from trading_strategy.accounts.models import User


def username_for_lockout(request, credentials=None):
    """The canonical e-mail, so "Ann@x.org" and "ann@x.org" share one failure count."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return User.objects.canonical_email(username) if username else None


def retry_time(request) -> datetime:
    # Axes restarts the cool-off with every refused attempt (see
    # AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the lock lifts one cool-off
    # after this request. Rounded up, so "after 14:05" is never too early.
    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    lifted = attempted + get_cool_off(request)
    if lifted.second or lifted.microsecond:
        lifted = lifted.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return lifted.astimezone(UTC)


def lockout_response(request, original_response=None, credentials=None):
    """Axes' AXES_LOCKOUT_CALLABLE: our page instead of axes' plain text.

    Axes' async middleware passes credentials in the second position, so neither
    optional argument is relied on: the username comes from the request.
    """
    lifted = retry_time(request)
    same_day = lifted.date() == timezone.now().astimezone(UTC).date()
    context = {
        "email": get_client_username(request) or "",
        "retry_after": lifted.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M"),
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
