"""The series a condition may name, and the check that every name it uses is allowed."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from ..limits import MAX_HINTED_NAMES
from .ast import Node, Series, walk
from .issues import ConditionIssue

OHLCV = ("open", "high", "low", "close", "volume")
POSITION_VARIABLES = (
    "unrealized_pnl",
    "unrealized_pnl_pct",
    "entry_price",
    "drawdown",
    "position_age",
)
ROLES = ("entry", "exit", "stop")


class SeriesInfo(NamedTuple):
    """Immutable; a named tuple, built fastest: a document makes one per indicator output."""

    name: str
    kind: str  # "ohlcv" | "indicator" | "output" | "position"
    label: str  # for people: "RSI(14)", "the close", "the upper band of BB(20, 2)"
    scale: str  # "price" | "volume" | "oscillator" | "nonnegative" | "unbounded"
    low: Decimal | None = None  # known bounds, e.g. 0..100 for an RSI
    high: Decimal | None = None


_ZERO = Decimal(0)

_BUILTINS = (
    SeriesInfo("open", "ohlcv", "the open", "price", low=_ZERO),
    SeriesInfo("high", "ohlcv", "the high", "price", low=_ZERO),
    SeriesInfo("low", "ohlcv", "the low", "price", low=_ZERO),
    SeriesInfo("close", "ohlcv", "the close", "price", low=_ZERO),
    SeriesInfo("volume", "ohlcv", "the volume", "volume", low=_ZERO),
    SeriesInfo("unrealized_pnl", "position", "the unrealized profit", "unbounded"),
    SeriesInfo("unrealized_pnl_pct", "position", "the unrealized profit as a fraction", "unbounded"),
    SeriesInfo("entry_price", "position", "the entry price", "price", low=_ZERO),
    SeriesInfo("drawdown", "position", "the drawdown", "nonnegative", low=_ZERO, high=Decimal(1)),
    SeriesInfo("position_age", "position", "the position age in bars", "nonnegative", low=_ZERO),
)


def builtin_series() -> dict[str, SeriesInfo]:
    """OHLCV and position variables: the names every condition may use (roles aside)."""
    return {info.name: info for info in _BUILTINS}


def resolve(
    ast: Node,
    names: Mapping[str, SeriesInfo],
    role: str,
    poisoned: frozenset[str] = frozenset(),
) -> list[ConditionIssue]:
    """Checks the names in `ast` against `names` plus the built-in series.

    `poisoned` holds indicators that exist but are invalid themselves: their names and
    output names (`bb_20_upper` for `bb_20`) are accepted silently, because the indicator
    already has its own error and its outputs may be unknown.
    """
    return check_series([node for node in walk(ast) if isinstance(node, Series)], names, role, poisoned)


def check_series(
    series: list[Series],
    names: Mapping[str, SeriesInfo],
    role: str,
    poisoned: frozenset[str] = frozenset(),
) -> list[ConditionIssue]:
    """`resolve` for the Series nodes of a tree, listed in `walk` order."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    known = {**builtin_series(), **names}
    issues: list[ConditionIssue] = []
    reported: set[str] = set()
    for node in series:
        if poisoned and _is_poisoned(node.name, poisoned):
            continue
        # One report per name and mistake: repeating it at every use adds nothing.
        if node.name not in known:
            if node.name not in reported:
                reported.add(node.name)
                issues.append(_undefined(node, known, role, hinted=len(reported) <= MAX_HINTED_NAMES))
        elif node.name in POSITION_VARIABLES and role == "entry":
            if node.name not in reported:
                reported.add(node.name)
                issues.append(
                    ConditionIssue(
                        "condition.position_variable_in_entry",
                        f"'{node.name}' describes an open position, but no position is open "
                        "when an entry condition is checked.",
                        node.start,
                        hint="use it in exit_conditions or stop_conditions",
                    )
                )
        elif node.name in POSITION_VARIABLES and node.lookback_at is not None:
            issues.append(
                ConditionIssue(
                    "condition.lookback",
                    f"'{node.name}' describes the position now; it has no values for past bars.",
                    node.lookback_at,
                    hint=f"write {node.name}",
                )
            )
    return sorted(issues, key=lambda issue: issue.offset)


def _is_poisoned(name: str, poisoned: frozenset[str]) -> bool:
    return any(name == bad or name.startswith(bad + "_") for bad in poisoned)


def _undefined(node: Series, known: Mapping[str, SeriesInfo], role: str, hinted: bool) -> ConditionIssue:
    """`hinted`: whether to look for the closest defined names, which costs a comparison
    with each of them."""
    candidates = [name for name in known if role != "entry" or name not in POSITION_VARIABLES]
    by_lower = {name.lower(): name for name in candidates}
    if node.name.lower() in by_lower:
        hint = f"write it exactly: {by_lower[node.name.lower()]}"
    else:
        close = difflib.get_close_matches(node.name.lower(), list(by_lower), n=3) if hinted else []
        hint = (
            "did you mean " + ", ".join(by_lower[match] for match in close) + "?"
            if close
            else f"define an indicator named {node.name}, or use one of {', '.join(OHLCV)}"
        )
    return ConditionIssue(
        "condition.undefined_name",
        f"'{node.name}' is not defined.",
        node.start,
        hint=hint,
    )
