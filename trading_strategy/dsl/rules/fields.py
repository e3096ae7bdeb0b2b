"""Checks of single values: strings, numbers in a range, one of a list."""

from __future__ import annotations

from decimal import Decimal

from ..diagnostics import KeyPath
from ..nodes import Entry
from .context import Context, describe, is_number, kind_of, text_length


def string(ctx: Context, entry: Entry, key: str, path: KeyPath) -> str | None:
    """The value if it is a string; otherwise report `field.type` and return None."""
    node = entry.node
    if node.kind == "scalar" and isinstance(node.value, str):
        return node.value
    hint = None
    if node.kind == "scalar" and node.value is not None and not isinstance(node.value, str):
        hint = f'quote it: "{describe(node.value)}"'
    ctx.error("field.type", f"'{key}' must be a string, not {kind_of(node)}", node.pos, path, hint)
    return None


def max_length(
    ctx: Context, entry: Entry, key: str, value: str, limit: int, code: str, path: KeyPath
) -> bool:
    length = text_length(value)
    if 1 <= length <= limit:
        return True
    ctx.error(
        code,
        f"'{key}' must be 1 to {limit} characters, not {length}",
        entry.node.pos,
        path,
        "write a value" if length == 0 else f"shorten it to {limit} characters",
    )
    return False


def number(
    ctx: Context,
    entry: Entry,
    key: str,
    path: KeyPath,
    low: Decimal | int | None,
    high: Decimal | int | None,
    code: str,
    integer: bool = False,
    percent_hint: bool = False,
) -> Decimal | int | None:
    """The value if it is a number within [low, high] (either bound may be None)."""
    node = entry.node
    value = node.value if node.kind == "scalar" else None
    # is_number admits only ints and Decimals; the isinstance says so to the type checker.
    if not (is_number(value) and isinstance(value, (int, Decimal))) or (
        integer and not isinstance(value, int)
    ):
        want = "an integer" if integer else "a number"
        ctx.error(
            "field.type",
            f"'{key}' must be {want}, not {describe(node)}",
            node.pos,
            path,
            number_hint(value, integer),
        )
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"above {low}"
        hint = f"use a value {bounds}"
        if percent_hint and 1 < value <= 100:
            hint = f"write {Decimal(value) / 100} for {value} %; the value is a fraction"
        ctx.error(code, f"'{key}' is {value}; it must be {bounds}", node.pos, path, hint)
        return None
    return value


# Digits of the largest whole number a hint spells out; no field accepts more.
_HINT_DIGITS = 20


def whole_number(value: Decimal) -> int | None:
    """The int a Decimal stands for, or None for fractions and for magnitudes no field
    accepts: int(Decimal("1e999999")) would keep a worker busy for minutes."""
    if value.is_finite() and value.adjusted() < _HINT_DIGITS and value == value.to_integral_value():
        return int(value)
    return None


def number_hint(value: object, integer: bool) -> str | None:
    if isinstance(value, Decimal) and integer and whole_number(value) is not None:
        return f"write {whole_number(value)}"
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip())
        except ArithmeticError:
            return None
        if not parsed.is_finite() or parsed.adjusted() >= _HINT_DIGITS:
            return None
        if not integer:
            return f"write {value.strip()} without quotes"
        if whole_number(parsed) is not None:
            return f"write {whole_number(parsed)} without quotes"
    return None
