"""How the interface writes a moment: to the minute, in the current time zone."""

from __future__ import annotations

from datetime import datetime, tzinfo


def minute(moment: datetime, zone: tzinfo) -> str:
    """The time to the minute in `zone`: "2026-11-30 07:05". Django's `date` filter gives
    the same text at ten times the cost: it looks up the active locale's formats on every
    call."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
