"""Properties of the loader and validator: they never raise, and valid strategies survive
conversion between formats unchanged (DSL.md §8)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import tomli_w
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trading_strategy.dsl import catalog
from trading_strategy.dsl.loaders import load
from trading_strategy.dsl.model import to_toml, to_yaml
from trading_strategy.dsl.validator import validate

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMATS = st.sampled_from(["yaml", "toml"])


def _run(text: str, fmt: str):
    load(text, fmt)
    report = validate(text, fmt)
    for diagnostic in report.diagnostics:
        assert diagnostic.line is None or diagnostic.line >= 1
        assert diagnostic.column is None or diagnostic.column >= 1
    return report


@SETTINGS
@given(st.text(max_size=400), FORMATS)
def test_it_never_raises_on_arbitrary_text(text, fmt):
    _run(text, fmt)


@SETTINGS
@given(st.binary(max_size=400), FORMATS)
def test_it_never_raises_on_arbitrary_bytes_decoded_with_replacement(data, fmt):
    _run(data.decode("utf-8", errors="replace"), fmt)


_SYNTAX = st.sampled_from(
    list("[]{}:,-#&*!|>'\"\\=.\n\t ")
    + [
        "name",
        "indicators",
        "[[indicators]]",
        "parameters",
        "rsi",
        "14",
        "0.1",
        "true",
        "~",
        "---",
        "&a",
        "*a",
        "'''",
        '"""',
        "entry_conditions",
    ]
)


@SETTINGS
@given(st.lists(_SYNTAX, max_size=60), FORMATS)
def test_it_never_raises_on_syntax_soup(parts, fmt):
    _run("".join(parts), fmt)


_KEYS = st.sampled_from(
    [
        "name",
        "type",
        "parameters",
        "period",
        "indicators",
        "position_sizing",
        "risk_parameters",
        "max_daily_loss",
        "entry_conditions",
        "x",
        "source",
    ]
) | st.text(min_size=1, max_size=8)
_SCALARS = (
    st.integers(-(10**6), 10**6)
    | st.booleans()
    | st.text(max_size=20)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3).map(float)
)
_TREES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=30,
)


@SETTINGS
@given(st.dictionaries(_KEYS, _TREES, max_size=8))
def test_it_never_raises_on_generated_structures_dumped_to_yaml(tree):
    _run(yaml.safe_dump(tree, allow_unicode=True), "yaml")


def _toml_safe(value):
    if isinstance(value, dict):
        return {key: _toml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_toml_safe(item) for item in value]
    return value


@SETTINGS
@given(st.dictionaries(_KEYS, _TREES, max_size=8))
def test_it_never_raises_on_generated_structures_dumped_to_toml(tree):
    try:
        text = tomli_w.dumps(_toml_safe(tree))
    except (TypeError, ValueError):
        return
    _run(text, "toml")


# Valid strategies, built from the catalog.


def _decimal(low, high):
    return st.decimals(
        min_value=Decimal(low), max_value=Decimal(high), places=2, allow_nan=False, allow_infinity=False
    )


def _parameter_value(parameter: catalog.Parameter):
    if parameter.kind == "source":
        return st.sampled_from(parameter.choices)
    if parameter.kind == "int":
        return st.integers(parameter.low, parameter.high)
    return _decimal(parameter.low, parameter.high)


@st.composite
def _indicator(draw, index: int):
    spec = draw(st.sampled_from(catalog.INDICATORS))
    type_name = draw(st.sampled_from((spec.type, *spec.aliases)))
    chosen = draw(
        st.lists(st.sampled_from(spec.parameters), unique_by=lambda p: p.name)
        if spec.parameters
        else st.just([])
    )
    parameters = {p.name: draw(_parameter_value(p)) for p in chosen}
    for smaller, larger in spec.order:
        low = parameters.get(smaller, spec.parameter(smaller).default)
        high = parameters.get(larger, spec.parameter(larger).default)
        if not low < high:
            parameters.pop(smaller, None)
            parameters.pop(larger, None)
    name = f"i{index}_{spec.type}"
    used = f"{name}_{spec.outputs[1]}" if len(spec.outputs) > 1 else name
    return {"type": type_name, "name": name, "parameters": parameters}, spec, used


@st.composite
def valid_strategies(draw):
    count = draw(st.integers(0, 6))
    entries = [draw(_indicator(index)) for index in range(count)]
    comparisons = [f"{used} > {used}[1]" for _, _, used in entries] or ["close > open"]
    sizing_type = draw(st.sampled_from(["percentage", "fixed_amount", "risk_based"]))
    sizing = {"type": sizing_type}
    if sizing_type == "percentage":
        sizing["percentage_of_capital"] = draw(_decimal("0.01", "0.5"))
        if draw(st.booleans()):
            sizing["max_position_size"] = draw(_decimal("0.5", "1"))
    elif sizing_type == "fixed_amount":
        sizing["fixed_amount"] = draw(st.integers(1, 10**6))
    else:
        sizing["risk_per_trade"] = draw(_decimal("0.01", "0.10"))
    daily = draw(_decimal("0.01", "0.05"))
    risk = {
        "max_daily_loss": daily,
        "max_drawdown": draw(_decimal(str(daily), str(Decimal("0.30") - daily))),
        "stop_loss_percentage": draw(_decimal("0.01", "0.05")),
        "take_profit_percentage": draw(_decimal("0.05", "0.5")),
    }
    if draw(st.booleans()):
        risk["max_concurrent_positions"] = draw(st.integers(1, 1000))
    model = {
        "name": draw(
            st.text(
                st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=3, max_size=30
            ).filter(lambda s: s.strip() == s and len(unicodedata.normalize("NFC", s)) >= 3)
        ),
        "trading_pair": draw(st.sampled_from(["BTC/USDT", "ETH/BTC", "SOL/EUR"])),
        "timeframe": draw(st.sampled_from(["1m", "15m", "1h", "4h", "1d", "1w"])),
        "indicators": [entry for entry, _, _ in entries],
        "entry_conditions": " AND ".join(comparisons),
        "exit_conditions": "close < open[1] OR unrealized_pnl_pct > 0.1",
        "stop_conditions": "drawdown > 0.2",
        "position_sizing": sizing,
        "risk_parameters": risk,
    }
    return model


@SETTINGS
@given(valid_strategies())
def test_generated_valid_strategies_validate_without_errors_in_both_formats(model):
    for fmt, text in (("yaml", to_yaml(model)), ("toml", to_toml(model))):
        report = validate(text, fmt)
        assert report.errors == [], (text, report.errors)


@SETTINGS
@given(valid_strategies())
def test_yaml_to_model_to_toml_to_model_is_the_identity(model):
    first = validate(to_yaml(model), "yaml")
    assert first.valid, first.errors
    second = validate(to_toml(first.model), "toml")
    assert second.valid, second.errors
    assert second.model == first.model


@SETTINGS
@given(valid_strategies())
def test_toml_to_model_to_yaml_to_model_is_the_identity(model):
    first = validate(to_toml(model), "toml")
    assert first.valid, first.errors
    second = validate(to_yaml(first.model), "yaml")
    assert second.valid, second.errors
    assert second.model == first.model
