import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from trading_strategy.dsl.conditions import SeriesInfo, check_condition

INDICATORS = {
    "rsi_14": SeriesInfo("rsi_14", "indicator", "RSI(14)", "oscillator", Decimal(0), Decimal(100)),
}


def codes(checked):
    return [(issue.code, issue.offset) for issue in checked.issues]


def test_it_accepts_a_valid_entry_condition_and_lists_the_names_in_order_of_use():
    checked = check_condition("rsi_14 < 30 AND close > close[3] AND rsi_14[2] > 20", INDICATORS, "entry")
    assert checked.is_valid and checked.issues == []
    assert checked.names_used == ("rsi_14", "close")
    assert checked.max_lookback == 3


def test_it_reports_a_syntax_error_without_a_tree():
    checked = check_condition("a < b < c", INDICATORS, "exit")
    assert checked.ast is None and codes(checked) == [("condition.syntax", 6)]
    assert (checked.names_used, checked.max_lookback) == ((), 0)


def test_it_collects_independent_lookback_type_and_name_issues_in_offset_order():
    checked = check_condition("rsi_14 AND foo > close[5000] OR drawdown > 0", INDICATORS, "entry")
    assert not checked.is_valid
    assert codes(checked) == [
        ("condition.type", 0),
        ("condition.undefined_name", 11),
        ("condition.lookback", 23),
        ("condition.position_variable_in_entry", 32),
    ]


def test_it_reports_the_type_example_from_the_language_reference():
    checked = check_condition("rsi_14 AND close", INDICATORS, "exit")
    assert codes(checked) == [("condition.type", 0), ("condition.type", 11)]


def test_it_accepts_poisoned_names_without_a_follow_on_error():
    checked = check_condition("macd_x_signal > 0", {}, "stop", frozenset({"macd_x"}))
    assert checked.issues == []


def test_it_checks_a_two_thousand_character_sum_without_recursion_trouble():
    text = "+".join(["close"] * 330) + ">1"
    assert len(text) <= 2000
    assert check_condition(text, {}, "exit").issues == []


def test_it_imports_nothing_outside_the_standard_library():
    probe = (
        "import sys; before = set(sys.modules); "
        "import trading_strategy.dsl.conditions; "
        "new = {m.split('.')[0] for m in set(sys.modules) - before}; "
        "outside = new - set(sys.stdlib_module_names) - {'trading_strategy'}; "
        "assert 'django' not in sys.modules and not outside, outside"
    )
    repository = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=repository)
