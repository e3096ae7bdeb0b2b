"""Indicator entries (DSL.md §2): type, name, parameters, order rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from .. import catalog, limits, lookbacks
from ..conditions.names import OHLCV, POSITION_VARIABLES
from ..nodes import Entry, Node, Pos, TreePath
from . import fields, keys
from .context import Context, describe, is_number, present, stray

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RESERVED = frozenset(word.lower() for word in (*OHLCV, *POSITION_VARIABLES, "and", "or", "not"))


@dataclass
class ResolvedIndicator:
    """A valid indicator entry with every parameter filled in."""

    name: str
    spec: catalog.Indicator
    # Parameter values by canonical name: an int, a Decimal or a source name, by the
    # parameter's kind.
    parameters: dict[str, Any] = field(default_factory=dict)  # as written
    effective: dict[str, Any] = field(default_factory=dict)  # defaults filled in
    index: int = 0
    # The node of the name as written: its position is read only for a warning.
    name_node: Node | None = None

    @property
    def name_pos(self) -> Pos | None:
        return None if self.name_node is None else self.name_node.pos

    @property
    def output_names(self) -> tuple[str, ...]:
        return tuple(f"{self.name}_{output}" for output in self.spec.outputs)

    def lookback(self) -> int:
        """Bars before the first value of every output (dsl/lookbacks.py)."""
        return lookbacks.lookback(self.spec.type, self.effective)


@dataclass
class IndicatorReport:
    valid: list[ResolvedIndicator] = field(default_factory=list)
    # Names of entries that exist but are broken: conditions naming them are not
    # reported again (one mistake, one error).
    poisoned: set[str] = field(default_factory=set)
    # Every name an entry declared (valid or not), for the collision checks.
    declared: dict[str, str] = field(default_factory=dict)
    # (name, its entry, the indicator's index) for every well-formed name.
    written: list[tuple[str, Entry, int]] = field(default_factory=list)


def check_indicators(ctx: Context, root: Node) -> IndicatorReport:
    report = IndicatorReport()
    entry = present(root, "indicators")
    if entry is None:
        return report
    node = entry.node
    if node.kind != "seq":
        ctx.error(
            "field.type",
            "'indicators' must be a list of indicator entries",
            node.pos,
            ("indicators",),
            "write each indicator as a list item starting with '-'"
            if ctx.fmt == "yaml"
            else "write each indicator under an [[indicators]] header",
        )
        return report
    if len(node.value) > limits.MAX_INDICATORS:
        ctx.error(
            "field.range",
            f"{len(node.value)} indicators; at most {limits.MAX_INDICATORS} are allowed",
            node.pos,
            ("indicators",),
            "remove indicators that no condition needs",
        )
    for index, item in enumerate(node.value[: limits.MAX_INDICATORS]):
        _check_entry(ctx, item, index, report)
    _check_output_collisions(ctx, report)
    return report


def _check_output_collisions(ctx: Context, report: IndicatorReport) -> None:
    """`bb_20_upper` cannot name an indicator when `bb_20` is a bb: both would be
    `bb_20_upper` in a condition."""
    outputs = {output.lower(): indicator for indicator in report.valid for output in indicator.output_names}
    for name, entry, index in report.written:
        owner = outputs.get(name.lower())
        if owner is None or owner.name == name:
            continue
        ctx.error(
            "indicator.duplicate_name",
            f"indicator name '{name}' is already an output of {owner.spec.type} '{owner.name}'",
            entry.node.pos,
            ("indicators", index, "name"),
            "give this indicator another name",
        )
        report.valid = [i for i in report.valid if i.name != name]
        report.poisoned.add(name)


def _check_entry(ctx: Context, item: Node, index: int, report: IndicatorReport) -> None:
    path = ("indicators", index)
    if item.kind != "map":
        ctx.error(
            "field.type",
            "an indicator entry must be a mapping with type, name and parameters",
            item.pos,
            path,
        )
        return
    for key, entry in item.value.items():
        if (
            key not in keys.INDICATOR_KEYS
            and not stray(ctx, key, entry, "indicator", (*path, key))
            and ctx.listable(("field.unknown", *path))
        ):
            match = ctx.closest(key, keys.INDICATOR_KEYS)
            ctx.error(
                "field.unknown",
                f"'{key}' is not a field of an indicator",
                entry.key_pos,
                (*path, key),
                f"did you mean '{match[0]}'?" if match else "an indicator has only type, name and parameters",
            )
    name = _check_name(ctx, item, path, report)
    spec = _check_type(ctx, item, path)
    parameters_entry = present(item, "parameters")
    parameters = None
    if parameters_entry is None:
        ctx.error(
            "field.required",
            "'parameters' is required in an indicator",
            item.pos,
            (*path, "parameters"),
            "write 'parameters: {}' to use every default"
            if ctx.fmt == "yaml"
            else "write 'parameters = {}' to use every default",
        )
    elif parameters_entry.node.kind != "map":
        ctx.error(
            "field.type", "'parameters' must be a mapping", parameters_entry.node.pos, (*path, "parameters")
        )
    else:
        parameters = parameters_entry.node
    written = None
    if spec is not None and parameters is not None:
        written = _check_parameters(ctx, spec, parameters, (*path, "parameters"))
    if name is None:
        return
    if spec is None or parameters is None or written is None:
        report.poisoned.add(name)
        return
    effective: dict[str, Any] = {p.name: written.get(p.name, p.default) for p in spec.parameters}
    if spec.type == "ema" and effective.get("smoothing") is None:
        effective["smoothing"] = Decimal(2) / (Decimal(effective["period"]) + 1)
    if not _check_order(ctx, spec, written, effective, parameters, (*path, "parameters")):
        report.poisoned.add(name)
        return
    report.valid.append(ResolvedIndicator(name, spec, written, effective, index, item.value["name"].node))


def _check_name(ctx: Context, item: Node, path: tuple[str, int], report: IndicatorReport) -> str | None:
    entry = present(item, "name")
    if entry is None:
        ctx.error(
            "field.required",
            "'name' is required in an indicator",
            item.pos,
            (*path, "name"),
            "name it like rsi_14, to use it in conditions",
        )
        return None
    node = entry.node
    name = node.value if isinstance(node.value, str) else None
    if name is None or not _IDENTIFIER.match(name) or len(name) > 50:
        _poison(report, name)
        ctx.error(
            "indicator.invalid_name",
            f"indicator name {describe(node)} is not a valid name",
            node.pos,
            (*path, "name"),
            "start with a letter or '_', then letters, digits or '_', at most 50 characters, like rsi_14",
        )
        return None
    folded = name.lower()
    if folded in RESERVED:
        _poison(report, name)
        ctx.error(
            "indicator.reserved_name",
            f"indicator name '{name}' is a reserved word",
            node.pos,
            (*path, "name"),
            f"choose another name, like {folded}_ind",
        )
        return None
    owner = report.declared.get(folded)
    if owner is not None:
        ctx.error(
            "indicator.duplicate_name",
            f"indicator name '{name}' is already used by {owner}",
            node.pos,
            (*path, "name"),
            "give each indicator its own name",
        )
        return None
    report.declared[folded] = f"indicator '{name}'"
    report.written.append((name, entry, path[1]))
    return name


def _poison(report: IndicatorReport, name: str | None) -> None:
    """A rejected name that conditions could still use: they are not told it is undefined
    (one mistake, one error). Built-in names keep their own checks."""
    if name and _IDENTIFIER.match(name) and name not in (*OHLCV, *POSITION_VARIABLES):
        report.poisoned.add(name)


def _check_type(ctx: Context, item: Node, path: TreePath) -> catalog.Indicator | None:
    entry = present(item, "type")
    if entry is None:
        ctx.error(
            "field.required",
            "'type' is required in an indicator",
            item.pos,
            (*path, "type"),
            "for example: type: rsi",
        )
        return None
    value = entry.node.value if entry.node.kind == "scalar" else None
    spec = catalog.lookup(value) if isinstance(value, str) else None
    if spec is None:
        match = ctx.closest(str(value).lower(), catalog.type_names()) if value is not None else []
        ctx.error(
            "indicator.unknown_type",
            f"indicator type {describe(entry.node)} is not known",
            entry.node.pos,
            (*path, "type"),
            f"did you mean '{match[0]}'?"
            if match
            else "see the list of indicator types in the DSL reference",
        )
    return spec


def _check_parameters(
    ctx: Context, spec: catalog.Indicator, node: Node, path: TreePath
) -> dict[str, Any] | None:
    """Parameters as written, under canonical names; None if any is wrong."""
    written: dict[str, Any] = {}
    where: dict[str, str] = {}
    ok = True
    for key, entry in node.value.items():
        parameter = spec.parameter(key)
        if parameter is None:
            if not stray(ctx, key, entry, "parameters", (*path, key)) and ctx.listable(
                ("indicator.unknown_parameter", *path)
            ):
                names = [p.name for p in spec.parameters]
                match = ctx.closest(key, [*names, *(a for p in spec.parameters for a in p.aliases)])
                ctx.error(
                    "indicator.unknown_parameter",
                    f"'{key}' is not a parameter of {spec.type}",
                    entry.key_pos,
                    (*path, key),
                    f"did you mean '{match[0]}'?"
                    if match
                    else (
                        f"{spec.type} takes: {', '.join(names)}"
                        if names
                        else f"{spec.type} takes no parameters; write parameters: {{}}"
                    ),
                )
            ok = False
            continue
        if parameter.name in where:
            ctx.error(
                "indicator.duplicate_parameter",
                f"'{key}' and '{where[parameter.name]}' set the same parameter of {spec.type}",
                entry.key_pos,
                (*path, key),
                f"keep only '{parameter.name}'",
            )
            ok = False
            continue
        where[parameter.name] = key
        if entry.node.kind == "scalar" and entry.node.value is None:
            continue  # a null value counts as not written: the default applies
        value = _check_value(ctx, spec, parameter, entry, (*path, key))
        if value is None:
            ok = False
        else:
            written[parameter.name] = value
    return written if ok else None


def _check_value(
    ctx: Context, spec: catalog.Indicator, parameter: catalog.Parameter, entry: Entry, path: TreePath
) -> Decimal | int | str | None:
    """The value of `entry` when `parameter` takes it, else None (after reporting why)."""
    node, value = entry.node, entry.node.value
    label = f"{spec.type} parameter '{path[-1]}'"
    if parameter.kind == "source":
        if value in parameter.choices:
            source: str = value  # one of the choices
            return source
        ctx.error(
            "indicator.parameter_range",
            f"{label} is {describe(node)}; it must be one of " + ", ".join(parameter.choices),
            node.pos,
            path,
            "use one of: " + ", ".join(parameter.choices),
        )
        return None
    integer = parameter.kind == "int"
    if not is_number(value) or (integer and not isinstance(value, int)):
        ctx.error(
            "indicator.parameter_type",
            f"{label} must be {'an integer' if integer else 'a number'}, not {describe(node)}",
            node.pos,
            path,
            fields.number_hint(value, integer),
        )
        return None
    if not parameter.low <= value <= parameter.high:
        ctx.error(
            "indicator.parameter_range",
            f"{label} is {value}; it must be between {parameter.low} and {parameter.high}",
            node.pos,
            path,
            f"use a value from {parameter.low} to {parameter.high} (default {parameter.describe_default()})",
        )
        return None
    number: Decimal | int = value  # a number, by the checks above
    return number


def _check_order(
    ctx: Context,
    spec: catalog.Indicator,
    written: dict[str, Any],
    effective: dict[str, Any],
    node: Node,
    path: TreePath,
) -> bool:
    for smaller, larger in spec.order:
        if effective[smaller] < effective[larger]:
            continue
        blamed = smaller if smaller in written else larger
        # Every key is one of the parameters: the order is checked only when they all are.
        key = next(
            (k for k in node.value if cast(catalog.Parameter, spec.parameter(k)).name == blamed), blamed
        )
        entry = node.value.get(key)
        pos = entry.node.pos if entry else node.pos
        ctx.error(
            "indicator.parameter_order",
            f"{spec.type} '{smaller}' ({effective[smaller]}) must be below '{larger}' ({effective[larger]})",
            pos,
            (*path, key),
            f"make '{smaller}' smaller than '{larger}'",
        )
        return False
    return True
