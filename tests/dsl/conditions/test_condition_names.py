from decimal import Decimal

import pytest

from trading_strategy.dsl.conditions import (
    OHLCV,
    POSITION_VARIABLES,
    SeriesInfo,
    builtin_series,
    parse,
    resolve,
)

INDICATORS = {
    "rsi_14": SeriesInfo("rsi_14", "indicator", "RSI(14)", "oscillator", Decimal(0), Decimal(100)),
    "sma_50": SeriesInfo("sma_50", "indicator", "SMA(50)", "price", Decimal(0)),
    "bb_20_upper": SeriesInfo("bb_20_upper", "output", "the upper band of BB(20, 2)", "price", Decimal(0)),
}


def name_issues(text, role="exit", poisoned=frozenset()):
    return resolve(parse(text).ast, INDICATORS, role, poisoned)


def codes(issues):
    return [(issue.code, issue.offset) for issue in issues]


def test_it_knows_every_ohlcv_name_and_position_variable():
    assert set(builtin_series()) == set(OHLCV) | set(POSITION_VARIABLES)


def test_it_puts_volume_on_its_own_scale_and_prices_on_the_price_scale():
    series = builtin_series()
    assert series["volume"].scale == "volume"
    assert {series[name].scale for name in ("open", "high", "low", "close")} == {"price"}
    assert series["entry_price"].scale == "price"


def test_it_bounds_the_drawdown_between_zero_and_one():
    drawdown = builtin_series()["drawdown"]
    assert (drawdown.scale, drawdown.low, drawdown.high) == ("nonnegative", 0, 1)


def test_it_accepts_defined_indicators_and_builtin_series():
    assert name_issues("rsi_14 < 30 AND close > sma_50 AND bb_20_upper > volume") == []


def test_it_reports_an_undefined_name_with_the_closest_defined_names():
    issues = name_issues("close > sma_5")
    assert codes(issues) == [("condition.undefined_name", 8)]
    assert "sma_50" in issues[0].hint


def test_it_hints_to_write_a_name_exactly_when_only_its_case_differs():
    issues = name_issues("RSI_14 > 70")
    assert codes(issues) == [("condition.undefined_name", 0)]
    assert issues[0].hint == "write it exactly: rsi_14"


def test_it_gives_a_hint_even_when_no_defined_name_is_close():
    assert name_issues("zzzzzz > 1")[0].hint


def test_it_reports_an_undefined_name_once_however_often_it_is_used():
    assert codes(name_issues("foo > 1 OR foo < -1")) == [("condition.undefined_name", 0)]


def test_it_accepts_poisoned_indicators_and_their_outputs_silently():
    assert name_issues("bb_9 > 1 AND bb_9_lower < 2", poisoned=frozenset({"bb_9"})) == []


@pytest.mark.parametrize("role", ["exit", "stop"])
def test_it_accepts_position_variables_in_exit_and_stop_conditions(role):
    assert name_issues("drawdown > 0.1 OR position_age > 10", role=role) == []


def test_it_reports_each_position_variable_in_an_entry_condition():
    issues = name_issues("close > entry_price AND drawdown < 0.1", role="entry")
    assert codes(issues) == [
        ("condition.position_variable_in_entry", 8),
        ("condition.position_variable_in_entry", 24),
    ]


def test_it_does_not_suggest_position_variables_for_an_entry_condition():
    assert "entry_price" not in (name_issues("entry_pric > 1", role="entry")[0].hint or "")


def test_it_reports_a_lookback_on_a_position_variable_at_its_bracket():
    assert codes(name_issues("entry_price[1] > close")) == [("condition.lookback", 11)]


def test_it_accepts_a_written_zero_lookback_only_when_it_is_not_on_a_position_variable():
    assert codes(name_issues("close[0] > drawdown[0]")) == [("condition.lookback", 19)]


def test_it_refuses_an_unknown_role():
    with pytest.raises(ValueError):
        name_issues("close > 1", role="exits")
