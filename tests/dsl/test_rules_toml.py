"""DSL.md §1 and §7 for TOML: syntax, the scoping trap, positions at headers."""

from __future__ import annotations

import pytest

from trading_strategy.dsl.validator import validate

from .rules_helpers import BASE_TOML, at, check, edit, only

TRAP = """\
name = "RSI bounce"
trading_pair = "BTC/USDT"
timeframe = "1h"

[[indicators]]
type = "rsi"
name = "rsi_14"

[indicators.parameters]
period = 14

entry_conditions = "rsi_14 < 30"
exit_conditions = "rsi_14 > 70"
stop_conditions = "unrealized_pnl_pct < -0.05"

[position_sizing]
type = "percentage"
percentage_of_capital = 0.10

[risk_parameters]
max_daily_loss = 0.03
max_drawdown = 0.15
"""


def test_it_reports_top_level_keys_after_an_indicator_parameters_header_at_their_lines():
    report = validate(TRAP, "toml")
    assert [d.code for d in report.diagnostics] == ["toml.key_in_table"] * 3
    for diagnostic, line, key in zip(
        report.diagnostics, (12, 13, 14), ("entry", "exit", "stop"), strict=True
    ):
        check(
            diagnostic, "toml.key_in_table", "error", (line, 1), f"indicators[0].parameters.{key}_conditions"
        )
        assert "5" in diagnostic.hint  # the first table header's line


def test_it_reports_a_top_level_key_inside_an_indicator_table():
    text = edit(BASE_TOML, 'entry_conditions = "rsi_14 < 30 AND close > sma_50"\n', "")
    text = edit(
        text, 'name = "sma_50"\n', 'name = "sma_50"\nentry_conditions = "rsi_14 < 30 AND close > sma_50"\n'
    )
    check(
        only(validate(text, "toml"), "toml.key_in_table"),
        "toml.key_in_table",
        "error",
        at(text, "entry_conditions"),
        "indicators[1].entry_conditions",
    )


def test_it_reports_a_risk_limit_under_position_sizing_without_a_risk_header():
    text = edit(BASE_TOML, "[risk_parameters]\n", "")
    report = validate(text, "toml")
    assert [d.code for d in report.diagnostics] == ["toml.key_in_table"] * 2
    check(report.diagnostics[0], "toml.key_in_table", "error", (22, 1), "position_sizing.max_daily_loss")
    check(report.diagnostics[1], "toml.key_in_table", "error", (23, 1), "position_sizing.max_drawdown")


def test_it_reports_a_toml_syntax_error_at_its_line():
    text = edit(BASE_TOML, 'timeframe = "1h"', "timeframe = 1h")
    diagnostics = validate(text, "toml").diagnostics
    assert [d.code for d in diagnostics] == ["toml.syntax"]
    assert diagnostics[0].severity == "error" and diagnostics[0].line == 3


def test_it_reports_a_duplicate_toml_key():
    text = edit(BASE_TOML, 'timeframe = "1h"\n', 'timeframe = "1h"\ntimeframe = "4h"\n')
    diagnostics = validate(text, "toml").diagnostics
    assert len(diagnostics) == 1 and diagnostics[0].severity == "error"
    assert diagnostics[0].line == 4


def test_it_reports_an_unknown_toml_parameter_at_its_key():
    text = edit(BASE_TOML, "parameters = { period = 50 }", "parameters = { period = 50, lenght = 2 }")
    check(
        only(validate(text, "toml"), "indicator.unknown_parameter"),
        "indicator.unknown_parameter",
        "error",
        at(text, "lenght"),
        "indicators[1].parameters.lenght",
    )


def test_it_reports_a_missing_toml_parameters_table_at_the_indicator_header():
    text = edit(BASE_TOML, "parameters = { period = 50 }\n", "")
    check(
        only(validate(text, "toml"), "field.required"),
        "field.required",
        "error",
        (13, 1),
        "indicators[1].parameters",
    )


def test_it_reports_a_missing_toml_risk_limit_at_the_table_header():
    text = edit(BASE_TOML, "max_daily_loss = 0.03\n", "")
    # At the parent key, inside its `[risk_parameters]` header.
    check(
        only(validate(text, "toml"), "field.required"),
        "field.required",
        "error",
        (22, 2),
        "risk_parameters.max_daily_loss",
    )


def test_it_reports_a_toml_value_of_the_wrong_type():
    text = edit(BASE_TOML, "max_drawdown = 0.15", 'max_drawdown = "0.15"')
    diagnostic = only(validate(text, "toml"), "field.type")
    check(diagnostic, "field.type", "error", (24, 16), "risk_parameters.max_drawdown")
    assert diagnostic.hint


def test_it_accepts_toml_integer_and_float_forms():
    text = edit(BASE_TOML, "period = 50", "period = 5_0")
    text = edit(text, "max_drawdown = 0.15", "max_drawdown = 1.5e-1")
    report = validate(text, "toml")
    assert report.diagnostics == []
    assert report.model["indicators"][1]["parameters"]["period"] == 50


def test_it_rejects_toml_infinity_and_nan_as_numbers():
    for value in ("inf", "nan"):
        text = edit(BASE_TOML, "max_drawdown = 0.15", f"max_drawdown = {value}")
        check(only(validate(text, "toml"), "field.type"), "field.type", "error", (24, 16))


def test_it_reports_an_unknown_key_under_a_toml_indicator_header():
    text = edit(BASE_TOML, 'name = "sma_50"\n', 'name = "sma_50"\ncolour = "red"\n')
    check(
        only(validate(text, "toml"), "field.unknown"),
        "field.unknown",
        "error",
        at(text, "colour"),
        "indicators[1].colour",
    )


def test_it_reports_an_array_of_inline_indicator_tables_like_headers():
    text = """\
name = "xyz"
trading_pair = "BTC/USDT"
timeframe = "1h"
indicators = [
  { type = "rsi", name = "rsi_14", parameters = { period = 1 } },
]
entry_conditions = "rsi_14 < 30"
exit_conditions = "rsi_14 > 70"
stop_conditions = "drawdown > 0.1"
position_sizing = { type = "percentage", percentage_of_capital = 0.1 }
risk_parameters = { max_daily_loss = 0.03, max_drawdown = 0.15 }
"""
    check(
        only(validate(text, "toml"), "indicator.parameter_range"),
        "indicator.parameter_range",
        "error",
        at(text, "= 1 }")[:1] + (at(text, "= 1 }")[1] + 2,),
        "indicators[0].parameters.period",
    )


@pytest.mark.parametrize("number", ["0x" + "f" * 4000, "0o" + "7" * 5000, "0b" + "1" * 15000])
def test_it_reports_a_power_of_two_base_integer_too_long_to_print(number):
    report = validate(edit(BASE_TOML, "period = 14", f"period = {number}"), "toml")
    assert [d.code for d in report.diagnostics] == ["toml.syntax"]
