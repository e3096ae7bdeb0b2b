"""Unified diffs of two documents, with line numbers on both sides."""

from __future__ import annotations

import difflib
from typing import Any


def diff_rows(old: str, new: str, context: int = 3) -> list[dict[str, Any]]:
    """Rows of {kind: hunk|context|removed|added, old, new, text}; line numbers 1-based."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows: list[dict[str, Any]] = []
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        rows.append(
            {
                "kind": "hunk",
                "old": None,
                "new": None,
                "text": f"@@ -{first[1] + 1},{last[2] - first[1]} +{first[3] + 1},{last[4] - first[3]} @@",
            }
        )
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [
                    {"kind": "context", "old": i + 1, "new": j + 1, "text": old_lines[i]}
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                ]
                continue
            rows += [
                {"kind": "removed", "old": i + 1, "new": None, "text": old_lines[i]} for i in range(i1, i2)
            ]
            rows += [
                {"kind": "added", "old": None, "new": j + 1, "text": new_lines[j]} for j in range(j1, j2)
            ]
    return rows


def diff_text(old: str, new: str, old_label: str, new_label: str) -> str:
    """The same diff as plain unified-diff text, for the API and the command line."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=old_label, tofile=new_label
        )
    )
