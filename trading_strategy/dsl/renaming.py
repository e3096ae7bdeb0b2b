"""Give a strategy document another name while keeping the rest of the text as written."""

from __future__ import annotations

import json
import re

from .model import dump
from .validator import Report

_TOP_LEVEL_NAME = {
    "yaml": re.compile(r"^name[ \t]*:"),
    "toml": re.compile(r"^name[ \t]*="),
}


def name_line(name: str, fmt: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar and a valid TOML basic string.
    quoted = json.dumps(name)
    return f"name: {quoted}" if fmt == "yaml" else f"name = {quoted}"


def rename(text: str, fmt: str, report: Report, name: str) -> str:
    """`text` with its top-level `name` set to `name`.

    The line holding the name is replaced when the name is written on one line; a valid
    document whose name spans lines is written out again from its model; a document
    with no name gets one on its first line. An invalid document whose name spans lines
    is returned unchanged: no edit of it could be trusted.
    """
    lines = text.splitlines(keepends=True)
    entry = report.root.value.get("name") if report.root is not None and report.root.kind == "map" else None
    if entry is not None:
        line = entry.key_pos.line - 1
        # A YAML plain scalar continues on the following indented lines.
        continued = fmt == "yaml" and line + 1 < len(lines) and lines[line + 1][:1] in " \t"
        single_line = (
            entry.node.pos.line == entry.key_pos.line
            and not continued
            and not (isinstance(entry.node.value, str) and "\n" in entry.node.value)
        )
        if entry.key_pos.column == 1 and single_line and _TOP_LEVEL_NAME[fmt].match(lines[line]):
            ending = "\n" if lines[line].endswith("\n") else ""
            lines[line] = name_line(name, fmt) + ending
            return "".join(lines)
        if report.model is not None:
            return dump({**report.model, "name": name}, fmt)
        return text
    return name_line(name, fmt) + "\n" + text
