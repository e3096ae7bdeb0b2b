"""Diagnostics are data: a stable code, a severity, a message, a position and a hint."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

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
