"""Every diagnostic code the validator emits, with a failing example and its fix.

The reference page prints this registry and the tests run every example through the
validator, so a code, its example and the page cannot drift apart. Examples are small
edits of one valid base document: the edit is the mistake, and the base is the fix.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import limits
from ..diagnostics import ERROR, WARNING


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    meaning: str
    example: str  # a complete document that triggers the code
    fix: str  # the same document corrected
    format: str = "yaml"  # the format the example is validated as
    fix_format: str | None = None  # when the fix changes the format itself
    # What the reference prints instead of an example too long to read.
    shown: str | None = None


BASE_YAML = """\
name: RSI dip buyer
trading_pair: BTC/USDT
timeframe: 1h
indicators:
  - type: rsi
    name: rsi_14
    parameters:
      period: 14
  - type: bb
    name: bb_20
    parameters:
      std_dev: 2
entry_conditions: rsi_14 < 30 AND close < bb_20_lower
exit_conditions: rsi_14 > 70
stop_conditions: unrealized_pnl_pct < -0.05
position_sizing:
  type: percentage
  percentage_of_capital: 0.1
risk_parameters:
  max_daily_loss: 0.02
  max_drawdown: 0.1
"""

BASE_TOML = """\
name = "RSI dip buyer"
trading_pair = "BTC/USDT"
timeframe = "1h"
entry_conditions = "rsi_14 < 30 AND close < bb_20_lower"
exit_conditions = "rsi_14 > 70"
stop_conditions = "unrealized_pnl_pct < -0.05"

[[indicators]]
type = "rsi"
name = "rsi_14"
[indicators.parameters]
period = 14

[[indicators]]
type = "bb"
name = "bb_20"
[indicators.parameters]
std_dev = 2

[position_sizing]
type = "percentage"
percentage_of_capital = 0.1

