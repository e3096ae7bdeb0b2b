"""Logic checks across conditions and indicators (DSL.md §6), as warnings."""
from __future__ import annotations

from .context import Context, present
from .indicators import ResolvedIndicator


def check_logic(ctx: Context, checked: dict, indicators: list[ResolvedIndicator], names):
    """`checked` maps a role to (CheckedCondition, its node); every condition parsed."""
    _check_unused(ctx, checked, indicators)


def _check_unused(ctx, checked, indicators):
    used = {name for result, _ in checked.values() for name in result.names_used}
    for indicator in indicators:
        if indicator.name in used or used.intersection(indicator.output_names):
            continue
        ctx.warn("logic.unused_indicator",
                 f"indicator '{indicator.name}' is not used by any condition",
                 indicator.name_pos, ("indicators", indicator.index, "name"),
                 f"use {indicator.name} in a condition or remove it")
