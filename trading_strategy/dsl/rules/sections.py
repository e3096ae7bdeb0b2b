"""Metadata, position sizing and risk parameters (DSL.md §1, §4, §5, and their warnings)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..diagnostics import KeyPath
from ..limits import MAX_NAME_CHARS, MIN_NAME_CHARS
from ..nodes import Entry, Node, Pos
from . import fields, keys
from .context import Context, describe, present, require, stray, text_length

TIMEFRAMES = ("1m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w")
_PAIR = re.compile(r"^([A-Za-z0-9]{1,15})/([A-Za-z0-9]{1,15})$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}$"
)
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")

SIZING_TYPES = {
    "percentage": ("percentage_of_capital", Decimal("0.01"), Decimal("1.0")),
    "fixed_amount": ("fixed_amount", None, None),
    "risk_based": ("risk_per_trade", Decimal("0.001"), Decimal("0.10")),
}
FRACTION = (Decimal("0.01"), Decimal("1.0"))
RISK_FIELDS = {
    "max_daily_loss": FRACTION,
    "max_drawdown": FRACTION,
    "stop_loss_percentage": FRACTION,
    "take_profit_percentage": FRACTION,
}


def name_length(name: str) -> int:
    """The length DSL.md's name rule counts: characters after NFC normalisation, without
    the white space around the name (the store keeps it stripped)."""
    return text_length(name.strip())


def name_length_problem(name: str) -> tuple[str, str] | None:
    """Why `name` breaks the rule, as a message and a hint; None when it keeps it. The
    validator and the store (strategies/lifecycle.py) both ask, so they never disagree."""
    length = name_length(name)
    if MIN_NAME_CHARS <= length <= MAX_NAME_CHARS:
        return None
    if length == 0:
        hint = "write a name"
    elif length < MIN_NAME_CHARS:
        hint = f"lengthen it to at least {MIN_NAME_CHARS} characters"
    else:
        hint = f"shorten it to {MAX_NAME_CHARS} characters"
    return f"'name' must be {MIN_NAME_CHARS} to {MAX_NAME_CHARS} characters, not {length}", hint


def check_metadata(ctx: Context, root: Node) -> dict[str, str]:
    """Top-level scalars; returns the valid ones by key."""
    values: dict[str, str | None] = {}
    entry = present(root, "name")
    if entry and (name := fields.string(ctx, entry, "name", ("name",))) is not None:
        problem = name_length_problem(name)
        if problem is None:
            values["name"] = name
        else:
            ctx.error("name.length", problem[0], entry.node.pos, ("name",), problem[1])
    entry = present(root, "trading_pair")
    if entry and (pair := fields.string(ctx, entry, "trading_pair", ("trading_pair",))):
        values["trading_pair"] = _check_pair(ctx, entry, pair)
    entry = present(root, "timeframe")
    if entry and (frame := fields.string(ctx, entry, "timeframe", ("timeframe",))) is not None:
        values["timeframe"] = _check_timeframe(ctx, entry, frame)
    entry = present(root, "strategy_id")
    if entry and (slug := fields.string(ctx, entry, "strategy_id", ("strategy_id",))) is not None:
        if _SLUG.match(slug) or _UUID.match(slug):
            values["strategy_id"] = slug
        else:
            ctx.error(
                "field.format",
                f"'strategy_id' \"{slug}\" is neither a slug nor a UUID",
                entry.node.pos,
                ("strategy_id",),
                "use lowercase letters, digits, '-' and '_', starting with a letter or digit",
            )
    entry = present(root, "description")
    if entry and (text := fields.string(ctx, entry, "description", ("description",))) is not None:
        if text == "" or fields.max_length(
            ctx, entry, "description", text, 500, "field.length", ("description",)
        ):
            values["description"] = text
    entry = present(root, "version")
    if entry and (version := fields.string(ctx, entry, "version", ("version",))) is not None:
        if _SEMVER.match(version):
            values["version"] = version
        else:
            ctx.error(
                "field.format",
                f"'version' \"{version}\" is not MAJOR.MINOR.PATCH",
                entry.node.pos,
                ("version",),
                'write it like "1.0.0"',
            )
    return {key: value for key, value in values.items() if value is not None}


def _check_pair(ctx: Context, entry: Entry, pair: str) -> str | None:
    match = _PAIR.match(pair)
    if not match:
        ctx.error(
            "pair.format",
            f"'trading_pair' \"{pair}\" is not BASE/QUOTE",
            entry.node.pos,
            ("trading_pair",),
            'write two symbols of 1 to 15 letters or digits around a slash, like "BTC/USDT"',
        )
        return None
    if pair != pair.upper():
        ctx.warn(
            "pair.case",
            f"'trading_pair' \"{pair}\" has lowercase letters",
            entry.node.pos,
            ("trading_pair",),
            f'write "{pair.upper()}"',
        )
    return pair


def _check_timeframe(ctx: Context, entry: Entry, frame: str) -> str | None:
    if frame in TIMEFRAMES:
        return frame
    if frame.endswith("M") and frame[:-1].isdigit():
        hint = "months are not supported; the longest timeframe is 1w"
    elif frame.lower() in TIMEFRAMES:
        hint = f'write "{frame.lower()}"'
    else:
        hint = "use one of " + ", ".join(TIMEFRAMES)
    ctx.error(
        "timeframe.invalid",
        f"'timeframe' \"{frame}\" is not a supported timeframe",
        entry.node.pos,
        ("timeframe",),
        hint,
    )
    return None


def _section(ctx: Context, root: Node, key: str) -> Entry | None:
    """The entry of section `key` when it is a mapping, its unknown fields reported."""
    entry = present(root, key)
    if entry is None:
        return None
    if entry.node.kind != "map":
        ctx.error(
            "field.type",
            f"'{key}' must be a mapping of fields, not a single value",
            entry.node.pos,
            (key,),
            f"write the fields of '{key}' indented below it",
        )
        return None
    for name, item in entry.node.value.items():
        if (
            name not in keys.SECTIONS[key]
            and not stray(ctx, name, item, key, (key, name))
            and ctx.listable(("field.unknown", key))
        ):
            ctx.error(
                "field.unknown",
                f"'{name}' is not a field of '{key}'",
                item.key_pos,
                (key, name),
                _did_you_mean(ctx, name, keys.SECTIONS[key])
                or f"the fields of '{key}' are " + ", ".join(keys.SECTIONS[key]),
            )
    return entry


def _did_you_mean(ctx: Context, word: str, candidates: Iterable[str]) -> str | None:
    match = ctx.closest(word, candidates)
    return f"did you mean '{match[0]}'?" if match else None


def check_sizing(ctx: Context, root: Node) -> dict[str, Any] | None:
    entry = _section(ctx, root, "position_sizing")
    if entry is None:
        return None
    node = entry.node
    sizing: dict[str, Any] = {}
    type_entry = present(node, "type")
    kind: str | None = None
    if type_entry is None:
        require(ctx, "position_sizing", "type", entry.key_pos, ("position_sizing", "type"))
    elif type_entry.node.kind == "scalar" and type_entry.node.value in SIZING_TYPES:
        kind = sizing["type"] = type_entry.node.value
    else:
        ctx.error(
            "sizing.unknown_type",
            f"position sizing type {describe(type_entry.node)} is not known",
            type_entry.node.pos,
            ("position_sizing", "type"),
            "use one of: " + ", ".join(SIZING_TYPES),
        )
    for name, (field, low, high) in SIZING_TYPES.items():
        field_entry = present(node, field)
        path = ("position_sizing", field)
        if kind is not None and name != kind and field_entry is not None:
            ctx.warn(
                "sizing.ignored_field",
                f"'{field}' is ignored by '{kind}' sizing",
                field_entry.key_pos,
                path,
                f"remove '{field}', or use type '{name}'",
            )
            continue
        if name != kind:
            continue
        if field_entry is None:
            require(ctx, "position_sizing", field, entry.key_pos, path)
            continue
        value = fields.number(
            ctx,
            field_entry,
            field,
            path,
            low,
            high,
            "sizing.range",
            percent_hint=field == "percentage_of_capital",
        )
        if value is not None and field == "fixed_amount" and value <= 0:
            ctx.error(
                "sizing.range",
                f"'fixed_amount' is {value}; it must be above 0",
                field_entry.node.pos,
                path,
                "use an amount above 0",
            )
            value = None
        if value is not None:
            sizing[field] = value
    cap_entry = present(node, "max_position_size")
    if cap_entry is not None:
        cap = fields.number(
            ctx,
            cap_entry,
            "max_position_size",
            ("position_sizing", "max_position_size"),
            *FRACTION,
            "sizing.range",
            percent_hint=True,
        )
        if cap is not None:
            sizing["max_position_size"] = cap
    _sizing_warnings(ctx, node, sizing)
    return sizing


def _sizing_warnings(ctx: Context, node: Node, sizing: Mapping[str, Any]) -> None:
    share, cap = sizing.get("percentage_of_capital"), sizing.get("max_position_size")
    if share is not None and cap is not None and share > cap:
        ctx.warn(
            "sizing.capped",
            f"'percentage_of_capital' {share} is above 'max_position_size' {cap}",
            node.value["percentage_of_capital"].node.pos,
            ("position_sizing", "percentage_of_capital"),
            f"each trade is capped at {cap}; lower 'percentage_of_capital' to {cap}",
        )


def check_risk(ctx: Context, root: Node, sizing: Mapping[str, Any] | None) -> dict[str, Any] | None:
    entry = _section(ctx, root, "risk_parameters")
    if entry is None:
        return None
    node = entry.node
    risk: dict[str, Any] = {}
    for field, (low, high) in RISK_FIELDS.items():
        field_entry = present(node, field)
        path = ("risk_parameters", field)
        if field_entry is None:
            if field in ("max_daily_loss", "max_drawdown"):
                require(ctx, "risk_parameters", field, entry.key_pos, path)
            continue
        value = fields.number(ctx, field_entry, field, path, low, high, "risk.range", percent_hint=True)
        if value is not None:
            risk[field] = value
    field_entry = present(node, "max_concurrent_positions")
    if field_entry is not None:
        value = fields.number(
            ctx,
            field_entry,
            "max_concurrent_positions",
            ("risk_parameters", "max_concurrent_positions"),
            1,
            1000,
            "risk.range",
            integer=True,
        )
        if value is not None:
            risk["max_concurrent_positions"] = value
    _risk_warnings(ctx, root, node, risk, sizing)
    return risk


def _risk_warnings(
    ctx: Context, root: Node, node: Node, risk: Mapping[str, Any], sizing: Mapping[str, Any] | None
) -> None:
    def at(field: str) -> tuple[Pos, KeyPath]:
        return node.value[field].node.pos, ("risk_parameters", field)

    daily, drawdown = risk.get("max_daily_loss"), risk.get("max_drawdown")
    if daily is not None and daily > Decimal("0.05"):
        ctx.warn(
            "risk.aggressive",
            f"'max_daily_loss' {daily} risks more than 5 % a day",
            *at("max_daily_loss"),
            hint="keep 'max_daily_loss' at 0.05 or below",
        )
    elif daily is not None and drawdown is not None and daily + drawdown > Decimal("0.30"):
        ctx.warn(
            "risk.aggressive",
            f"'max_daily_loss' {daily} and 'max_drawdown' {drawdown} add up to "
            f"{daily + drawdown}, above 0.30",
            *at("max_drawdown"),
            hint="keep the two limits at 0.30 or below together",
        )
    if daily is not None and drawdown is not None and daily > drawdown:
        ctx.warn(
            "risk.daily_above_drawdown",
            f"'max_daily_loss' {daily} is above 'max_drawdown' {drawdown}, so the daily limit can never act",
            *at("max_daily_loss"),
            hint=f"lower 'max_daily_loss' to {drawdown} or less",
        )
    stop, take = risk.get("stop_loss_percentage"), risk.get("take_profit_percentage")
    if stop is not None and take is not None and take < stop:
        ctx.warn(
            "risk.reward_below_risk",
            f"'take_profit_percentage' {take} is below 'stop_loss_percentage' {stop}",
            *at("take_profit_percentage"),
            hint="each winning trade earns less than a losing one loses; raise the "
            "take profit or tighten the stop",
        )
    if sizing and sizing.get("type") == "risk_based" and stop is None:
        # Sizing was read, so its section is a mapping with a type.
        type_node = root.value["position_sizing"].node.value["type"].node
        ctx.warn(
            "sizing.risk_without_stop",
            "'risk_based' sizing needs 'stop_loss_percentage' to know the risk per trade",
            type_node.pos,
            ("position_sizing", "type"),
            "add 'stop_loss_percentage' to 'risk_parameters'",
        )
