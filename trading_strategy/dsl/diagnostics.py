"""Diagnostics are data: a stable code, a severity, a message, a position and a hint."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from .limits import MAX_DIAGNOSTICS

ERROR = "error"
WARNING = "warning"

# Where a value sits in the document tree: keys of mappings and indices of lists.
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def format_path(parts: Iterable[str | int]) -> str:
    """`("indicators", 2, "parameters", "period")` -> `indicators[2].parameters.period`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def sort_key(diagnostic: Diagnostic) -> tuple[int, int, bool, str]:
    return (
        diagnostic.line if diagnostic.line is not None else 0,
        diagnostic.column if diagnostic.column is not None else 0,
        diagnostic.severity != ERROR,
        diagnostic.code,
    )


def capped(diagnostics: list[Diagnostic], unlisted: int = 0) -> list[Diagnostic]:
    """At most MAX_DIAGNOSTICS of `diagnostics`, errors first, in document order, then
    `diagnostics.truncated` saying how many more there were.

    `unlisted` counts diagnostics a check found but did not make: a check that can find
    thousands of one kind, in document order, stops making them after MAX_DIAGNOSTICS,
    as many as the list could take of that kind."""
    if len(diagnostics) <= MAX_DIAGNOSTICS and not unlisted:
        return sorted(diagnostics, key=sort_key)
    kept = sorted(
        heapq.nsmallest(MAX_DIAGNOSTICS, diagnostics, key=lambda d: (not d.is_error, sort_key(d))),
        key=sort_key,
    )
    more = len(diagnostics) - len(kept) + unlisted
    return [
        *kept,
        Diagnostic(
            "diagnostics.truncated",
            WARNING,
            f"{more} more diagnostics are not listed; only the first {MAX_DIAGNOSTICS} are, errors first",
            hint="fix the ones listed, then check again to see the rest",
        ),
    ]
