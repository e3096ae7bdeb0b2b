"""Diagnostics are data: a stable code, a severity, a message, a position and a hint."""
from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


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

    def as_dict(self) -> dict:
        return asdict(self)


def format_path(parts) -> str:
    """`("indicators", 2, "parameters", "period")` -> `indicators[2].parameters.period`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def sort_key(diagnostic: Diagnostic):
    return (
        diagnostic.line if diagnostic.line is not None else 0,
        diagnostic.column if diagnostic.column is not None else 0,
        diagnostic.severity != ERROR,
        diagnostic.code,
    )
