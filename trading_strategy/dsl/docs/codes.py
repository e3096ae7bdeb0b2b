"""Every diagnostic code the validator emits, with a failing example and its fix.

The reference page prints this registry and the tests run every example through the
validator, so a code, its example and the page cannot drift apart. Examples are small
edits of one valid base document: the edit is the mistake, and the base is the fix.
"""

from __future__ import annotations

from ..diagnostics import ERROR, WARNING
from .document_codes import DOCUMENT_CODES
from .examples import BASE_YAML, LONG_CONDITION, Code, extra_indicator, yaml_with

CODES: tuple[Code, ...] = (
    *DOCUMENT_CODES,
    # Indicators.
    Code(
        "indicator.unknown_type",
        ERROR,
        "An indicator type that is not in the catalog.",
        yaml_with(("type: rsi", "type: rsx")),
        BASE_YAML,
    ),
    Code(
        "indicator.invalid_name",
        ERROR,
        "An indicator name that is not an identifier of at most 50 characters.",
        yaml_with(extra_indicator("fast-ema")),
        yaml_with(extra_indicator("fast_ema")),
    ),
    Code(
        "indicator.duplicate_name",
        ERROR,
        "Two indicators share a name (ignoring case), or a name equals another indicator's output name.",
        yaml_with(extra_indicator("RSI_14", "rsi")),
        yaml_with(extra_indicator("rsi_7", "rsi")),
    ),
    Code(
        "indicator.reserved_name",
        ERROR,
        "An indicator named like an OHLCV series, a position variable or AND/OR/NOT.",
        yaml_with(extra_indicator("Close")),
        yaml_with(extra_indicator("close_ema")),
    ),
    Code(
        "indicator.unknown_parameter",
        ERROR,
        "A parameter the indicator does not take.",
        yaml_with(("period: 14", "length: 14")),
        BASE_YAML,
    ),
    Code(
        "indicator.duplicate_parameter",
        ERROR,
        "A parameter is given twice, under its name and under an alias.",
        yaml_with(("std_dev: 2\n", "std_dev: 2\n      multiplier: 2\n")),
        BASE_YAML,
    ),
    Code(
        "indicator.parameter_type",
        ERROR,
        "An integer parameter given a decimal or a string, or a decimal parameter given a string.",
        yaml_with(("period: 14", "period: 14.0")),
        BASE_YAML,
    ),
    Code(
        "indicator.parameter_range",
        ERROR,
        "A parameter outside its range, or a source that is not one of the choices.",
        yaml_with(("period: 14", "period: 1")),
        BASE_YAML,
    ),
    Code(
        "indicator.parameter_order",
        ERROR,
        "Two parameters are in the wrong order, defaults included (oversold must be "
        "below overbought, a short period below a long one).",
        yaml_with(("period: 14\n", "period: 14\n      oversold: 75\n")),
        yaml_with(("period: 14\n", "period: 14\n      oversold: 25\n")),
    ),
    # Conditions.
    Code(
        "condition.empty",
        ERROR,
        "A condition holds no expression.",
        yaml_with(("exit_conditions: rsi_14 > 70", 'exit_conditions: ""')),
        BASE_YAML,
    ),
    Code(
        "condition.syntax",
        ERROR,
        "A condition does not follow the grammar: a missing operand, an unclosed "
        "parenthesis, a chained comparison, or an operator of another language.",
        yaml_with(("rsi_14 > 70", "rsi_14 > 70 && close > open")),
        yaml_with(("rsi_14 > 70", "rsi_14 > 70 AND close > open")),
    ),
    Code(
        "condition.type",
        ERROR,
        "A number where a comparison belongs, or a comparison where a number belongs.",
        yaml_with(("rsi_14 > 70", "rsi_14")),
        BASE_YAML,
    ),
    Code(
        "condition.undefined_name",
        ERROR,
        "A name that is no indicator, indicator output, OHLCV series or position "
        "variable (names are case-sensitive).",
        yaml_with(("rsi_14 > 70", "rsi14 > 70")),
        BASE_YAML,
    ),
    Code(
        "condition.position_variable_in_entry",
        ERROR,
        "An entry condition uses a position variable, but no position is open yet.",
        yaml_with(("close < bb_20_lower", "close < bb_20_lower AND drawdown < 0.1")),
        BASE_YAML,
    ),
    Code(
        "condition.lookback",
        ERROR,
        f"A lookback above {1000} bars, on a number, or on a position variable.",
        yaml_with(("unrealized_pnl_pct < -0.05", "unrealized_pnl_pct[1] < -0.05")),
        BASE_YAML,
    ),
    Code(
        "condition.too_long",
        ERROR,
        "A condition is longer than 2,000 characters.",
        yaml_with(("exit_conditions: rsi_14 > 70", "exit_conditions: " + LONG_CONDITION)),
        BASE_YAML,
        shown=f"the base document with an exit condition of {len(LONG_CONDITION):,} characters",
    ),
    Code(
        "condition.too_deep",
        ERROR,
        "A condition nests more than 32 levels of parentheses, NOT and unary minus.",
        yaml_with(
            ("exit_conditions: rsi_14 > 70", "exit_conditions: " + "(" * 33 + "rsi_14 > 70" + ")" * 33)
        ),
        BASE_YAML,
    ),
    # Position sizing and risk.
    Code(
        "sizing.unknown_type",
        ERROR,
        "position_sizing type is not percentage, fixed_amount or risk_based.",
        yaml_with(("type: percentage", "type: percent")),
        BASE_YAML,
    ),
    Code(
        "sizing.range",
        ERROR,
        "A sizing field is outside its range.",
        yaml_with(("percentage_of_capital: 0.1", "percentage_of_capital: 10")),
        BASE_YAML,
    ),
    Code(
        "sizing.ignored_field",
        WARNING,
        "A field of another sizing type, which the chosen type ignores.",
        yaml_with(("percentage_of_capital: 0.1\n", "percentage_of_capital: 0.1\n  risk_per_trade: 0.01\n")),
        BASE_YAML,
    ),
    Code(
        "sizing.capped",
        WARNING,
        "percentage_of_capital is above max_position_size, so every trade is capped.",
        yaml_with(
            ("percentage_of_capital: 0.1\n", "percentage_of_capital: 0.1\n  max_position_size: 0.05\n")
        ),
        yaml_with(
            ("percentage_of_capital: 0.1\n", "percentage_of_capital: 0.05\n  max_position_size: 0.05\n")
        ),
    ),
    Code(
        "sizing.risk_without_stop",
        WARNING,
        "risk_based sizing without stop_loss_percentage: the risk per trade is unknown.",
        yaml_with(
            ("type: percentage\n  percentage_of_capital: 0.1", "type: risk_based\n  risk_per_trade: 0.01")
        ),
        yaml_with(
            ("type: percentage\n  percentage_of_capital: 0.1", "type: risk_based\n  risk_per_trade: 0.01"),
            ("max_drawdown: 0.1\n", "max_drawdown: 0.1\n  stop_loss_percentage: 0.02\n"),
        ),
    ),
    Code(
        "risk.range",
        ERROR,
        "A risk parameter is outside its range.",
        yaml_with(("max_drawdown: 0.1", "max_drawdown: 10")),
        BASE_YAML,
    ),
    Code(
        "risk.aggressive",
        WARNING,
        "max_daily_loss is above 0.05, or max_daily_loss plus max_drawdown is above 0.30.",
        yaml_with(("max_daily_loss: 0.02", "max_daily_loss: 0.08")),
        BASE_YAML,
    ),
    Code(
        "risk.daily_above_drawdown",
        WARNING,
        "max_daily_loss is above max_drawdown, so the daily limit can never act.",
        yaml_with(("max_drawdown: 0.1", "max_drawdown: 0.01")),
        BASE_YAML,
    ),
    Code(
        "risk.reward_below_risk",
        WARNING,
        "take_profit_percentage is below stop_loss_percentage.",
        yaml_with(
            (
                "max_drawdown: 0.1\n",
                "max_drawdown: 0.1\n  stop_loss_percentage: 0.04\n  take_profit_percentage: 0.02\n",
            )
        ),
        yaml_with(
            (
                "max_drawdown: 0.1\n",
                "max_drawdown: 0.1\n  stop_loss_percentage: 0.02\n  take_profit_percentage: 0.04\n",
            )
        ),
    ),
    # Logic across conditions and indicators.
    Code(
        "logic.unused_indicator",
        WARNING,
        "An indicator that no condition uses.",
        yaml_with(("rsi_14 < 30 AND close < bb_20_lower", "rsi_14 < 30")),
        BASE_YAML,
    ),
    Code(
        "logic.unsatisfiable",
        WARNING,
        "A comparison or AND chain that can never be true, given constants and the "
        "known bounds of the series.",
        yaml_with(("rsi_14 > 70", "rsi_14 > 170")),
        BASE_YAML,
    ),
    Code(
        "logic.always_true",
        WARNING,
        "A comparison or OR chain that is always true.",
        yaml_with(
            ("unrealized_pnl_pct < -0.05", "unrealized_pnl_pct < -0.05 OR unrealized_pnl_pct >= -0.05")
        ),
        BASE_YAML,
    ),
    Code(
        "logic.self_comparison",
        WARNING,
        "A series compared with itself at the same lookback.",
        yaml_with(("rsi_14 > 70", "rsi_14 > 70 OR close > close[0]")),
        BASE_YAML,
    ),
    Code(
        "logic.scale_mismatch",
        WARNING,
        "A price-scale series compared with a bounded oscillator, or two different "
        "oscillators compared with each other.",
        yaml_with(("rsi_14 > 70", "rsi_14 > 70 OR close > rsi_14")),
        BASE_YAML,
    ),
    Code(
        "logic.entry_equals_exit",
        WARNING,
        "The exit (or stop) condition is the entry condition, once normalised.",
        yaml_with(("exit_conditions: rsi_14 > 70", "exit_conditions: (bb_20_lower > close) AND 30 > rsi_14")),
        BASE_YAML,
    ),
    Code(
        "logic.exit_implied_by_entry",
        WARNING,
        "A branch of the exit (or stop) follows from the entry, so it fires on the bar the position opens.",
        yaml_with(("rsi_14 > 70", "rsi_14 > 70 OR close < bb_20_lower")),
        BASE_YAML,
    ),
)

BY_CODE = {code.code: code for code in CODES}