[risk_parameters]
max_daily_loss = 0.02
max_drawdown = 0.1
"""


def edit(base: str, *changes: tuple[str, str]) -> str:
    """`base` with each (old, new) text replaced; `old` must occur exactly once, so an
    example cannot silently stop matching when the base document changes."""
    for old, new in changes:
        if base.count(old) != 1:
            raise ValueError(f"{old!r} must occur exactly once in the base document")
        base = base.replace(old, new)
    return base


def _yaml(*changes: tuple[str, str]) -> str:
    return edit(BASE_YAML, *changes)


def _toml(*changes: tuple[str, str]) -> str:
    return edit(BASE_TOML, *changes)


# An indicator added after the base ones; the failing examples give it a bad name.
_EXTRA = "      std_dev: 2\n"


def _extra(name: str, type_: str = "ema") -> tuple[str, str]:
    return _EXTRA, _EXTRA + f"  - type: {type_}\n    name: {name}\n    parameters: {{}}\n"


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _many_indicators(count: int) -> str:
    """The base document grown to `count` indicators; the conditions use every one the
    validator reads (the first 100), so the only finding is the count itself."""
    extra = count - 2
    entries = "".join(f"  - {{type: obv, name: obv_{i}, parameters: {{}}}}\n"
                      for i in range(extra))
    used = " + ".join(f"obv_{i}" for i in range(limits.MAX_INDICATORS - 2))
    return _yaml((_EXTRA, _EXTRA + entries), ("rsi_14 > 70", f"rsi_14 > 70 OR {used} > 0"))


_ALIAS_BOMB = """\
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
"""

_LONG_DESCRIPTION = " ".join(["Buys dips."] * 46)
_LONG_CONDITION = " OR ".join(["rsi_14 > 70"] * 200)

CODES: tuple[Code, ...] = (
    # The document as a whole.
    Code("format.unknown", ERROR,
         "The format is neither yaml nor toml (nor a .yaml, .yml or .toml file).",
         BASE_YAML, BASE_YAML, format="json", fix_format="yaml",
         shown="the base document, validated with the format 'json'"),
    Code("document.empty", ERROR, "The document is empty or holds no settings.",
         "# a strategy will go here\n", BASE_YAML),
    Code("document.too_large", ERROR,
         f"The document is larger than {limits.MAX_DOCUMENT_BYTES // 1024} KiB; it is "
         "rejected before it is parsed.",
         BASE_YAML + "# " + "x" * limits.MAX_DOCUMENT_BYTES + "\n", BASE_YAML,
         shown="the base document followed by a comment of "
               f"{limits.MAX_DOCUMENT_BYTES:,} characters"),
    Code("document.too_deep", ERROR,
         f"Lists or mappings nest more than {limits.MAX_DEPTH} levels deep.",
         _yaml(("name: RSI dip buyer\n", "name: RSI dip buyer\nnotes: "
                + _nested(limits.MAX_DEPTH + 2) + "\n")), BASE_YAML),
    Code("yaml.syntax", ERROR,
         "The text is not well-formed YAML, or uses a tag that would build an object.",
         _yaml(("name: RSI dip buyer", 'name: "RSI dip buyer')), BASE_YAML),
    Code("yaml.root_not_mapping", ERROR,
         "The document is a list or a single value instead of a mapping of settings.",
         "- name: RSI dip buyer\n- trading_pair: BTC/USDT\n", BASE_YAML),
    Code("yaml.duplicate_key", ERROR, "The same key is written twice in one mapping.",
         _yaml(("timeframe: 1h\n", "timeframe: 1h\ntimeframe: 4h\n")), BASE_YAML),
    Code("yaml.alias_limit", ERROR,
         f"Aliases expand to more than {limits.MAX_ALIAS_VALUES:,} values, or an alias "
         "refers to itself.", _ALIAS_BOMB + BASE_YAML, BASE_YAML),
    Code("toml.syntax", ERROR, "The text is not well-formed TOML.",
         _toml(('timeframe = "1h"', 'timeframe = "1h')), BASE_TOML, format="toml"),
    Code("toml.key_in_table", ERROR,
         "A key is written below a table header it does not belong to: a top-level key "
         "inside [[indicators]] or [indicators.parameters], or a key of one section "
         "under another section's header.",
         _toml(('stop_conditions = "unrealized_pnl_pct < -0.05"\n', ""),
               ("period = 14\n",
                'period = 14\nstop_conditions = "unrealized_pnl_pct < -0.05"\n')),
         BASE_TOML, format="toml"),
    # Keys and values.
    Code("field.required", ERROR, "A required key is missing or has no value.",
         _yaml(("stop_conditions: unrealized_pnl_pct < -0.05\n", "")), BASE_YAML),
    Code("field.type", ERROR,
         "A value has the wrong type: a number where a string belongs, a single value "
         "where a mapping or list belongs.",
         _yaml(("name: RSI dip buyer", "name: 2024")),
         _yaml(("name: RSI dip buyer", 'name: "2024"'))),
    Code("field.unknown", ERROR,
         "A key that is not part of the language. Inside an indicator, position_sizing "
         "or risk_parameters it is an error (an ignored risk limit is unsafe); at the top "
         "level it is a warning and the key is dropped.",
         _yaml(("  max_drawdown: 0.1\n", "  max_drawdown: 0.1\n  max_daily_los: 0.03\n")),
         BASE_YAML),
    Code("field.range", ERROR,
         f"The document has more than {limits.MAX_INDICATORS} indicators.",
         _many_indicators(limits.MAX_INDICATORS + 1), BASE_YAML,
         shown=f"the base document with {limits.MAX_INDICATORS + 1} indicators"),
    Code("field.format", ERROR,
         "strategy_id is not a slug or UUID, or version is not MAJOR.MINOR.PATCH.",
         _yaml(("name: RSI dip buyer\n", "name: RSI dip buyer\nversion: '1.0'\n")),
         _yaml(("name: RSI dip buyer\n", "name: RSI dip buyer\nversion: 1.0.0\n"))),
    Code("field.length", ERROR, "description is longer than 500 characters.",
         _yaml(("name: RSI dip buyer\n", "name: RSI dip buyer\ndescription: "
                + _LONG_DESCRIPTION + "\n")),
         _yaml(("name: RSI dip buyer\n", "name: RSI dip buyer\ndescription: Buys dips.\n")),
         shown=f"the base document with a description of {len(_LONG_DESCRIPTION)} "
               "characters"),
    Code("name.length", ERROR, "name is empty or longer than 100 characters.",
         _yaml(("name: RSI dip buyer", "name: " + "RSI dip buyer " * 8)), BASE_YAML),
    Code("pair.format", ERROR,
         "trading_pair is not BASE/QUOTE with 1 to 15 letters or digits on each side.",
         _yaml(("BTC/USDT", "BTCUSDT")), BASE_YAML),
    Code("pair.case", WARNING,
         "trading_pair has lowercase letters; exchanges list pairs in uppercase.",
         _yaml(("BTC/USDT", "btc/usdt")), BASE_YAML),
    Code("timeframe.invalid", ERROR,
         "timeframe is not one of the supported timeframes (exact, case-sensitive).",
         _yaml(("timeframe: 1h", "timeframe: 1H")), BASE_YAML),
    # Indicators.
    Code("indicator.unknown_type", ERROR, "An indicator type that is not in the catalog.",
         _yaml(("type: rsi", "type: rsx")), BASE_YAML),
    Code("indicator.invalid_name", ERROR,
         "An indicator name that is not an identifier of at most 50 characters.",
         _yaml(_extra("fast-ema")), _yaml(_extra("fast_ema"))),
    Code("indicator.duplicate_name", ERROR,
         "Two indicators share a name (ignoring case), or a name equals another "
         "indicator's output name.",
         _yaml(_extra("RSI_14", "rsi")), _yaml(_extra("rsi_7", "rsi"))),
    Code("indicator.reserved_name", ERROR,
         "An indicator named like an OHLCV series, a position variable or AND/OR/NOT.",
         _yaml(_extra("Close")), _yaml(_extra("close_ema"))),
    Code("indicator.unknown_parameter", ERROR, "A parameter the indicator does not take.",
         _yaml(("period: 14", "length: 14")), BASE_YAML),
    Code("indicator.duplicate_parameter", ERROR,
         "A parameter is given twice, under its name and under an alias.",
         _yaml(("std_dev: 2\n", "std_dev: 2\n      multiplier: 2\n")), BASE_YAML),
    Code("indicator.parameter_type", ERROR,
         "An integer parameter given a decimal or a string, or a decimal parameter "
         "given a string.", _yaml(("period: 14", "period: 14.0")), BASE_YAML),
    Code("indicator.parameter_range", ERROR,
         "A parameter outside its range, or a source that is not one of the choices.",
         _yaml(("period: 14", "period: 1")), BASE_YAML),
    Code("indicator.parameter_order", ERROR,
         "Two parameters are in the wrong order, defaults included (oversold must be "
         "below overbought, a short period below a long one).",
         _yaml(("period: 14\n", "period: 14\n      oversold: 75\n")),
         _yaml(("period: 14\n", "period: 14\n      oversold: 25\n"))),
    # Conditions.
    Code("condition.empty", ERROR, "A condition holds no expression.",
         _yaml(("exit_conditions: rsi_14 > 70", 'exit_conditions: ""')), BASE_YAML),
    Code("condition.syntax", ERROR,
         "A condition does not follow the grammar: a missing operand, an unclosed "
         "parenthesis, a chained comparison, or an operator of another language.",
         _yaml(("rsi_14 > 70", "rsi_14 > 70 && close > open")),
         _yaml(("rsi_14 > 70", "rsi_14 > 70 AND close > open"))),
    Code("condition.type", ERROR,
         "A number where a comparison belongs, or a comparison where a number belongs.",
         _yaml(("rsi_14 > 70", "rsi_14")), BASE_YAML),
    Code("condition.undefined_name", ERROR,
         "A name that is no indicator, indicator output, OHLCV series or position "
         "variable (names are case-sensitive).",
         _yaml(("rsi_14 > 70", "rsi14 > 70")), BASE_YAML),
    Code("condition.position_variable_in_entry", ERROR,
         "An entry condition uses a position variable, but no position is open yet.",
         _yaml(("close < bb_20_lower", "close < bb_20_lower AND drawdown < 0.1")),
         BASE_YAML),
    Code("condition.lookback", ERROR,
         f"A lookback above {1000} bars, on a number, or on a position variable.",
         _yaml(("unrealized_pnl_pct < -0.05", "unrealized_pnl_pct[1] < -0.05")),
         BASE_YAML),
    Code("condition.too_long", ERROR, "A condition is longer than 2,000 characters.",
         _yaml(("exit_conditions: rsi_14 > 70", "exit_conditions: " + _LONG_CONDITION)),
         BASE_YAML, shown="the base document with an exit condition of "
         f"{len(_LONG_CONDITION):,} characters"),
    Code("condition.too_deep", ERROR,
         "A condition nests more than 32 levels of parentheses, NOT and unary minus.",
         _yaml(("exit_conditions: rsi_14 > 70",
                "exit_conditions: " + "(" * 33 + "rsi_14 > 70" + ")" * 33)), BASE_YAML),
    # Position sizing and risk.
    Code("sizing.unknown_type", ERROR,
         "position_sizing type is not percentage, fixed_amount or risk_based.",
         _yaml(("type: percentage", "type: percent")), BASE_YAML),
    Code("sizing.range", ERROR, "A sizing field is outside its range.",
         _yaml(("percentage_of_capital: 0.1", "percentage_of_capital: 10")), BASE_YAML),
    Code("sizing.ignored_field", WARNING,
         "A field of another sizing type, which the chosen type ignores.",
         _yaml(("percentage_of_capital: 0.1\n",
                "percentage_of_capital: 0.1\n  risk_per_trade: 0.01\n")), BASE_YAML),
    Code("sizing.capped", WARNING,
         "percentage_of_capital is above max_position_size, so every trade is capped.",
         _yaml(("percentage_of_capital: 0.1\n",
                "percentage_of_capital: 0.1\n  max_position_size: 0.05\n")),
         _yaml(("percentage_of_capital: 0.1\n",
                "percentage_of_capital: 0.05\n  max_position_size: 0.05\n"))),
    Code("sizing.risk_without_stop", WARNING,
         "risk_based sizing without stop_loss_percentage: the risk per trade is unknown.",
         _yaml(("type: percentage\n  percentage_of_capital: 0.1",
                "type: risk_based\n  risk_per_trade: 0.01")),
         _yaml(("type: percentage\n  percentage_of_capital: 0.1",
                "type: risk_based\n  risk_per_trade: 0.01"),
               ("max_drawdown: 0.1\n", "max_drawdown: 0.1\n  stop_loss_percentage: 0.02\n"))),
    Code("risk.range", ERROR, "A risk parameter is outside its range.",
         _yaml(("max_drawdown: 0.1", "max_drawdown: 10")), BASE_YAML),
    Code("risk.aggressive", WARNING,
         "max_daily_loss is above 0.05, or max_daily_loss plus max_drawdown is above 0.30.",
         _yaml(("max_daily_loss: 0.02", "max_daily_loss: 0.08")), BASE_YAML),
    Code("risk.daily_above_drawdown", WARNING,
         "max_daily_loss is above max_drawdown, so the daily limit can never act.",
         _yaml(("max_drawdown: 0.1", "max_drawdown: 0.01")), BASE_YAML),
    Code("risk.reward_below_risk", WARNING,
         "take_profit_percentage is below stop_loss_percentage.",
         _yaml(("max_drawdown: 0.1\n", "max_drawdown: 0.1\n  stop_loss_percentage: 0.04\n"
                "  take_profit_percentage: 0.02\n")),
         _yaml(("max_drawdown: 0.1\n", "max_drawdown: 0.1\n  stop_loss_percentage: 0.02\n"
                "  take_profit_percentage: 0.04\n"))),
    # Logic across conditions and indicators.
    Code("logic.unused_indicator", WARNING, "An indicator that no condition uses.",
         _yaml(("rsi_14 < 30 AND close < bb_20_lower", "rsi_14 < 30")), BASE_YAML),
    Code("logic.unsatisfiable", WARNING,
         "A comparison or AND chain that can never be true, given constants and the "
         "known bounds of the series.",
         _yaml(("rsi_14 > 70", "rsi_14 > 170")), BASE_YAML),
    Code("logic.always_true", WARNING,
         "A comparison or OR chain that is always true.",
         _yaml(("unrealized_pnl_pct < -0.05",
                "unrealized_pnl_pct < -0.05 OR unrealized_pnl_pct >= -0.05")), BASE_YAML),
    Code("logic.self_comparison", WARNING,
         "A series compared with itself at the same lookback.",
         _yaml(("rsi_14 > 70", "rsi_14 > 70 OR close > close[0]")), BASE_YAML),
    Code("logic.scale_mismatch", WARNING,
         "A price-scale series compared with a bounded oscillator, or two different "
         "oscillators compared with each other.",
         _yaml(("rsi_14 > 70", "rsi_14 > 70 OR close > rsi_14")), BASE_YAML),
    Code("logic.entry_equals_exit", WARNING,
         "The exit (or stop) condition is the entry condition, once normalised.",
         _yaml(("exit_conditions: rsi_14 > 70",
                "exit_conditions: (bb_20_lower > close) AND 30 > rsi_14")), BASE_YAML),
    Code("logic.exit_implied_by_entry", WARNING,
         "A branch of the exit (or stop) follows from the entry, so it fires on the bar "
         "the position opens.",
         _yaml(("rsi_14 > 70", "rsi_14 > 70 OR close < bb_20_lower")), BASE_YAML),
)

BY_CODE = {code.code: code for code in CODES}
