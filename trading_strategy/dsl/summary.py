"""Test syntax (DSL.md §8): what a valid strategy will do, in words a trader reads.

The summary is plain JSON-ready data, shared by the CLI, the API and the editor.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .conditions import POSITION_VARIABLES, Series, explain, normalize, walk
from .rules.indicators import ResolvedIndicator
from .validator import Report

_ROLE_WORDS = {"entry": "Enter when", "exit": "Exit when", "stop": "Stop out when"}


def summarize(report: Report) -> dict[str, Any] | None:
    if not report.valid:
        return None
    model, analysis = report.model, report.analysis
    assert model is not None and analysis is not None, "validate() sets both when valid"
    indicators = analysis["indicators"]
    conditions = analysis["conditions"]
    names = analysis["names"]
    return {
        "name": model["name"],
        "trading_pair": model["trading_pair"],
        "timeframe": model["timeframe"],
        "indicators": [_indicator(indicator) for indicator in indicators],
        "conditions": {
            role: {
                "text": text,
                "normalized": normalize(result.ast),
                "explanation": f"{_ROLE_WORDS[role]} {explain(result.ast, names)}",
                "names": list(result.names_used),
                "lookback": result.max_lookback,
            }
            for role, (result, text) in conditions.items()
        },
        "warmup_bars": warmup_bars(indicators, [result.ast for result, _ in conditions.values()]),
        "position_sizing": sizing_words(model["position_sizing"]),
        "risk": risk_words(model["risk_parameters"]),
        "warnings": [d.as_dict() for d in report.warnings],
    }


def warmup_bars(indicators: list[ResolvedIndicator], trees: list[Any]) -> int:
    """The first bar on which every series the conditions read, at every lookback they
    read it, has a value (PREVIEW.md §5): position variables aside, they exist only in a
    trade."""
    lookback = {}
    for indicator in indicators:
        for name in (indicator.name, *indicator.output_names):
            lookback[name] = indicator.lookback()
    return max(
        (
            lookback.get(node.name, 0) + node.lookback
            for tree in trees
            for node in walk(tree)
            if isinstance(node, Series) and node.name not in POSITION_VARIABLES
        ),
        default=0,
    )


def _indicator(indicator: ResolvedIndicator) -> dict[str, Any]:
    spec = indicator.spec
    return {
        "name": indicator.name,
        "type": spec.type,
        "title": spec.title,
        "parameters": {key: _plain(value) for key, value in indicator.effective.items()},
        "defaults": [p.name for p in spec.parameters if p.name not in indicator.parameters],
        "outputs": list(indicator.output_names),
    }


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        # A derived default such as ema's 2/(period+1) would print 28 digits. Parameter
        # values are finite, so the exponent is a number (not "n", "N" or "F").
        exponent = value.as_tuple().exponent
        return (
            format(value.quantize(Decimal("0.0001")).normalize(), "f")
            if isinstance(exponent, int) and exponent < -6
            else format(value, "f")
        )
    return value


def percent(value: Decimal | int) -> str:
    return f"{format((Decimal(value) * 100).normalize(), 'f')} %"


def sizing_words(sizing: Mapping[str, Any]) -> str:
    kind = sizing["type"]
    if kind == "percentage":
        words = f"Each trade uses {percent(sizing['percentage_of_capital'])} of the capital"
    elif kind == "fixed_amount":
        words = (
            f"Each trade uses a fixed {format(Decimal(sizing['fixed_amount']), 'f')} of the quote currency"
        )
    else:
        words = (
            f"Each trade risks {percent(sizing['risk_per_trade'])} of the capital, sized from the stop loss"
        )
    if "max_position_size" in sizing:
        words += f"; open positions hold at most {percent(sizing['max_position_size'])} of the capital"
    return words + "."


def risk_words(risk: Mapping[str, Any]) -> list[str]:
    words = [
        f"Trading stops for the day after a loss of {percent(risk['max_daily_loss'])}.",
        f"Trading stops at a drawdown of {percent(risk['max_drawdown'])}.",
    ]
    if "stop_loss_percentage" in risk:
        words.append(f"Each position is closed at a loss of {percent(risk['stop_loss_percentage'])}.")
    if "take_profit_percentage" in risk:
        words.append(f"Each position takes profit at {percent(risk['take_profit_percentage'])}.")
    if "max_concurrent_positions" in risk:
        count = risk["max_concurrent_positions"]
        words.append(f"At most {count} position{'s' if count != 1 else ''} open at once.")
    return words
