"""What the condition checks report: a code and an offset inside the condition string.

The validator turns each issue into a document-level Diagnostic, because only it knows
where the string sits in the document (quotes, escapes, block-scalar indentation).
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"


@dataclass(frozen=True)
class ConditionIssue:
    code: str
    message: str
    # 0-based offset in the condition string of the offending character.
    offset: int
    hint: str | None = None
    severity: str = ERROR
