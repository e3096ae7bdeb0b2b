"""A report lists at most a hundred diagnostics, errors first, and says how many more."""

from __future__ import annotations

from trading_strategy.dsl import render_diagnostic
from trading_strategy.dsl.validator import validate

from .rules_helpers import BASE_TOML, BASE_YAML, edit


def codes(report):
    return [d.code for d in report.diagnostics]


def test_it_lists_a_hundred_diagnostics_and_says_how_many_more_there_are():
    text = BASE_YAML + "".join(f"note_{n}: x\n" for n in range(250))
    report = validate(text, "yaml")
    assert codes(report) == ["field.unknown"] * 100 + ["diagnostics.truncated"]
    assert "150" in report.diagnostics[-1].message


def test_it_keeps_the_first_unknown_keys_in_document_order():
    text = BASE_YAML + "".join(f"note_{n}: x\n" for n in range(250))
    kept = [d.path for d in validate(text, "yaml").diagnostics if d.code == "field.unknown"]
    assert kept == [f"note_{n}" for n in range(100)]


def test_it_lists_errors_before_warnings_when_there_are_too_many():
    warnings = "".join(f"note_{n}: x\n" for n in range(150))
    errors = "".join(f"  max_drawdow_{n}: 0.1\n" for n in range(20))
    report = validate(warnings + BASE_YAML + errors, "yaml")
    assert report.diagnostics[-1].code == "diagnostics.truncated"
    assert sum(d.is_error for d in report.diagnostics) == 20
    assert len(report.diagnostics) == 101


def test_it_counts_the_unknown_fields_of_a_section_it_does_not_list():
    text = BASE_YAML + "".join(f"  max_drawdow_{n}: 0.1\n" for n in range(250))
    report = validate(text, "yaml")
    assert codes(report) == ["field.unknown"] * 100 + ["diagnostics.truncated"]
    assert "150" in report.diagnostics[-1].message


def test_it_caps_duplicate_keys_found_while_loading():
    report = validate(BASE_YAML + "timeframe: 4h\n" * 500, "yaml")
    assert codes(report) == ["yaml.duplicate_key"] * 100 + ["diagnostics.truncated"]


def test_it_caps_unknown_tables_in_toml():
    report = validate(BASE_TOML + "".join(f"[note_{n}]\n" for n in range(300)), "toml")
    assert len(report.diagnostics) == 101 and report.diagnostics[-1].code == "diagnostics.truncated"


def test_a_hundred_diagnostics_are_listed_without_a_truncation_note():
    text = BASE_YAML + "".join(f"note_{n}: x\n" for n in range(100))
    assert codes(validate(text, "yaml")) == ["field.unknown"] * 100


def test_it_still_hints_at_the_closest_key_for_the_first_unknown_keys():
    text = edit(BASE_YAML, "risk_parameters:", "risk_parameter:")
    unknown = [d for d in validate(text, "yaml").diagnostics if d.code == "field.unknown"]
    assert unknown[0].hint.startswith("did you mean 'risk_parameters'")


def test_the_command_line_quotes_only_the_part_of_a_long_line_around_the_caret():
    condition = " AND ".join(f"close > undefined_{n}" for n in range(80))
    text = edit(BASE_YAML, "exit_conditions: rsi_14 > 70", f"exit_conditions: {condition}")
    report = validate(text, "yaml")
    printed = [render_diagnostic("s.yaml", text, d) for d in report.diagnostics]
    assert len(printed) > 50
    assert all(len(line) < 200 for output in printed for line in output.splitlines())
