"""The dashboard's log-in lockouts: which e-mail is locked out from which address, until
when; an admin lifts them here or with `trading-strategy unlock --email E`."""

from __future__ import annotations

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

SHOWN = 100


def current_lockouts() -> list[dict]:
    cool_off = get_cool_off()
    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=timezone.now() - cool_off
    ).order_by("-attempt_time")[:SHOWN]
    return [
        {
            "email": attempt.username,
            "address": attempt.ip_address,
            "failures": attempt.failures_since_start,
            "lifts_at": attempt.attempt_time + cool_off,
        }
        for attempt in locked
    ]
