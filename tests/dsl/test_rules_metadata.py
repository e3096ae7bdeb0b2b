"""DSL.md §1 and §7: the document's top-level fields, null keys, unknown keys, lengths.

Each test asserts code, severity and position (and path where useful), never message text.
"""

from __future__ import annotations

from trading_strategy.dsl.validator import validate

from .rules_helpers import BASE_TOML, BASE_YAML, at, check, edit, only


def test_the_base_documents_are_valid_with_no_diagnostics():
    for text, fmt in ((BASE_YAML, "yaml"), (BASE_TOML, "toml")):
        report = validate(text, fmt)
        assert report.diagnostics == []
        assert report.valid and report.model is not None


def test_both_formats_build_the_same_model():
    assert validate(BASE_YAML, "yaml").model == validate(BASE_TOML, "toml").model


def test_a_document_with_three_independent_mistakes_gets_three_errors_at_their_places():
    text = edit(BASE_YAML, "timeframe: 1h", "timeframe: 1H")
    text = edit(text, "      period: 14", "      period: 14.0")
    text = edit(text, "  max_drawdown: 0.15", "  max_drawdown: 1.5")
    report = validate(text, "yaml")
    assert len(report.diagnostics) == 3 and len(report.errors) == 3
    first, second, third = report.diagnostics
    check(first, "timeframe.invalid", "error", at(text, "1H"), "timeframe")
    check(second, "indicator.parameter_type", "error", at(text, "14.0"), "indicators[0].parameters.period")
    check(third, "risk.range", "error", at(text, "1.5"), "risk_parameters.max_drawdown")


def test_a_toml_document_with_three_independent_mistakes_gets_three_errors():
    text = edit(BASE_TOML, 'timeframe = "1h"', 'timeframe = "1M"')
    text = edit(text, "period = 14 }", "period = 1 }")
    text = edit(text, "max_drawdown = 0.15", "max_drawdown = 0")
    report = validate(text, "toml")
    assert [d.severity for d in report.diagnostics] == ["error"] * 3
    first, second, third = report.diagnostics
    check(first, "timeframe.invalid", "error", at(text, '"1M"'), "timeframe")
    check(second, "indicator.parameter_range", "error", at(text, "1 }"), "indicators[0].parameters.period")
    check(third, "risk.range", "error", (24, 16), "risk_parameters.max_drawdown")


def test_it_reports_a_missing_top_level_key_at_the_start_of_the_document():
    text = edit(BASE_YAML, "name: RSI bounce\n", "")
    check(only(validate(text, "yaml"), "field.required"), "field.required", "error", (1, 1), "name")


def test_it_reports_every_missing_required_top_level_key():
    report = validate("description: only this\n", "yaml")
    missing = sorted(d.path for d in report.diagnostics)
    assert missing == sorted(
        [
            "name",
            "trading_pair",
            "timeframe",
            "indicators",
            "entry_conditions",
            "exit_conditions",
            "stop_conditions",
            "position_sizing",
            "risk_parameters",
        ]
    )
    assert all(d.code == "field.required" and d.severity == "error" for d in report.diagnostics)


def test_it_counts_a_key_with_a_null_value_as_missing():
    for value in ("", " ~", " null", " Null"):
        text = edit(BASE_YAML, "timeframe: 1h", "timeframe:" + value)
        diagnostic = only(validate(text, "yaml"), "field.required")
        assert diagnostic.severity == "error" and diagnostic.path == "timeframe"
        assert diagnostic.line in (1, 3)


def test_it_counts_a_nested_null_value_as_missing():
    text = edit(BASE_YAML, "  max_drawdown: 0.15", "  max_drawdown: null")
    diagnostic = only(validate(text, "yaml"), "field.required")
    assert diagnostic.path == "risk_parameters.max_drawdown"
    assert diagnostic.severity == "error"


def test_it_reports_a_string_field_given_a_number_with_a_hint_to_quote_it():
    text = edit(BASE_YAML, "name: RSI bounce", "name: 2024")
    diagnostic = only(validate(text, "yaml"), "field.type")
    check(diagnostic, "field.type", "error", (1, 7), "name")
    assert diagnostic.hint and "2024" in diagnostic.hint


def test_it_reports_a_string_field_given_a_boolean():
    text = edit(BASE_YAML, "name: RSI bounce", "name: true")
    check(only(validate(text, "yaml"), "field.type"), "field.type", "error", (1, 7), "name")


def test_it_accepts_a_name_of_100_multibyte_characters():
    text = edit(BASE_YAML, "name: RSI bounce", "name: " + "€" * 100)
    report = validate(text, "yaml")
    assert report.diagnostics == [] and report.model["name"] == "€" * 100
    text = edit(BASE_TOML, 'name = "RSI bounce"', 'name = "' + "日" * 100 + '"')
    assert validate(text, "toml").diagnostics == []


def test_it_counts_name_length_in_code_points_after_nfc():
    # 100 times ("e" + combining acute) is 200 code points, 100 after NFC.
    text = edit(BASE_YAML, "name: RSI bounce", "name: " + "e\u0301" * 100)
    assert validate(text, "yaml").diagnostics == []


def test_it_reports_a_name_of_101_characters():
    text = edit(BASE_YAML, "name: RSI bounce", "name: " + "€" * 101)
    check(only(validate(text, "yaml"), "name.length"), "name.length", "error", (1, 7), "name")


