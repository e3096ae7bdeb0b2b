"""What the editor shows about a document, for the pages and the live endpoints alike:
validation, per-section states, whether the name is free, and the syntax test.

The checks themselves go through `checks`, which records them; this module shapes their
answers for the editor."""

from __future__ import annotations

import bisect
import re
import time

from trading_strategy.dsl import Report, validate

from . import checks, lifecycle
from .models import Strategy

SECTIONS = (
    ("metadata", "Metadata"),
    ("indicators", "Indicators"),
    ("conditions", "Conditions"),
    ("sizing", "Position sizing"),
    ("risk", "Risk"),
)
_SECTION_OF_KEY = {
    "name": "metadata",
    "trading_pair": "metadata",
    "timeframe": "metadata",
    "strategy_id": "metadata",
    "description": "metadata",
    "version": "metadata",
    "indicators": "indicators",
    "entry_conditions": "conditions",
    "exit_conditions": "conditions",
    "stop_conditions": "conditions",
    "position_sizing": "sizing",
    "risk_parameters": "risk",
}
_TOP_KEY = {
    "yaml": re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)[ \t]*:", re.M),
    "toml": re.compile(
        r"^(?:\[\[?[ \t]*([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*)"
        r"[ \t]*=)",
        re.M,
    ),
}


def _keys_by_line(document: str, fmt: str) -> list[tuple[int, str]]:
    """(line, top-level key) in document order, read from the text so that it also works
    on a document that does not parse. In TOML a table's keys follow its header."""
    pattern, in_table = _TOP_KEY.get(fmt), False
    found: list[tuple[int, str]] = []
    if pattern is None:
        return found
    # One search over the whole text rather than a match per line: a document may have
    # fifty thousand lines. Line numbers are counted between matches.
    number, counted = 1, 0
    for match in pattern.finditer(document):
        number += document.count("\n", counted, match.start())
        counted = match.start()
        if fmt == "toml" and match.group(1):
            in_table = True
            found.append((number, match.group(1)))
        elif not in_table:
            found.append((number, match.group(match.lastindex or 0)))
    return found


def section_states(document: str, fmt: str, report: Report) -> dict[str, str]:
    keyed = _keys_by_line(document, fmt)
    key_lines = [line for line, _ in keyed]
    if report.root is not None and report.root.kind == "map":
        written = {_SECTION_OF_KEY.get(key) for key in report.root.value}
    else:
        written = {_SECTION_OF_KEY.get(key) for _, key in keyed}
    states = {name: ("ok" if name in written else "missing") for name, _ in SECTIONS}
    for diagnostic in report.diagnostics:
        section = _SECTION_OF_KEY.get(re.split(r"[.\[]", diagnostic.path or "")[0])
        if section is None and diagnostic.line is not None:
            # The last key written on or above the diagnostic's line.
            above = bisect.bisect_right(key_lines, diagnostic.line)
            section = _SECTION_OF_KEY.get(keyed[above - 1][1]) if above else None
        if section is None or (states[section] == "missing" and diagnostic.code == "field.required"):
            continue
        if diagnostic.is_error:
            states[section] = "error"
        elif states[section] != "error":
            states[section] = "warning"
    return states


def name_status(user, document: str, fmt: str, report: Report, strategy_id=None) -> dict:
    name = lifecycle.document_name(document, fmt, report)
    taken = bool(name) and Strategy.objects.owned_by(user).name_taken(name, strategy_id)
    message = (
        f"You already have a strategy named \u201c{name}\u201d."
        if taken
        else (f"\u201c{name}\u201d is free." if name else "")
    )
    return {"value": name, "taken": taken, "message": message}


def check(user, document: str, fmt: str, strategy_id=None, source: checks.Source | None = None) -> dict:
    """The live validation answer; the pages render the same data. With a source it is a
    check the user asked for and is recorded; a page showing its document passes none."""
    return checked(user, document, fmt, strategy_id, source)[0]


def checked(
    user, document: str, fmt: str, strategy_id=None, source: checks.Source | None = None
) -> tuple[dict, Report]:
    """`check`'s answer and the report behind it, for a page that reads both."""
    started = time.perf_counter()
    report = checks.validate(document, fmt, source) if source else validate(document, fmt)
    answer = {
        "valid": report.valid,
        "errors": [d.as_dict() for d in report.errors],
        "warnings": [d.as_dict() for d in report.warnings],
        "sections": section_states(document, fmt, report),
        "name": name_status(user, document, fmt, report, strategy_id),
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return answer, report


def syntax_answer(document: str, fmt: str) -> dict:
    """The Test syntax fragment's data, for the live endpoint and the page's button."""
    report, summary = checks.syntax_test(document, fmt, "editor")
    return {"summary": summary, "errors": [d.as_dict() for d in report.errors]}
