"""A document's lines with their numbers, as the detail, version and editor pages show them.

Built here as one string rather than in a template loop: a template spent about a third of
a millisecond per line, which for a document of many short lines was most of the page's
time. Every piece of document text is escaped before it is joined.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Lines a page numbers one by one; a strategy has a few dozen. Past these the text is
# shown as written: a number and an anchor per line would make a document of short lines
# several times its own size.
MAX_NUMBERED_LINES = 1_000


def numbered(document: str) -> SafeString:
    """The inside of _document.html's <code>: each line in its numbered span, then the
    text past MAX_NUMBERED_LINES in one span of its own."""
    lines = document.splitlines()
    parts = [
        f'<span class="line" id="L{number}" data-line="{number}"><span class="line-number" '
        f'aria-hidden="true">{number}</span>{escape(text)}\n</span>'
        for number, text in enumerate(lines[:MAX_NUMBERED_LINES], start=1)
    ]
    rest = lines[MAX_NUMBERED_LINES:]
    if rest:
        parts.append(f'<span class="line">{escape(chr(10).join(rest))}\n</span>')
    return mark_safe("".join(parts))


def gutter(document: str, diagnostics: list[dict]) -> SafeString:
    """The editor's line numbers, with a marker where a diagnostic points."""
    by_line: dict[int, list[dict]] = {}
    for diagnostic in diagnostics:
        if diagnostic["line"] is not None:
            by_line.setdefault(diagnostic["line"], []).append(diagnostic)
    rows = []
    for number in range(1, min(document.count("\n") + 2, MAX_NUMBERED_LINES + 1)):
        here = by_line.get(number, [])
        marker = ""
        if here:
            severity = "error" if any(d["severity"] == "error" for d in here) else "warning"
            title = escape(" \u2022 ".join(d["message"] for d in here))
            marker = (
                f'<span class="marker" data-line="{number}" data-severity="{severity}" '
                f'title="{title}"></span>'
            )
        rows.append(f'<div class="line-number" data-line="{number}">{marker}{number}</div>')
    return mark_safe("".join(rows))
