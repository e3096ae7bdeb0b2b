"""Read one environment variable as a typed value, the same way everywhere.

    DEBUG = env_bool("DEBUG", False)
    AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)

An unset or blank variable gives the default. A value that does not parse stops start-up
with ImproperlyConfigured naming the variable and the value, instead of a bare ValueError
or, for a boolean, a silent False. Every deployment variable is read in settings.py; the
few read before Django's settings exist (the gunicorn master's) use these helpers too, so
this module imports nothing from the project and never Django's settings.
"""

from __future__ import annotations

import os
from typing import overload

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def _raw(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _refuse(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}={value!r} is not {expected}.")


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _refuse(
        name,
        value,
        "a boolean: use one of " + ", ".join(sorted(TRUE_WORDS)) + " or " + ", ".join(sorted(FALSE_WORDS)),
    )


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise _refuse(name, value, "a whole number") from None


def env_float(name: str, default: float) -> float:
    value = _raw(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise _refuse(name, value, "a number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Comma-separated items, each stripped; empty items are dropped."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
