"""The limit on the number of values a document holds, shared by both loaders.

A value is what a key names or a list holds: every scalar, list and mapping below the
document's own mapping (keys are not counted; an alias is one value where it is written).
"""

from __future__ import annotations

from collections.abc import Collection

from ..diagnostics import ERROR, Diagnostic
from ..limits import MAX_VALUES
from ..nodes import Pos


def too_many_values(pos: Pos) -> Diagnostic:
    """The error at the first value beyond the limit."""
    return Diagnostic(
        "document.too_many_values",
        ERROR,
        f"the document holds more than {MAX_VALUES:,} values",
        pos.line,
        pos.column,
        "",
        "remove what the strategy does not use; a strategy needs far fewer",
    )


def may_hold_too_many_values(toml: str) -> bool:
    """Whether a TOML text may hold more than MAX_VALUES values, told in well under a
    millisecond: each value follows a character of its own among `=` (a key's), `[` (a
    table's header, an array and its first item), `,` (each further item) and `.` (a table
    named by a dotted key). Strings, comments and numbers only add to the count."""
    return sum(toml.count(char) for char in "=[,.") > MAX_VALUES


def holds_too_many_values(data: dict[str, object]) -> bool:
    """Whether tomllib's result holds more than MAX_VALUES values, counted without
    recursion (it may nest deeper than the depth limit) and only as far as the limit."""
    count = 0
    pending: list[dict[str, object] | list[object]] = [data]
    while pending:
        container = pending.pop()
        children: Collection[object] = container.values() if isinstance(container, dict) else container
        count += len(children)
        if count > MAX_VALUES:
            return True
        pending.extend(child for child in children if isinstance(child, (dict, list)))
    return False
