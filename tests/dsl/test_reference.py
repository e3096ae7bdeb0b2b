import re
from pathlib import Path

import pytest

from trading_strategy.dsl import catalog
from trading_strategy.dsl.docs.codes import BY_CODE, CODES
from trading_strategy.dsl.docs.examples import BASE_TOML, BASE_YAML
from trading_strategy.dsl.docs.reference import render
from trading_strategy.dsl.validator import validate

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "trading_strategy" / "dsl"
# Modules that name codes without emitting them.
DESCRIBING = {"codes.py", "reference.py"}
# A code is a dotted lowercase string literal: `"indicator.parameter_range"`.
CODE_LITERAL = re.compile(r"""["']([a-z]+\.[a-z_]+)["']""")
# Codes reported around `validate`, never by it, so no document can trigger them.
OUTSIDE_VALIDATE = {"file.unreadable"}


def emitted_codes() -> set[str]:
    found = set()
    for source in PACKAGE.rglob("*.py"):
        if source.name not in DESCRIBING:
            found.update(CODE_LITERAL.findall(source.read_text(encoding="utf-8")))
    return found


def codes_of(text, fmt):
    return {d.code for d in validate(text, fmt).diagnostics}


def test_the_committed_reference_is_what_the_generator_writes_now():
    committed = (ROOT / "docs" / "dsl.md").read_text(encoding="utf-8")
    assert committed == render(), "regenerate: python -m trading_strategy.dsl.docs.reference > docs/dsl.md"


@pytest.mark.parametrize("fmt, text", [("yaml", BASE_YAML), ("toml", BASE_TOML)])
def test_the_base_documents_of_the_examples_are_valid_without_warnings(fmt, text):
    assert validate(text, fmt).diagnostics == []


@pytest.mark.parametrize("code", CODES, ids=lambda code: code.code)
def test_each_failing_example_reports_exactly_its_code_at_its_severity(code):
    report = validate(code.example, code.format)
    reported = {(d.code, d.severity) for d in report.diagnostics if d.code not in code.alongside}
    assert reported == {(code.code, code.severity)}


@pytest.mark.parametrize("code", CODES, ids=lambda code: code.code)
def test_each_fix_has_no_error_and_not_the_code(code):
    report = validate(code.fix, code.fix_format or code.format)
    assert report.errors == []
    assert code.code not in {d.code for d in report.diagnostics}


def test_every_code_the_validator_can_emit_is_in_the_registry():
    assert emitted_codes() - set(BY_CODE) - OUTSIDE_VALIDATE == set()


def test_the_codes_reported_outside_the_validator_are_still_named_in_the_reference():
    page = render()
    assert all(f"`{code}`" in page for code in OUTSIDE_VALIDATE)


def test_every_code_in_the_registry_is_one_the_validator_can_emit():
    assert set(BY_CODE) - emitted_codes() == set()


def test_no_code_is_registered_twice():
    assert len(BY_CODE) == len(CODES)


def test_the_contracts_minimum_list_of_codes_is_registered():
    contract = [
        "yaml.syntax",
        "yaml.root_not_mapping",
        "yaml.alias_limit",
        "toml.syntax",
        "toml.key_in_table",
        "document.empty",
        "document.too_large",
        "document.too_deep",
        "format.unknown",
        "field.required",
        "field.type",
        "field.unknown",
        "field.range",
        "name.length",
        "pair.format",
        "pair.case",
        "timeframe.invalid",
        "indicator.unknown_type",
        "indicator.invalid_name",
        "indicator.duplicate_name",
        "indicator.reserved_name",
        "indicator.unknown_parameter",
        "indicator.duplicate_parameter",
        "indicator.parameter_type",
        "indicator.parameter_range",
        "indicator.parameter_order",
        "condition.empty",
        "condition.syntax",
        "condition.type",
        "condition.undefined_name",
        "condition.position_variable_in_entry",
        "condition.lookback",
        "condition.too_long",
        "condition.too_deep",
        "sizing.unknown_type",
        "sizing.range",
        "risk.range",
        "risk.aggressive",
        "risk.daily_above_drawdown",
        "risk.reward_below_risk",
        "sizing.capped",
        "sizing.risk_without_stop",
        "sizing.ignored_field",
        "logic.unused_indicator",
        "logic.unsatisfiable",
        "logic.always_true",
        "logic.self_comparison",
        "logic.scale_mismatch",
        "logic.entry_equals_exit",
        "logic.exit_implied_by_entry",
    ]
    assert set(contract) - set(BY_CODE) == set()


def test_the_reference_lists_every_code_indicator_alias_and_parameter():
    page = render()
    for code in CODES:
        assert f"### `{code.code}` ({code.severity})" in page
    for spec in catalog.INDICATORS:
        assert f"### `{spec.type}`:" in page
        for alias in spec.aliases:
            assert f"`{alias}`" in page
        for parameter in spec.parameters:
            assert f"| `{parameter.name}` |" in page
