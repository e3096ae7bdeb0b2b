"""DSL.md §2: indicator entries, their names, parameters and order rules."""

from __future__ import annotations

from trading_strategy.dsl.validator import validate

from .rules_helpers import BASE_TOML, BASE_YAML, at, check, edit, only


def yaml_with_indicator(entry: str, used: str = "x") -> str:
    """The base document with one more indicator entry (YAML lines, 4-space body)."""
    return edit(
        BASE_YAML,
        "entry_conditions: rsi_14 < 30 AND close > sma_50",
        entry + "entry_conditions: rsi_14 < 30 AND close > sma_50",
    )


def test_it_reports_an_unknown_indicator_type_at_its_value():
    text = edit(BASE_YAML, "type: sma", "type: smma")
    diagnostic = only(validate(text, "yaml"), "indicator.unknown_type")
    check(diagnostic, "indicator.unknown_type", "error", (9, 11), "indicators[1].type")
    assert "sma" in diagnostic.hint


def test_it_accepts_indicator_types_in_any_case():
    text = edit(BASE_YAML, "type: rsi", "type: RSI")
    report = validate(text, "yaml")
    assert report.diagnostics == [] and report.model["indicators"][0]["type"] == "rsi"


def test_it_reports_an_alias_type_as_its_canonical_type():
    text = yaml_with_indicator("  - type: bollinger_bands\n    name: bb_20\n    parameters: {}\n")
    text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: close > bb_20_upper")
    report = validate(text, "yaml")
    assert report.errors == []
    assert report.model["indicators"][2]["type"] == "bb"


def test_it_reports_an_indicator_name_that_is_not_an_identifier():
    text = edit(BASE_YAML, "name: sma_50", "name: 50sma")
    text = edit(text, "close > sma_50", "close > open")
    check(
        only(validate(text, "yaml"), "indicator.invalid_name"),
        "indicator.invalid_name",
        "error",
        (10, 11),
        "indicators[1].name",
    )


def test_a_too_long_indicator_name_does_not_cascade_into_undefined_names():
    long_name = "s" * 51
    text = edit(BASE_YAML, "name: sma_50", f"name: {long_name}")
    text = edit(text, "close > sma_50", f"close > {long_name}")
    check(only(validate(text, "yaml"), "indicator.invalid_name"), "indicator.invalid_name", "error", (10, 11))


def test_it_reports_a_duplicate_indicator_name_ignoring_case():
    text = edit(BASE_YAML, "name: sma_50", "name: RSI_14")
    report = validate(text, "yaml")
    duplicate = [d for d in report.diagnostics if d.code == "indicator.duplicate_name"]
    assert len(duplicate) == 1
    check(duplicate[0], "indicator.duplicate_name", "error", (10, 11), "indicators[1].name")
    assert all(d.code != "condition.undefined_name" or "sma_50" in d.message for d in report.diagnostics)


def test_it_reports_a_reserved_word_as_indicator_name_ignoring_case():
    for word in ("Close", "volume", "AND", "entry_price", "Drawdown"):
        text = edit(BASE_YAML, "name: sma_50", f"name: {word}")
        report = validate(text, "yaml")
        reserved = [d for d in report.diagnostics if d.code == "indicator.reserved_name"]
        assert len(reserved) == 1, word
        check(reserved[0], "indicator.reserved_name", "error", (10, 11), "indicators[1].name")


def test_a_reserved_indicator_name_does_not_cascade_into_undefined_names():
    text = edit(BASE_YAML, "name: sma_50", "name: Close")
    text = edit(text, "close > sma_50", "close > Close")
    check(
        only(validate(text, "yaml"), "indicator.reserved_name"),
        "indicator.reserved_name",
        "error",
        (10, 11),
        "indicators[1].name",
    )


def test_an_indicator_named_like_a_position_variable_keeps_the_entry_check():
    text = edit(BASE_YAML, "name: sma_50", "name: entry_price")
    text = edit(text, "close > sma_50", "close > entry_price")
    codes = sorted(d.code for d in validate(text, "yaml").diagnostics)
    assert codes == ["condition.position_variable_in_entry", "indicator.reserved_name"]


def test_it_reports_a_name_colliding_with_another_indicators_output():
    text = yaml_with_indicator(
        "  - type: bb\n    name: bb_20\n    parameters: {}\n"
        "  - type: sma\n    name: BB_20_upper\n    parameters: {}\n"
    )
    report = validate(text, "yaml")
    errors = report.errors
    assert [d.code for d in errors] == ["indicator.duplicate_name"]
    check(errors[0], "indicator.duplicate_name", "error", at(text, "BB_20_upper"), "indicators[3].name")


def test_it_reports_missing_parameters_at_the_indicator_entry():
    text = edit(BASE_YAML, "    parameters: {period: 50}\n", "")
    check(
        only(validate(text, "yaml"), "field.required"),
        "field.required",
        "error",
        (9, 5),
        "indicators[1].parameters",
    )


