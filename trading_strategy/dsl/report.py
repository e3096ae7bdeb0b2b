"""Validation results as a compiler prints them, and as the JSON of `validate --json`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic

if TYPE_CHECKING:
    from .validator import Report


def result_json(path: str, fmt: str | None, report: Report, summary: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "path": path,
        "format": fmt,
        "valid": report.valid,
        "errors": [d.as_dict() for d in report.errors],
        "warnings": [d.as_dict() for d in report.warnings],
        "summary": summary,
    }


def unreadable_json(path: str, message: str) -> dict[str, Any]:
    error = Diagnostic("file.unreadable", "error", message, None, None, "", None)
    return {
        "path": path,
        "format": None,
        "valid": False,
        "errors": [error.as_dict()],
        "warnings": [],
        "summary": None,
    }


def render_diagnostic(path: str, text: str, diagnostic: Diagnostic) -> str:
    """`file:line:col: error[code]: message`, the source line, a caret, the hint."""
    where = path
    if diagnostic.line is not None:
        where += f":{diagnostic.line}:{diagnostic.column}"
    lines = [f"{where}: {diagnostic.severity}[{diagnostic.code}]: {diagnostic.message}"]
    source = _source_line(text, diagnostic.line)
    # A diagnostic with a line always has its column (both come from one position).
    if source is not None and diagnostic.column is not None:
        gutter = f"{diagnostic.line} | "
        source, column = _around(source, diagnostic.column - 1)
        # Tabs before the column are kept so the caret lines up in any terminal.
        lead = "".join(c if c == "\t" else " " for c in source[: max(column, 0)])
        lines += [f"{gutter}{source}", " " * len(gutter) + lead + "^"]
    if diagnostic.hint:
        lines.append(f"  = hint: {diagnostic.hint}")
    return "\n".join(lines)


# Characters of a source line quoted on each side of the caret: a condition may be 2,000
# characters on one line, and quoting it whole under each of its diagnostics would print
# the document many times over.
_QUOTED = 60


def _around(source: str, column: int) -> tuple[str, int]:
    """The part of `source` around the 0-based `column`, and the column within it."""
    if len(source) <= 2 * _QUOTED + 1:
        return source, column
    start = max(column - _QUOTED, 0)
    excerpt = source[start : column + _QUOTED + 1]
    prefix = "\u2026" if start > 0 else ""
    suffix = "\u2026" if column + _QUOTED + 1 < len(source) else ""
    return prefix + excerpt + suffix, column - start + len(prefix)


def _source_line(text: str, line: int | None) -> str | None:
    if line is None:
        return None
    lines = _lines(text)
    return lines[line - 1] if 0 < line <= len(lines) else None


@functools.lru_cache(maxsize=1)
def _lines(text: str) -> tuple[str, ...]:
    """The lines of the document being printed, split once for all its diagnostics."""
    return tuple(text.splitlines())


def render_summary(summary: Mapping[str, Any]) -> str:
    out = [f"{summary['name']}: {summary['trading_pair']} on {summary['timeframe']}", "Indicators:"]
    for indicator in summary["indicators"]:
        parameters = ", ".join(f"{k}={v}" for k, v in indicator["parameters"].items())
        defaults = f" (defaults: {', '.join(indicator['defaults'])})" if indicator["defaults"] else ""
        out.append(f"  {indicator['name']}: {indicator['type']}({parameters}){defaults}")
    out.append("Conditions:")
    for role, condition in summary["conditions"].items():
        out.append(f"  {role}: {condition['normalized']}")
        out.append(f"    {condition['explanation']}.")
    out.append(f"Warm-up: {summary['warmup_bars']} bars")
    out.append(f"Sizing: {summary['position_sizing']}")
    out.extend(f"Risk: {line}" for line in summary["risk"])
    return "\n".join(out)