def test_it_reports_a_name_of_two_characters():
    text = edit(BASE_YAML, "name: RSI bounce", "name: ab")
    check(only(validate(text, "yaml"), "name.length"), "name.length", "error", (1, 7), "name")


def test_it_reports_an_empty_name():
    text = edit(BASE_YAML, "name: RSI bounce", 'name: ""')
    check(only(validate(text, "yaml"), "name.length"), "name.length", "error", (1, 7), "name")


def test_it_reports_a_trading_pair_without_a_slash():
    text = edit(BASE_YAML, "trading_pair: BTC/USDT", "trading_pair: BTCUSDT")
    check(only(validate(text, "yaml"), "pair.format"), "pair.format", "error", (2, 15), "trading_pair")


def test_it_reports_a_trading_pair_side_longer_than_15_characters():
    text = edit(BASE_YAML, "trading_pair: BTC/USDT", "trading_pair: BTC/" + "U" * 16)
    check(only(validate(text, "yaml"), "pair.format"), "pair.format", "error", (2, 15))


def test_it_accepts_a_trading_pair_side_of_15_characters():
    text = edit(BASE_YAML, "trading_pair: BTC/USDT", "trading_pair: " + "A" * 15 + "/B1")
    assert validate(text, "yaml").diagnostics == []


def test_it_warns_about_a_lowercase_trading_pair_and_suggests_uppercase():
    text = edit(BASE_YAML, "trading_pair: BTC/USDT", "trading_pair: btc/usdt")
    report = validate(text, "yaml")
    diagnostic = only(report, "pair.case")
    check(diagnostic, "pair.case", "warning", (2, 15), "trading_pair")
    assert "BTC/USDT" in diagnostic.hint
    assert report.valid


def test_it_reports_an_uppercase_timeframe_with_the_lowercase_hint():
    text = edit(BASE_YAML, "timeframe: 1h", "timeframe: 1H")
    diagnostic = only(validate(text, "yaml"), "timeframe.invalid")
    check(diagnostic, "timeframe.invalid", "error", (3, 12), "timeframe")
    assert "1h" in diagnostic.hint


def test_it_reports_a_month_timeframe_with_the_longest_timeframe_hint():
    text = edit(BASE_YAML, "timeframe: 1h", "timeframe: 1M")
    diagnostic = only(validate(text, "yaml"), "timeframe.invalid")
    check(diagnostic, "timeframe.invalid", "error", (3, 12))
    assert "1w" in diagnostic.hint


def test_it_accepts_every_listed_timeframe():
    for frame in ["1m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w"]:
        text = edit(BASE_YAML, "timeframe: 1h", f"timeframe: {frame}")
        assert validate(text, "yaml").diagnostics == [], frame


def test_it_accepts_a_slug_or_uuid_strategy_id():
    for value in ("rsi-bounce_2", "0f8fad5b-d9cb-469f-a165-70867728950e"):
        report = validate("strategy_id: " + value + "\n" + BASE_YAML, "yaml")
        assert report.diagnostics == [] and report.model["strategy_id"] == value


def test_it_reports_a_strategy_id_that_is_neither_slug_nor_uuid():
    report = validate("strategy_id: Not A Slug\n" + BASE_YAML, "yaml")
    diagnostic = report.diagnostics[0]
    assert len(report.diagnostics) == 1 and diagnostic.severity == "error"
    assert (diagnostic.line, diagnostic.column, diagnostic.path) == (1, 14, "strategy_id")


def test_it_reports_a_description_longer_than_500_characters():
    report = validate("description: " + "x" * 501 + "\n" + BASE_YAML, "yaml")
    assert len(report.errors) == 1
    assert (report.errors[0].line, report.errors[0].column) == (1, 14)
    assert report.errors[0].path == "description"
    assert validate("description: " + "x" * 500 + "\n" + BASE_YAML, "yaml").diagnostics == []


def test_it_reports_a_version_that_is_not_semver():
    report = validate('version: "1.0"\n' + BASE_YAML, "yaml")
    assert len(report.errors) == 1 and report.errors[0].path == "version"
    assert (report.errors[0].line, report.errors[0].column) == (1, 10)
    assert validate('version: "1.2.3"\n' + BASE_YAML, "yaml").model["version"] == "1.2.3"


def test_it_warns_about_an_unknown_top_level_key_and_names_the_closest_key():
    text = BASE_YAML + "risk_management:\n  max_daily_loss: 0.02\n"
    report = validate(text, "yaml")
    diagnostic = only(report, "field.unknown")
    check(diagnostic, "field.unknown", "warning", (21, 1), "risk_management")
    assert "risk_parameters" in diagnostic.hint
    assert report.valid and "risk_management" not in report.model


def test_it_treats_keys_as_case_sensitive():
    text = edit(BASE_YAML, "name: RSI bounce", "Name: RSI bounce")
    report = validate(text, "yaml")
    assert sorted((d.code, d.severity, d.line, d.column) for d in report.diagnostics) == [
        ("field.required", "error", 1, 1),
        ("field.unknown", "warning", 1, 1),
    ]


def test_it_reports_a_toml_top_level_key_of_the_wrong_type():
    text = edit(BASE_TOML, 'name = "RSI bounce"', "name = 1979-05-27")
    check(only(validate(text, "toml"), "field.type"), "field.type", "error", (1, 8), "name")