def test_it_accepts_empty_parameters_as_all_defaults():
    text = edit(BASE_YAML, "parameters: {period: 50}", "parameters: {}")
    report = validate(text, "yaml")
    assert report.diagnostics == [] and report.model["indicators"][1]["parameters"] == {}


def test_it_reports_an_unknown_parameter_at_its_key():
    text = edit(BASE_YAML, "parameters: {period: 50}", "parameters: {period: 50, lenght: 3}")
    check(
        only(validate(text, "yaml"), "indicator.unknown_parameter"),
        "indicator.unknown_parameter",
        "error",
        at(text, "lenght"),
        "indicators[1].parameters.lenght",
    )


def test_it_reports_an_unknown_parameter_of_an_indicator_without_parameters():
    text = yaml_with_indicator("  - type: obv\n    name: obv\n    parameters: {period: 3}\n")
    text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: obv > 0")
    check(
        only(validate(text, "yaml"), "indicator.unknown_parameter"),
        "indicator.unknown_parameter",
        "error",
        at(text, "period: 3"),
        "indicators[2].parameters.period",
    )


def test_it_reports_an_unknown_key_in_an_indicator_entry_as_an_error():
    text = edit(BASE_YAML, "    name: sma_50\n", "    name: sma_50\n    color: red\n")
    check(
        only(validate(text, "yaml"), "field.unknown"),
        "field.unknown",
        "error",
        (11, 5),
        "indicators[1].color",
    )


def test_it_accepts_a_parameter_alias_under_its_canonical_name():
    text = yaml_with_indicator("  - type: bb\n    name: bb_20\n    parameters: {multiplier: 2.5}\n")
    text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: close > bb_20")
    report = validate(text, "yaml")
    assert report.diagnostics == []
    assert report.model["indicators"][2]["parameters"] == {
        "std_dev": report.model["indicators"][2]["parameters"]["std_dev"]
    }
    assert str(report.model["indicators"][2]["parameters"]["std_dev"]) == "2.5"


def test_it_reports_an_alias_given_with_its_canonical_name():
    text = yaml_with_indicator(
        "  - type: bb\n    name: bb_20\n    parameters: {std_dev: 2, multiplier: 2.5}\n"
    )
    text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: close > bb_20")
    check(
        only(validate(text, "yaml"), "indicator.duplicate_parameter"),
        "indicator.duplicate_parameter",
        "error",
        at(text, "multiplier"),
        "indicators[2].parameters.multiplier",
    )


def test_it_reports_integer_parameter_written_as_decimal():
    text = edit(BASE_YAML, "period: 14", "period: 14.0")
    diagnostic = only(validate(text, "yaml"), "indicator.parameter_type")
    check(diagnostic, "indicator.parameter_type", "error", (8, 15), "indicators[0].parameters.period")
    assert "14" in diagnostic.hint


def test_it_reports_integer_parameter_written_as_string():
    text = edit(BASE_YAML, "period: 14", 'period: "14"')
    diagnostic = only(validate(text, "yaml"), "indicator.parameter_type")
    check(diagnostic, "indicator.parameter_type", "error", (8, 15))
    assert "14" in diagnostic.hint
    text = edit(BASE_TOML, "period = 14 }", "period = 14.0 }")
    diagnostic = only(validate(text, "toml"), "indicator.parameter_type")
    check(
        diagnostic, "indicator.parameter_type", "error", at(text, "14.0"), "indicators[0].parameters.period"
    )


def test_it_reports_a_boolean_integer_parameter():
    text = edit(BASE_YAML, "period: 14", "period: true")
    check(
        only(validate(text, "yaml"), "indicator.parameter_type"), "indicator.parameter_type", "error", (8, 15)
    )


def test_it_accepts_an_integer_for_a_decimal_parameter():
    text = yaml_with_indicator("  - type: cci\n    name: cci_20\n    parameters: {constant: 1}\n")
    text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: cci_20 > 100")
    assert validate(text, "yaml").diagnostics == []


def test_it_accepts_the_inclusive_bounds_of_a_parameter_range():
    for period in (2, 500):
        text = edit(BASE_YAML, "{period: 50}", f"{{period: {period}}}")
        assert validate(text, "yaml").diagnostics == [], period


def test_it_reports_a_parameter_outside_its_range():
    for period in (1, 501):
        text = edit(BASE_YAML, "{period: 50}", f"{{period: {period}}}")
        check(
            only(validate(text, "yaml"), "indicator.parameter_range"),
            "indicator.parameter_range",
            "error",
            (11, 26),
            "indicators[1].parameters.period",
        )


