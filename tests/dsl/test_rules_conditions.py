"""DSL.md §3 as seen from a document: condition diagnostics placed on the document's
line and column through quotes, escapes and block scalars, and no cascades."""

from __future__ import annotations

from trading_strategy.dsl.validator import validate

from .rules_helpers import BASE_TOML, BASE_YAML, at, check, edit, only


def undefined(report):
    diagnostic = only(report, "condition.undefined_name")
    assert diagnostic.severity == "error"
    return diagnostic


ENTRY = "entry_conditions: rsi_14 < 30 AND close > sma_50\n"
TOML_ENTRY = 'entry_conditions = "rsi_14 < 30 AND close > sma_50"\n'


def yaml_entry(replacement: str) -> str:
    return edit(BASE_YAML, ENTRY, replacement)


def toml_entry(replacement: str) -> str:
    return edit(BASE_TOML, TOML_ENTRY, replacement)


def test_it_reports_an_undefined_name_in_a_plain_scalar_at_its_character():
    text = yaml_entry("entry_conditions: rsi_14 < 30 AND close > smaa_50\n")
    diagnostic = undefined(validate(text, "yaml"))
    check(diagnostic, "condition.undefined_name", "error", at(text, "smaa_50"), "entry_conditions")
    assert "sma_50" in diagnostic.hint


def test_it_maps_a_condition_position_through_double_quotes_and_escapes():
    text = yaml_entry('entry_conditions: "rsi_14 < 30\\tAND\\x20close > smaa_50"\n')
    check(
        undefined(validate(text, "yaml")),
        "condition.undefined_name",
        "error",
        at(text, "smaa_50"),
        "entry_conditions",
    )


def test_it_maps_a_condition_position_through_a_double_quoted_escaped_line_break():
    text = yaml_entry('entry_conditions: "rsi_14 < 30 AND \\\n  close > smaa_50"\n')
    check(undefined(validate(text, "yaml")), "condition.undefined_name", "error", at(text, "smaa_50"))


def test_it_maps_a_condition_position_through_single_quotes_and_doubled_quotes():
    text = yaml_entry("entry_conditions: 'rsi_14 < 30 AND close > sma_50 '' AND x'\n")
    check(
        only(validate(text, "yaml"), "condition.syntax"),
        "condition.syntax",
        "error",
        at(text, "''"),
        "entry_conditions",
    )
    text = yaml_entry("entry_conditions: 'rsi_14 < 30\n  AND close > smaa_50'\n")
    check(undefined(validate(text, "yaml")), "condition.undefined_name", "error", at(text, "smaa_50"))


def test_it_maps_a_condition_position_through_a_literal_block_scalar():
    text = yaml_entry("entry_conditions: |\n  rsi_14 < 30\n  AND close > smaa_50\n")
    check(
        undefined(validate(text, "yaml")),
        "condition.undefined_name",
        "error",
        at(text, "smaa_50"),
        "entry_conditions",
    )


def test_it_maps_a_condition_position_through_a_folded_block_scalar():
    text = yaml_entry("entry_conditions: >-\n    rsi_14 < 30\n\n    AND close > smaa_50\n")
    check(undefined(validate(text, "yaml")), "condition.undefined_name", "error", at(text, "smaa_50"))


def test_it_maps_a_condition_position_through_a_block_with_an_indentation_indicator():
    text = yaml_entry("entry_conditions: |2\n    rsi_14 < 30\n    AND close > smaa_50\n")
    check(undefined(validate(text, "yaml")), "condition.undefined_name", "error", at(text, "smaa_50"))


def test_it_maps_a_condition_position_in_a_document_with_crlf_line_ends():
    text = yaml_entry("entry_conditions: |\n  rsi_14 < 30\n  AND close > smaa_50\n")
    crlf = text.replace("\n", "\r\n")
    check(undefined(validate(crlf, "yaml")), "condition.undefined_name", "error", at(text, "smaa_50"))
    toml = toml_entry('entry_conditions = """\nrsi_14 < 30\nAND close > smaa_50"""\n')
    check(
        undefined(validate(toml.replace("\n", "\r\n"), "toml")),
        "condition.undefined_name",
        "error",
        at(toml, "smaa_50"),
    )


def test_it_maps_a_condition_position_through_a_toml_basic_string_with_escapes():
    text = toml_entry('entry_conditions = "rsi_14 < 30\\tAND\\u0020close > smaa_50"\n')
    check(
        undefined(validate(text, "toml")),
        "condition.undefined_name",
        "error",
        at(text, "smaa_50"),
        "entry_conditions",
    )


def test_it_maps_a_condition_position_through_a_toml_literal_string():
    text = toml_entry("entry_conditions = 'rsi_14 < 30 AND close > smaa_50'\n")
    check(undefined(validate(text, "toml")), "condition.undefined_name", "error", at(text, "smaa_50"))


def test_it_maps_a_condition_position_through_a_toml_multiline_basic_string():
    text = toml_entry('entry_conditions = """\n  rsi_14 < 30 \\\n    AND close > smaa_50\n"""\n')
    check(
        undefined(validate(text, "toml")),
        "condition.undefined_name",
        "error",
        at(text, "smaa_50"),
        "entry_conditions",
    )


def test_it_maps_a_condition_position_through_a_toml_multiline_literal_string():
    text = toml_entry("entry_conditions = '''\nrsi_14 < 30\n  AND close > smaa_50'''\n")
    check(undefined(validate(text, "toml")), "condition.undefined_name", "error", at(text, "smaa_50"))


