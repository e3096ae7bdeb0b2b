"""Which keys belong in which section, and where a stray key should have gone."""

from __future__ import annotations

TOP_LEVEL = (
    "name",
    "trading_pair",
    "timeframe",
    "indicators",
    "entry_conditions",
    "exit_conditions",
    "stop_conditions",
    "position_sizing",
    "risk_parameters",
    "strategy_id",
    "description",
    "version",
)
REQUIRED_TOP_LEVEL = TOP_LEVEL[:9]
INDICATOR_KEYS = ("type", "name", "parameters")
SIZING_KEYS = ("type", "percentage_of_capital", "fixed_amount", "risk_per_trade", "max_position_size")
RISK_KEYS = (
    "max_daily_loss",
    "max_drawdown",
    "stop_loss_percentage",
    "take_profit_percentage",
    "max_concurrent_positions",
)

SECTIONS = {
    "": TOP_LEVEL,
    "position_sizing": SIZING_KEYS,
    "risk_parameters": RISK_KEYS,
}

# Words traders reach for, mapped to the key the language uses.
SYNONYMS = {
    "risk_management": "risk_parameters",
    "risk": "risk_parameters",
    "sizing": "position_sizing",
    "position_size": "position_sizing",
    "entry": "entry_conditions",
    "entry_condition": "entry_conditions",
    "exit": "exit_conditions",
    "exit_condition": "exit_conditions",
    "stop": "stop_conditions",
    "stop_condition": "stop_conditions",
    "stop_loss": "stop_conditions",
    "pair": "trading_pair",
    "symbol": "trading_pair",
    "interval": "timeframe",
    "period": "timeframe",
    "indicator": "indicators",
}


def home_of(key: str, here: str) -> str | None:
    """The section `key` belongs to when it is not a key of section `here`.

    Keys that are valid in several sections (`type`, `name`) are never judged
    misplaced: nothing tells which one the writer meant.
    """
    homes = [section for section, keys in SECTIONS.items() if key in keys]
    if here in homes or key in INDICATOR_KEYS:
        return None
    return homes[0] if len(homes) == 1 else None


def section_label(section: str) -> str:
    return "the top level" if section == "" else f"'{section}'"
