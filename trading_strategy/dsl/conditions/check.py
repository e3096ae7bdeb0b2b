"""One call that runs every condition check: parse, then types and names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .ast import Node
from .issues import ConditionIssue
from .names import SeriesInfo, check_series
from .parser import parse
from .types import wrong_condition


@dataclass(frozen=True)
class CheckedCondition:
    ast: Node | None
    issues: list[ConditionIssue] = field(default_factory=list)
    names_used: tuple[str, ...] = ()  # in order of first use, defined or not
    max_lookback: int = 0

    @property
    def is_valid(self) -> bool:
        return not any(issue.severity == "error" for issue in self.issues)


def check_condition(
    text: str,
    names: Mapping[str, SeriesInfo],
    role: str,
    poisoned: frozenset[str] = frozenset(),
) -> CheckedCondition:
    """`names` are the indicator series (built-in series are always known); `role` is
    "entry", "exit" or "stop"; see `resolve` for `poisoned`."""
    parsed = parse(text)
    if parsed.ast is None:
        return CheckedCondition(None, parsed.issues)
    # Listed by the parser, for the name checks and for what the condition uses.
    series = parsed.series
    # Types and names are independent of each other, so both are reported.
    issues = (
        parsed.issues
        + parsed.type_issues
        + wrong_condition(parsed.ast, text)
        + check_series(series, names, role, poisoned)
    )
    return CheckedCondition(
        parsed.ast,
        sorted(issues, key=lambda issue: issue.offset),
        names_used=tuple(dict.fromkeys(node.name for node in series)),
        max_lookback=max((node.lookback for node in series), default=0),
    )
