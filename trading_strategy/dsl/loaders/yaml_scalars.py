"""Scalars under the YAML 1.2 core schema: what a plain scalar's text means."""

from __future__ import annotations

import re
from decimal import Decimal

# A scalar's value under the core schema.
Scalar = str | int | Decimal | bool | None

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
CORE_TAGS = {"tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")}
STR_TAG = "tag:yaml.org,2002:str"
# The first characters of every null, boolean and number above (`$` also matches before
# a final line break, so a lone "\n" is a null): a scalar starting with any other (most
# keys, names, types and conditions) is a string, with no pattern to try.
_NON_STRING_START = frozenset("~nNtTfF+-.0123456789\n")
# The first characters of every integer above (and "", which `in` always finds).
INTEGER_START = "+-0123456789"


def resolve_plain(text: str) -> Scalar:
    """The value of a plain scalar under the YAML 1.2 core schema."""
    if text and text[0] not in _NON_STRING_START:
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text, 10)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return Decimal(text)
    if _INF.match(text):
        return Decimal("-Infinity" if text.startswith("-") else "Infinity")
    if _NAN.match(text):
        return Decimal("NaN")
    return text
