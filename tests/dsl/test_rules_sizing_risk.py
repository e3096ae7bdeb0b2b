"""DSL.md §4, §5 and the risk and sizing warnings of §6, in both formats."""

from __future__ import annotations

from trading_strategy.dsl.validator import validate

from .rules_helpers import BASE_TOML, BASE_YAML, check, edit, only

SIZING = "position_sizing:\n  type: percentage\n  percentage_of_capital: 0.10\n"
RISK = "risk_parameters:\n  max_daily_loss: 0.03\n  max_drawdown: 0.15\n"


def sizing(body: str) -> str:
    return edit(BASE_YAML, SIZING, "position_sizing:\n" + body)


def risk(body: str) -> str:
    return edit(BASE_YAML, RISK, "risk_parameters:\n" + body)


def test_it_reports_a_missing_sizing_type_at_the_section_key():
    text = sizing("  percentage_of_capital: 0.10\n")
    diagnostics = validate(text, "yaml").diagnostics
    assert [d.code for d in diagnostics] == ["field.required"]
    check(diagnostics[0], "field.required", "error", (15, 1), "position_sizing.type")


def test_it_reports_an_unknown_sizing_type_at_its_value():
    text = sizing("  type: kelly\n  percentage_of_capital: 0.10\n")
    diagnostic = only(validate(text, "yaml"), "sizing.unknown_type")
    check(diagnostic, "sizing.unknown_type", "error", (16, 9), "position_sizing.type")
    assert all(kind in diagnostic.hint for kind in ("percentage", "fixed_amount", "risk_based"))


def test_it_reports_a_missing_percentage_of_capital():
    text = sizing("  type: percentage\n")
    check(
        only(validate(text, "yaml"), "field.required"),
        "field.required",
        "error",
        (15, 1),
        "position_sizing.percentage_of_capital",
    )


def test_it_reports_a_percentage_above_one_with_the_fraction_hint():
    text = sizing("  type: percentage\n  percentage_of_capital: 10\n")
    diagnostic = only(validate(text, "yaml"), "sizing.range")
    check(diagnostic, "sizing.range", "error", (17, 26), "position_sizing.percentage_of_capital")
    assert "0.1" in diagnostic.hint


def test_it_accepts_the_bounds_of_percentage_of_capital():
    for value in ("0.01", "1.0", "1"):
        text = sizing(f"  type: percentage\n  percentage_of_capital: {value}\n")
        assert validate(text, "yaml").diagnostics == [], value
    text = sizing("  type: percentage\n  percentage_of_capital: 0.009\n")
    check(only(validate(text, "yaml"), "sizing.range"), "sizing.range", "error", (17, 26))


def test_it_accepts_a_positive_fixed_amount_and_rejects_zero():
    assert validate(sizing("  type: fixed_amount\n  fixed_amount: 250\n"), "yaml").valid
    for value in ("0", "-5"):
        text = sizing(f"  type: fixed_amount\n  fixed_amount: {value}\n")
        check(
            only(validate(text, "yaml"), "sizing.range"),
            "sizing.range",
            "error",
            (17, 17),
            "position_sizing.fixed_amount",
        )


def test_it_reports_risk_per_trade_out_of_range():
    text = sizing("  type: risk_based\n  risk_per_trade: 0.2\n")
    text = edit(text, "  max_drawdown: 0.15\n", "  max_drawdown: 0.15\n  stop_loss_percentage: 0.02\n")
    check(
        only(validate(text, "yaml"), "sizing.range"),
        "sizing.range",
        "error",
        (17, 19),
        "position_sizing.risk_per_trade",
    )


def test_it_reports_max_position_size_out_of_range():
    text = sizing("  type: percentage\n  percentage_of_capital: 0.10\n  max_position_size: 1.5\n")
    check(
        only(validate(text, "yaml"), "sizing.range"),
        "sizing.range",
        "error",
        (18, 22),
        "position_sizing.max_position_size",
    )


def test_it_reports_an_unknown_sizing_key_as_an_error():
    text = sizing("  type: percentage\n  percentage_of_capital: 0.10\n  leverage: 3\n")
    diagnostic = only(validate(text, "yaml"), "field.unknown")
    check(diagnostic, "field.unknown", "error", (18, 3), "position_sizing.leverage")


def test_it_reports_a_sizing_section_that_is_not_a_mapping():
    text = sizing("  - percentage\n")
    check(only(validate(text, "yaml"), "field.type"), "field.type", "error", (16, 3), "position_sizing")


def test_it_reports_a_missing_risk_limit_at_the_section_key():
    text = risk("  max_drawdown: 0.15\n")
    check(
        only(validate(text, "yaml"), "field.required"),
        "field.required",
        "error",
        (18, 1),
        "risk_parameters.max_daily_loss",
    )


def test_it_reports_a_risk_limit_out_of_range_with_the_fraction_hint():
    text = risk("  max_daily_loss: 0.03\n  max_drawdown: 15\n")
    diagnostic = only(validate(text, "yaml"), "risk.range")
    check(diagnostic, "risk.range", "error", (20, 17), "risk_parameters.max_drawdown")
    assert "0.15" in diagnostic.hint


def test_it_reports_optional_risk_fields_out_of_range():
    for field, value, code in (
        ("stop_loss_percentage", "0.001", "risk.range"),
        ("take_profit_percentage", "1.01", "risk.range"),
        ("max_concurrent_positions", "0", "risk.range"),
        ("max_concurrent_positions", "1001", "risk.range"),
        ("max_concurrent_positions", "2.5", "field.type"),
        ("max_concurrent_positions", "true", "field.type"),
    ):
        text = risk(f"  max_daily_loss: 0.03\n  max_drawdown: 0.15\n  {field}: {value}\n")
        check(
            only(validate(text, "yaml"), code),
            code,
            "error",
            (21, len(field) + 5),
            f"risk_parameters.{field}",
        )