def test_it_reports_a_wrong_operator_at_the_operator_with_a_hint():
    text = yaml_entry("entry_conditions: rsi_14 < 30 && close > sma_50\n")
    diagnostic = only(validate(text, "yaml"), "condition.syntax")
    check(diagnostic, "condition.syntax", "error", at(text, "&&"), "entry_conditions")
    assert "AND" in diagnostic.hint


def test_it_reports_a_position_variable_in_an_entry_condition():
    text = yaml_entry("entry_conditions: rsi_14 < 30 AND drawdown < 0.1\n")
    check(
        only(validate(text, "yaml"), "condition.position_variable_in_entry"),
        "condition.position_variable_in_entry",
        "error",
        at(text, "drawdown <"),
        "entry_conditions",
    )


def test_it_accepts_position_variables_in_exit_and_stop_conditions():
    text = edit(
        BASE_YAML,
        "exit_conditions: rsi_14 > 70",
        "exit_conditions: rsi_14 > 70 OR position_age > 48 OR drawdown > 0.1",
    )
    assert validate(text, "yaml").errors == []


def test_it_reports_a_type_error_in_a_condition():
    text = yaml_entry("entry_conditions: rsi_14 AND close > sma_50\n")
    diagnostic = only(validate(text, "yaml"), "condition.type")
    assert diagnostic.severity == "error" and diagnostic.line == 12
    assert diagnostic.path == "entry_conditions"


def test_it_reports_an_empty_condition_at_its_value():
    for value in ('""', '"  "', "''", "|\n  \n"):
        text = yaml_entry(f"entry_conditions: {value}\n")
        check(
            only(validate(text, "yaml"), "condition.empty"),
            "condition.empty",
            "error",
            (12, 19),
            "entry_conditions",
        )
    text = toml_entry('entry_conditions = "   "\n')
    check(
        only(validate(text, "toml"), "condition.empty"),
        "condition.empty",
        "error",
        (4, 20),
        "entry_conditions",
    )


def test_it_reports_a_condition_that_is_not_a_string():
    text = yaml_entry("entry_conditions: 42\n")
    check(only(validate(text, "yaml"), "field.type"), "field.type", "error", (12, 19), "entry_conditions")
    text = yaml_entry("entry_conditions: [close > open]\n")
    check(only(validate(text, "yaml"), "field.type"), "field.type", "error", (12, 19))


def test_it_reports_a_condition_longer_than_2000_characters():
    long = " AND ".join(["close > open"] * 200)
    assert len(long) > 2000
    text = yaml_entry(f"entry_conditions: {long}\n")
    diagnostic = only(validate(text, "yaml"), "condition.too_long")
    assert diagnostic.severity == "error" and diagnostic.line == 12
    assert diagnostic.path == "entry_conditions"


def test_it_reports_a_lookback_beyond_1000_bars():
    text = yaml_entry("entry_conditions: rsi_14[1001] < 30 AND close > sma_50\n")
    diagnostic = only(validate(text, "yaml"), "condition.lookback")
    assert diagnostic.severity == "error" and diagnostic.line == 12


def test_it_reports_each_broken_condition_independently():
    text = yaml_entry("entry_conditions: rsi_14 < 30 AND close > smaa_50\n")
    text = edit(text, "exit_conditions: rsi_14 > 70", "exit_conditions: rsi_14 >> 70")
    text = edit(
        text, "stop_conditions: unrealized_pnl_pct < -0.05", "stop_conditions: unrealised_pnl_pct < -0.05"
    )
    report = validate(text, "yaml")
    assert [(d.path, d.line) for d in report.diagnostics] == [
        ("entry_conditions", 12),
        ("exit_conditions", 13),
        ("stop_conditions", 14),
    ]
    assert all(d.severity == "error" for d in report.diagnostics)


def test_an_indicator_of_unknown_type_does_not_cascade_into_undefined_names():
    text = edit(BASE_YAML, "type: sma", "type: smma")
    assert [d.code for d in validate(text, "yaml").diagnostics] == ["indicator.unknown_type"]


def test_an_indicator_with_a_bad_parameter_does_not_cascade_into_undefined_names():
    text = edit(BASE_YAML, "period: 14", "period: 1000")
    assert [d.code for d in validate(text, "yaml").diagnostics] == ["indicator.parameter_range"]


def test_a_bad_multi_output_indicator_does_not_cascade_through_its_outputs():
    text = edit(
        BASE_YAML,
        "type: sma\n    name: sma_50\n    parameters: {period: 50}",
        "type: bb\n    name: sma_50\n    parameters: {std_dev: 9}",
    )
    text = edit(text, "close > sma_50", "close > sma_50_upper AND close < sma_50_lower")
    assert [d.code for d in validate(text, "yaml").diagnostics] == ["indicator.parameter_range"]


def test_an_indicator_missing_its_parameters_does_not_cascade_into_undefined_names():
    text = edit(BASE_TOML, "parameters = { period = 50 }\n", "")
    assert [d.code for d in validate(text, "toml").diagnostics] == ["field.required"]


def test_multi_output_names_resolve_in_conditions():
    text = edit(
        BASE_YAML,
        "type: sma\n    name: sma_50\n    parameters: {period: 50}",
        "type: macd\n    name: m\n    parameters: {}",
    )
    text = edit(text, "close > sma_50", "m > m_signal AND m_histogram > 0 AND m_macd > 0")
    assert validate(text, "yaml").errors == []
