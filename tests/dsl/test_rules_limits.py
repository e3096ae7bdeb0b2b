"""DSL.md §1 limits: size, depth, alias expansion, indicator count, format."""

from __future__ import annotations

from trading_strategy.dsl.validator import validate

from .rules_helpers import BASE_TOML, BASE_YAML, check, edit, only


def test_it_reports_an_unknown_format_with_no_position():
    diagnostic = only(validate(BASE_YAML, "json"), "format.unknown")
    assert diagnostic.severity == "error"
    assert diagnostic.line is None and diagnostic.column is None


def test_it_rejects_a_300_kib_document_before_parsing():
    for fmt, text in (
        ("yaml", BASE_YAML + "#" + "x" * 300 * 1024 + "\n"),
        ("toml", BASE_TOML + "#" + "x" * 300 * 1024 + "\n"),
        ("yaml", "a: [" * 300 * 1024),
    ):
        check(only(validate(text, fmt), "document.too_large"), "document.too_large", "error", (1, 1))


def test_it_counts_the_document_size_in_bytes():
    padding = 256 * 1024 - len(BASE_YAML.encode()) - 2
    assert validate(BASE_YAML + "#" + "x" * padding + "\n", "yaml").diagnostics == []
    text = BASE_YAML + "#" + "€" * (padding // 3 + 1) + "\n"
    assert len(text) < 256 * 1024
    only(validate(text, "yaml"), "document.too_large")


def test_it_rejects_300_deep_brackets_in_yaml():
    for text in (
        "a: " + "[" * 300 + "]" * 300 + "\n",
        "a: " + "{b: " * 300 + "}" * 300 + "\n",
        "a: " + "[" * 300 + "\n",
    ):
        diagnostic = only(validate(text, "yaml"), "document.too_deep")
        assert diagnostic.severity == "error" and diagnostic.line == 1
        assert diagnostic.column is not None


def test_it_rejects_300_deep_brackets_in_toml():
    for text in (
        "a = " + "[" * 300 + "]" * 300 + "\n",
        "a = " + "{b = " * 300 + "}" * 300 + "\n",
        "a = " + "[" * 300 + "\n",
    ):
        diagnostic = only(validate(text, "toml"), "document.too_deep")
        assert diagnostic.severity == "error" and diagnostic.line == 1


def test_it_rejects_deep_block_nesting_in_yaml():
    text = "".join("  " * depth + f"k{depth}:\n" for depth in range(40)) + "  " * 40 + "v: 1\n"
    only(validate(text, "yaml"), "document.too_deep")


def test_it_accepts_the_base_document_nesting():
    assert validate("a: " + "[" * 20 + "]" * 20 + "\n" + BASE_YAML, "yaml").errors == []


def test_it_reports_more_than_100_indicators():
    entries = "".join(f"  - type: sma\n    name: s{i}\n    parameters: {{}}\n" for i in range(101))
    text = edit(BASE_YAML, "  - type: rsi\n", entries + "  - type: rsi\n")
    report = validate(text, "yaml")
    errors = [d for d in report.errors if d.code != "condition.undefined_name"]
    assert len(errors) == 1 and errors[0].path == "indicators" and errors[0].line == 5


def test_it_rejects_300_deep_parentheses_in_a_condition():
    condition = "(" * 300 + "close > open" + ")" * 300
    text = edit(
        BASE_YAML, "entry_conditions: rsi_14 < 30 AND close > sma_50", f"entry_conditions: {condition}"
    )
    diagnostic = only(validate(text, "yaml"), "condition.too_deep")
    assert diagnostic.severity == "error" and diagnostic.line == 12


def test_it_rejects_300_deep_negation_in_a_condition():
    condition = "NOT " * 300 + "close > open"
    text = edit(
        BASE_TOML, 'entry_conditions = "rsi_14 < 30 AND close > sma_50"', f'entry_conditions = "{condition}"'
    )
    diagnostic = only(validate(text, "toml"), "condition.too_deep")
    assert diagnostic.severity == "error" and diagnostic.line == 4


def test_it_rejects_invalid_text_input_without_raising():
    for text in ("\x00", "\ufeff", "name: \udc80\n", 'a = "\\ud800"\n', "\x85\u2028"):
        for fmt in ("yaml", "toml"):
            report = validate(text, fmt)
            assert not report.valid


def test_it_reports_a_lone_surrogate_at_its_position_in_both_formats():
    check(only(validate("x: 1\nname: ab\ud800\n", "yaml"), "yaml.syntax"), "yaml.syntax", "error", (2, 9))
    check(only(validate('a = "\udc80"\n', "toml"), "toml.syntax"), "toml.syntax", "error", (1, 6))