def test_it_reports_an_unknown_risk_key_as_an_error_with_the_closest_key():
    text = risk("  max_daily_loss: 0.03\n  max_drawdown: 0.15\n  stop_los_percentage: 0.02\n")
    diagnostic = only(validate(text, "yaml"), "field.unknown")
    check(diagnostic, "field.unknown", "error", (21, 3), "risk_parameters.stop_los_percentage")
    assert "stop_loss_percentage" in diagnostic.hint


def test_it_warns_when_the_daily_loss_is_above_five_percent():
    text = risk("  max_daily_loss: 0.06\n  max_drawdown: 0.15\n")
    report = validate(text, "yaml")
    check(
        only(report, "risk.aggressive"),
        "risk.aggressive",
        "warning",
        (19, 19),
        "risk_parameters.max_daily_loss",
    )
    assert report.valid


def test_it_warns_when_the_two_limits_add_up_to_more_than_thirty_percent():
    text = risk("  max_daily_loss: 0.04\n  max_drawdown: 0.27\n")
    check(
        only(validate(text, "yaml"), "risk.aggressive"),
        "risk.aggressive",
        "warning",
        (20, 17),
        "risk_parameters.max_drawdown",
    )


def test_it_compares_decimal_sums_exactly():
    # 0.03 + 0.27 is 0.30000000000000004 in binary floating point.
    assert 0.03 + 0.27 > 0.30
    for daily, drawdown in (("0.03", "0.27"), ("0.05", "0.25"), ("0.01", "0.29")):
        text = risk(f"  max_daily_loss: {daily}\n  max_drawdown: {drawdown}\n")
        assert validate(text, "yaml").diagnostics == [], (daily, drawdown)
        toml = edit(
            edit(BASE_TOML, "max_daily_loss = 0.03", f"max_daily_loss = {daily}"),
            "max_drawdown = 0.15",
            f"max_drawdown = {drawdown}",
        )
        assert validate(toml, "toml").diagnostics == [], (daily, drawdown)


def test_it_warns_when_the_daily_loss_is_above_the_drawdown():
    text = risk("  max_daily_loss: 0.05\n  max_drawdown: 0.04\n")
    check(
        only(validate(text, "yaml"), "risk.daily_above_drawdown"),
        "risk.daily_above_drawdown",
        "warning",
        (19, 19),
        "risk_parameters.max_daily_loss",
    )


def test_it_warns_when_the_take_profit_is_below_the_stop_loss():
    text = risk(
        "  max_daily_loss: 0.03\n  max_drawdown: 0.15\n"
        "  stop_loss_percentage: 0.05\n  take_profit_percentage: 0.02\n"
    )
    check(
        only(validate(text, "yaml"), "risk.reward_below_risk"),
        "risk.reward_below_risk",
        "warning",
        (22, 27),
        "risk_parameters.take_profit_percentage",
    )


def test_it_warns_when_the_percentage_is_above_the_position_cap():
    text = sizing("  type: percentage\n  percentage_of_capital: 0.30\n  max_position_size: 0.20\n")
    check(
        only(validate(text, "yaml"), "sizing.capped"),
        "sizing.capped",
        "warning",
        (17, 26),
        "position_sizing.percentage_of_capital",
    )


def test_it_warns_about_risk_based_sizing_without_a_stop_loss():
    text = sizing("  type: risk_based\n  risk_per_trade: 0.01\n")
    report = validate(text, "yaml")
    check(
        only(report, "sizing.risk_without_stop"),
        "sizing.risk_without_stop",
        "warning",
        (16, 9),
        "position_sizing.type",
    )
    assert report.valid


def test_it_warns_about_a_field_of_another_sizing_type():
    text = sizing("  type: percentage\n  percentage_of_capital: 0.10\n  risk_per_trade: 0.01\n")
    report = validate(text, "yaml")
    check(
        only(report, "sizing.ignored_field"),
        "sizing.ignored_field",
        "warning",
        (18, 3),
        "position_sizing.risk_per_trade",
    )
    assert report.valid


def test_it_reports_a_yaml_risk_key_mis_indented_into_sizing_without_follow_ons():
    text = edit(
        BASE_YAML,
        "  percentage_of_capital: 0.10\nrisk_parameters:\n  max_daily_loss: 0.03\n",
        "  percentage_of_capital: 0.10\n  max_daily_loss: 0.03\nrisk_parameters:\n",
    )
    diagnostic = only(validate(text, "yaml"), "field.unknown")
    check(diagnostic, "field.unknown", "error", (18, 3), "position_sizing.max_daily_loss")
    assert diagnostic.hint


def test_it_reports_a_yaml_top_level_key_mis_indented_into_a_section_without_follow_ons():
    text = edit(BASE_YAML, "  max_drawdown: 0.15\n", "  max_drawdown: 0.15\n  timeframe: 4h\n")
    text = edit(text, "timeframe: 1h\n", "")
    diagnostic = only(validate(text, "yaml"), "field.unknown")
    check(diagnostic, "field.unknown", "error", (20, 3), "risk_parameters.timeframe")


def test_it_reports_a_yaml_condition_mis_indented_into_an_indicator_without_follow_ons():
    text = edit(
        BASE_YAML,
        "    parameters: {period: 50}\nentry_conditions",
        "    parameters: {period: 50}\n    entry_conditions",
    )
    diagnostic = only(validate(text, "yaml"), "field.unknown")
    check(diagnostic, "field.unknown", "error", (12, 5), "indicators[1].entry_conditions")