def test_it_reports_a_decimal_parameter_outside_its_range():
    text = yaml_with_indicator("  - type: bb\n    name: bb_20\n    parameters: {std_dev: 5.01}\n")
    text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: close > bb_20")
    check(
        only(validate(text, "yaml"), "indicator.parameter_range"),
        "indicator.parameter_range",
        "error",
        at(text, "5.01"),
    )


def test_it_reports_an_unknown_source():
    text = edit(BASE_YAML, "period: 14", "period: 14\n      source: typical")
    check(
        only(validate(text, "yaml"), "indicator.parameter_range"),
        "indicator.parameter_range",
        "error",
        at(text, "typical"),
        "indicators[0].parameters.source",
    )


def test_it_accepts_volume_as_source_of_a_moving_average_only():
    text = edit(BASE_YAML, "{period: 50}", "{period: 50, source: volume}")
    assert validate(text, "yaml").errors == []
    text = edit(BASE_YAML, "period: 14", "period: 14\n      source: volume")
    check(
        only(validate(text, "yaml"), "indicator.parameter_range"),
        "indicator.parameter_range",
        "error",
        at(text, "volume\n"),
    )


def test_it_reports_short_period_alone_against_the_default_long_period():
    text = yaml_with_indicator("  - type: macd\n    name: macd\n    parameters: {short_period: 30}\n")
    text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: macd > macd_signal")
    check(
        only(validate(text, "yaml"), "indicator.parameter_order"),
        "indicator.parameter_order",
        "error",
        at(text, "30}"),
        "indicators[2].parameters.short_period",
    )


def test_it_reports_a_long_period_alone_against_the_default_short_period():
    text = yaml_with_indicator("  - type: macd\n    name: macd\n    parameters: {slow_period: 12}\n")
    text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: macd > macd_signal")
    check(
        only(validate(text, "yaml"), "indicator.parameter_order"),
        "indicator.parameter_order",
        "error",
        at(text, "12}"),
        "indicators[2].parameters.slow_period",
    )


def test_it_reports_kama_fast_period_not_below_slow_period():
    text = yaml_with_indicator(
        "  - type: kama\n    name: kama\n    parameters: {fast_period: 40, slow_period: 40}\n"
    )
    text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: close > kama")
    check(
        only(validate(text, "yaml"), "indicator.parameter_order"),
        "indicator.parameter_order",
        "error",
        at(text, "40,"),
        "indicators[2].parameters.fast_period",
    )


def test_it_reports_oversold_not_below_overbought():
    cases = [
        ("rsi", "{oversold: 70, overbought: 70}", "70,"),
        ("stochastic", "{oversold: 85}", "85"),
        ("williams_r", "{oversold: -10}", "-10"),
    ]
    for kind, parameters, needle in cases:
        text = yaml_with_indicator(f"  - type: {kind}\n    name: osc\n    parameters: {parameters}\n")
        text = edit(
            text,
            "exit_conditions: rsi_14 > 70",
            "exit_conditions: osc > 50" if kind != "williams_r" else "exit_conditions: osc > -50",
        )
        check(
            only(validate(text, "yaml"), "indicator.parameter_order"),
            "indicator.parameter_order",
            "error",
            at(text, needle),
            "indicators[2].parameters.oversold",
        )


def test_it_treats_a_null_parameter_as_not_written():
    text = edit(BASE_YAML, "period: 14", "period: ~")
    report = validate(text, "yaml")
    assert report.diagnostics == []


def test_it_reports_an_indicator_entry_that_is_not_a_mapping():
    text = yaml_with_indicator("  - rsi_entry\n")
    check(
        only(validate(text, "yaml"), "field.type"),
        "field.type",
        "error",
        at(text, "rsi_entry"),
        "indicators[2]",
    )


def test_it_reports_indicators_that_are_not_a_list():
    report = validate(
        BASE_TOML.replace("[[indicators]]", "[indicators.x]", 1)
        .replace("[[indicators]]\n", "")
        .replace('type = "sma"\nname = "sma_50"\nparameters = { period = 50 }\n', ""),
        "toml",
    )
    assert any(d.code == "field.type" and d.path == "indicators" for d in report.diagnostics)


def test_it_accepts_an_empty_indicator_list():
    text = (
        "\n".join(line for line in BASE_YAML.splitlines()[:3])
        + "\nindicators: []\n"
        + "entry_conditions: close > open\nexit_conditions: close < open\n"
        + "\n".join(BASE_YAML.splitlines()[13:])
        + "\n"
    )
    assert validate(text, "yaml").diagnostics == []


def test_it_accepts_every_catalog_type_and_alias_with_defaults():
    from trading_strategy.dsl.catalog import type_names

    for type_name in type_names():
        text = yaml_with_indicator(f"  - type: {type_name}\n    name: probe\n    parameters: {{}}\n")
        text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: probe > 0")
        assert validate(text, "yaml").errors == [], type_name
