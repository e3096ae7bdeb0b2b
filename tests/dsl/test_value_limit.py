"""DSL.md §1: a document holds a bounded number of values, so reading one costs bounded work.

A value is what a key names or a list holds. Reading stops at the first value beyond the
limit, which is reported once, where it is written.
"""

from __future__ import annotations

from trading_strategy.dsl.limits import MAX_INDICATORS, MAX_VALUES
from trading_strategy.dsl.loaders import toml_loader
from trading_strategy.dsl.loaders.document import load
from trading_strategy.dsl.nodes import Node
from trading_strategy.dsl.validator import validate

from .rules_helpers import only

STOCHASTIC = "{k_period: 14, d_period: 3, k_smoothing: 1, overbought: 80, oversold: 20}"


def values_below(node: Node) -> int:
    if node.kind == "scalar":
        return 0
    children = [entry.node for entry in node.value.values()] if node.kind == "map" else node.value
    return len(children) + sum(values_below(child) for child in children)


def largest_strategy() -> str:
    """Every key the language has, with the most indicators, each with the most parameters."""
    names = [f"stoch_{n}" for n in range(MAX_INDICATORS)]
    lines = [
        "strategy_id: largest",
        "name: The largest strategy",
        "description: Every key the language has.",
        "version: 1.0.0",
        "trading_pair: BTC/USDT",
        "timeframe: 1h",
        "indicators:",
        *(f"  - {{type: stochastic, name: {name}, parameters: {STOCHASTIC}}}" for name in names),
        "entry_conditions: " + " AND ".join(f"{name}_k < 30" for name in names[:50]),
        "exit_conditions: " + " OR ".join(f"{name}_k > 70" for name in names[50:]),
        "stop_conditions: unrealized_pnl_pct < -0.05",
        "position_sizing: {type: risk_based, risk_per_trade: 0.01, max_position_size: 0.5}",
        "risk_parameters: {max_daily_loss: 0.02, max_drawdown: 0.1, stop_loss_percentage: 0.02,"
        " take_profit_percentage: 0.04, max_concurrent_positions: 3}",
    ]
    return "\n".join(lines) + "\n"


def yaml_list(items: int) -> str:
    return "name: Numbers\nnotes: [" + ", ".join(["0"] * items) + "]\n"


def toml_list(items: int) -> str:
    return 'name = "Numbers"\nnotes = [' + ", ".join(["0"] * items) + "]\n"


def test_the_largest_valid_strategy_holds_a_fifth_of_the_values_allowed():
    text = largest_strategy()
    assert validate(text, "yaml").errors == []
    assert values_below(load(text, "yaml").root) < MAX_VALUES // 5


def test_a_yaml_document_at_the_limit_is_read_and_one_more_value_is_refused_where_it_is():
    # The name, the list and its items.
    assert load(yaml_list(MAX_VALUES - 2), "yaml").diagnostics == []
    text = yaml_list(MAX_VALUES - 1)
    [error] = load(text, "yaml").diagnostics
    assert (error.code, error.severity, error.line, error.column) == (
        "document.too_many_values",
        "error",
        2,
        text.rindex("0") - text.index("notes") + 1,
    )


def test_a_toml_document_at_the_limit_is_read_and_one_more_value_is_refused_where_it_is():
    assert load(toml_list(MAX_VALUES - 2), "toml").diagnostics == []
    text = toml_list(MAX_VALUES - 1)
    [error] = load(text, "toml").diagnostics
    assert (error.code, error.severity, error.line, error.column) == (
        "document.too_many_values",
        "error",
        2,
        text.rindex("0") - text.index("notes") + 1,
    )


def test_a_toml_table_counts_as_a_value_at_its_header():
    text = 'name = "Tables"\n' + "".join(f"[table_{n}]\n" for n in range(MAX_VALUES))
    [error] = load(text, "toml").diagnostics
    assert (error.code, error.line, error.column) == ("document.too_many_values", MAX_VALUES + 1, 1)


def test_yaml_reading_stops_at_the_first_value_beyond_the_limit():
    # The mistake after it would be a syntax error, were the rest read.
    text = "".join(f"key_{n}: 1\n" for n in range(MAX_VALUES + 1)) + "a: b: c\n" * 10
    [error] = validate(text, "yaml").diagnostics
    assert (error.code, error.line) == ("document.too_many_values", MAX_VALUES + 1)


def test_yaml_duplicate_keys_count_each_value_written():
    only(validate("a: 1\n" * (MAX_VALUES + 1), "yaml"), "document.too_many_values")


def test_an_alias_is_one_value_where_it_is_written():
    text = "items: &items [" + ", ".join(["0"] * (MAX_VALUES - 10)) + "]\nsame: *items\nagain: *items\n"
    assert load(text, "yaml").diagnostics == []


def test_toml_nesting_too_deep_before_the_limit_is_reported_as_too_deep():
    text = "deep = " + "[" * 40 + "]" * 40 + "\n" + toml_list(MAX_VALUES)
    [error] = load(text, "toml").diagnostics
    assert (error.code, error.line) == ("document.too_deep", 1)


def test_toml_values_beyond_the_limit_before_deep_nesting_are_too_many():
    text = toml_list(MAX_VALUES) + "deep = " + "[" * 40 + "]" * 40 + "\n"
    [error] = load(text, "toml").diagnostics
    assert (error.code, error.line) == ("document.too_many_values", 2)


def test_toml_reading_stops_at_the_first_value_beyond_the_limit():
    # tomllib would refuse the unclosed string after it, were the whole text read first.
    text = toml_list(MAX_VALUES) + 'unclosed = "text\n'
    [error] = load(text, "toml").diagnostics
    assert (error.code, error.line) == ("document.too_many_values", 2)


def test_toml_values_are_counted_after_parsing_too_when_the_quick_estimate_falls_short(monkeypatch):
    monkeypatch.setattr(toml_loader, "may_hold_too_many_values", lambda text: False)
    text = toml_list(MAX_VALUES - 1)
    [error] = load(text, "toml").diagnostics
    assert (error.code, error.line, error.column) == (
        "document.too_many_values",
        2,
        text.rindex("0") - text.index("notes") + 1,
    )
