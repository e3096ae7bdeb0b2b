"""DSL.md §1 for YAML: syntax, root, YAML 1.2 scalars, duplicates, aliases, tags."""

from __future__ import annotations

import pytest

from trading_strategy.dsl.validator import validate

from .rules_helpers import BASE_YAML, at, check, edit, only


def test_it_reports_a_yaml_syntax_error_at_its_line():
    text = edit(BASE_YAML, "timeframe: 1h", "timeframe: [1h")
    diagnostic = validate(text, "yaml").diagnostics
    assert len(diagnostic) == 1 and diagnostic[0].code == "yaml.syntax"
    assert diagnostic[0].severity == "error" and diagnostic[0].line >= 3


def test_it_reports_a_tab_indent_with_a_hint():
    text = edit(BASE_YAML, "  max_drawdown: 0.15", "\tmax_drawdown: 0.15")
    diagnostic = only(validate(text, "yaml"), "yaml.syntax")
    assert diagnostic.line == 20 and diagnostic.hint


def test_it_reports_a_root_that_is_a_list():
    check(
        only(validate("- name: x\n- y\n", "yaml"), "yaml.root_not_mapping"),
        "yaml.root_not_mapping",
        "error",
        (1, 1),
    )


def test_it_reports_a_root_that_is_a_scalar():
    check(
        only(validate("\n\njust words\n", "yaml"), "yaml.root_not_mapping"),
        "yaml.root_not_mapping",
        "error",
        (3, 1),
    )


def test_it_reports_an_empty_document():
    for text in ("", "   \n\n", "# only a comment\n", "---\n", "{}\n", "~\n"):
        diagnostic = only(validate(text, "yaml"), "document.empty")
        assert diagnostic.severity == "error" and diagnostic.line == 1, text


def test_it_reports_a_duplicate_key_at_the_second_key():
    text = BASE_YAML + "timeframe: 4h\n"
    diagnostic = validate(text, "yaml").errors
    assert len(diagnostic) == 1
    check(diagnostic[0], "yaml.duplicate_key", "error", (21, 1))


def test_it_reports_a_duplicate_nested_key():
    text = edit(BASE_YAML, "  max_drawdown: 0.15\n", "  max_drawdown: 0.15\n  max_drawdown: 0.2\n")
    check(only(validate(text, "yaml"), "yaml.duplicate_key"), "yaml.duplicate_key", "error", (21, 3))


def test_it_reads_yes_as_a_string_where_a_boolean_or_number_is_expected():
    for word in ("yes", "on", "no", "off", "y"):
        text = edit(BASE_YAML, "  max_drawdown: 0.15", f"  max_drawdown: {word}")
        check(
            only(validate(text, "yaml"), "field.type"),
            "field.type",
            "error",
            (20, 17),
            "risk_parameters.max_drawdown",
        )


def test_it_reads_a_leading_zero_integer_as_decimal():
    text = edit(BASE_YAML, "period: 14", "period: 016")
    report = validate(text, "yaml")
    assert report.diagnostics == []
    assert report.model["indicators"][0]["parameters"]["period"] == 16


def test_it_reads_exponent_notation_as_a_number():
    text = edit(
        BASE_YAML,
        "  type: percentage\n  percentage_of_capital: 0.10",
        "  type: fixed_amount\n  fixed_amount: 1e3",
    )
    report = validate(text, "yaml")
    assert report.diagnostics == []
    assert report.model["position_sizing"]["fixed_amount"] == 1000
    text = edit(BASE_YAML, "max_daily_loss: 0.03", "max_daily_loss: 5e-2")
    assert validate(text, "yaml").diagnostics == []


def test_it_does_not_read_sexagesimal_numbers():
    text = edit(BASE_YAML, "period: 14", "period: 1:30")
    check(
        only(validate(text, "yaml"), "indicator.parameter_type"), "indicator.parameter_type", "error", (8, 15)
    )


def test_it_never_reads_a_boolean_as_a_number():
    text = edit(BASE_YAML, "  max_drawdown: 0.15", "  max_drawdown: true")
    check(only(validate(text, "yaml"), "field.type"), "field.type", "error", (20, 17))


def test_it_reports_a_number_given_for_a_string_field_with_a_hint():
    text = edit(BASE_YAML, "trading_pair: BTC/USDT", "trading_pair: 2024")
    diagnostic = only(validate(text, "yaml"), "field.type")
    check(diagnostic, "field.type", "error", (2, 15), "trading_pair")
    assert diagnostic.hint


def test_it_reads_a_quoted_number_as_a_string():
    text = edit(BASE_YAML, "name: RSI bounce", 'name: "2024"')
    assert validate(text, "yaml").model["name"] == "2024"


def test_it_rejects_a_tag_that_builds_an_object():
    text = edit(BASE_YAML, "name: RSI bounce", "name: !!python/object:os.system x")
    check(only(validate(text, "yaml"), "yaml.syntax"), "yaml.syntax", "error", (1, 7))


def test_it_accepts_small_anchors_and_aliases():
    text = edit(BASE_YAML, "    parameters:\n      period: 14", "    parameters: &p\n      period: 14")
    text = edit(text, "parameters: {period: 50}", "parameters: *p")
    report = validate(text, "yaml")
    assert report.diagnostics == []
    assert report.model["indicators"][1]["parameters"] == {"period": 14}


def test_it_rejects_an_alias_bomb():
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    diagnostic = only(validate("\n".join(lines) + "\n", "yaml"), "yaml.alias_limit")
    assert diagnostic.severity == "error" and diagnostic.line is not None


def test_it_rejects_a_recursive_alias():
    check(only(validate("a: &a [1, *a]\n", "yaml"), "yaml.alias_limit"), "yaml.alias_limit", "error", (1, 11))


def test_it_rejects_a_second_document():
    diagnostic = only(validate(BASE_YAML + "---\nname: other\n", "yaml"), "yaml.syntax")
    assert diagnostic.line == 21


def test_it_rejects_an_alias_as_a_key():
    report = validate("k: &k name\n*k : x\n", "yaml")
    assert [d.code for d in report.diagnostics] == ["yaml.syntax"]


@pytest.mark.parametrize("number", ["9" * 5000, "0x" + "f" * 5000, "-" + "1" * 100])
def test_it_reports_an_integer_too_large_to_read_at_its_position(number):
    report = validate(edit(BASE_YAML, "period: 14", f"period: {number}"), "yaml")
    line, column = at(BASE_YAML, "period: 14")
    check(only(report, "yaml.syntax"), "yaml.syntax", "error", (line, column + len("period: ")))


@pytest.mark.parametrize("number", ["1e" + "9" * 30, "-2.5e-" + "9" * 30])
def test_it_reports_an_exponent_too_large_to_read_at_its_position(number):
    report = validate(edit(BASE_YAML, "period: 14", f"period: {number}"), "yaml")
    line, column = at(BASE_YAML, "period: 14")
    check(only(report, "yaml.syntax"), "yaml.syntax", "error", (line, column + len("period: ")))
