"""One validator for every caller: the live form, Test syntax, the API, the CLI, activation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from .conditions import CheckedCondition, SeriesInfo, check_condition
from .conditions.names import builtin_series
from .diagnostics import Diagnostic, capped
from .loaders import load
from .logic import check_logic
from .model import build_model
from .nodes import Node, Pos
from .rules import keys
from .rules.context import Context, finish_required, present, require, stray
from .rules.indicators import IndicatorReport, check_indicators
from .rules.sections import check_metadata, check_risk, check_sizing
from .rules.series import series_of

CONDITION_KEYS = {"entry": "entry_conditions", "exit": "exit_conditions", "stop": "stop_conditions"}


@dataclass
class Report:
    format: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The canonical model, present when there are no errors.
    model: dict[str, Any] | None = None
    # What Test syntax and the summary views need, present when there are no errors:
    # "indicators" (list[ResolvedIndicator]), "conditions" (as `_check_conditions`
    # returns them) and "names" (dict[str, SeriesInfo]).
    analysis: dict[str, Any] | None = None
    # The positioned tree, present whenever the text could be parsed.
    root: Node | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    @property
    def valid(self) -> bool:
        return not self.errors


def validate(text: str, fmt: str) -> Report:
    loaded = load(text, fmt)
    if loaded.root is None:
        return Report(fmt, capped(loaded.diagnostics, loaded.unlisted))
    ctx = Context(fmt, loaded)
    ctx.diagnostics.extend(loaded.diagnostics)
    root = loaded.root
    _check_top_level_keys(ctx, root)
    metadata = check_metadata(ctx, root)
    indicators = check_indicators(ctx, root)
    # Built once: the conditions are checked against them, and Test syntax reads them.
    names = _names(indicators)
    conditions = _check_conditions(ctx, root, indicators, names)
    sizing = check_sizing(ctx, root)
    risk = check_risk(ctx, root, sizing)
    finish_required(ctx)
    report = Report(fmt, capped(ctx.diagnostics, ctx.unlisted), root=root)
    if report.valid:
        # Both sections were read: they are None only when missing or not a mapping,
        # which is an error.
        report.model = build_model(
            metadata, indicators.valid, conditions, cast(dict[str, Any], sizing), cast(dict[str, Any], risk)
        )
        report.analysis = {"indicators": indicators.valid, "conditions": conditions, "names": names}
    return report


def _check_top_level_keys(ctx: Context, root: Node) -> None:
    for key, entry in root.value.items():
        if (
            key in keys.TOP_LEVEL
            or stray(ctx, key, entry, "", (key,))
            or not ctx.listable(("field.unknown",))
        ):
            continue
        suggestion = keys.SYNONYMS.get(key) or next(iter(ctx.closest(key, keys.TOP_LEVEL)), None)
        hint = (
            f"did you mean '{suggestion}'? " if suggestion else ""
        ) + "Unknown keys are ignored and dropped when the strategy is converted"
        ctx.warn("field.unknown", f"'{key}' is not a known top-level key", entry.key_pos, (key,), hint)
    for key in keys.REQUIRED_TOP_LEVEL:
        if present(root, key) is None:
            require(ctx, "", key, _missing_pos(root, key), (key,))


def _missing_pos(root: Node, key: str) -> Pos:
    entry = root.value.get(key)
    # A key written with no value is pointed at; a key not written at all is reported
    # at the document's start, its parent.
    return entry.key_pos if entry is not None else Pos(1, 1)


def _names(indicators: IndicatorReport) -> dict[str, SeriesInfo]:
    names = builtin_series()
    for indicator in indicators.valid:
        for info in series_of(indicator):
            names[info.name] = info
    return names


def _check_conditions(
    ctx: Context, root: Node, indicators: IndicatorReport, names: dict[str, SeriesInfo]
) -> dict[str, tuple[CheckedCondition, str]]:
    """Each condition written as a string, by role: its check and its text."""
    poisoned = frozenset(indicators.poisoned)
    checked: dict[str, tuple[CheckedCondition, Node]] = {}
    for role, key in CONDITION_KEYS.items():
        entry = present(root, key)
        if entry is None:
            continue
        node = entry.node
        if not (node.kind == "scalar" and isinstance(node.value, str)):
            ctx.error(
                "field.type",
                f"'{key}' must be a condition written as a string",
                node.pos,
                (key,),
                "for example: rsi_14 < 30 AND close > sma_50",
            )
            continue
        result = check_condition(node.value, names, role, poisoned)
        for issue in result.issues:
            # An empty condition is a value diagnostic: at the value's first character.
            pos = node.pos if issue.code == "condition.empty" else node.position_of(issue.offset)
            ctx.report(issue.severity, issue.code, issue.message, pos, (key,), issue.hint)
        checked[role] = (result, node)
    complete = len(checked) == 3 and all(r.ast is not None and not r.issues for r, _ in checked.values())
    if complete:
        check_logic(ctx, checked, indicators.valid, names)
    return {role: (result, node.value) for role, (result, node) in checked.items()}
