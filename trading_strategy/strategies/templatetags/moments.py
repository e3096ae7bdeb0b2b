"""{% load moments %}: moments that arrive as ISO 8601 text (a conflict's details, which
the API sends as they are) written as the rest of the interface writes them."""

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from trading_strategy.strategies.moments import minute

register = template.Library()


@register.filter
def iso_minute(value: str) -> str:
    moment = parse_datetime(value) if value else None
    return minute(moment, timezone.get_current_timezone()) if moment else ""
