"""The logic checks of DSL.md §6, through the validator, with their document positions.

Conditions sit in double quotes on fixed lines, so an offset inside the entry condition
is column 20 + offset and one inside the exit or stop condition column 19 + offset.
"""

from trading_strategy.dsl.validator import validate

ENTRY_LINE, EXIT_LINE, STOP_LINE = 14, 15, 16
ENTRY, EXIT, STOP = "entry_conditions", "exit_conditions", "stop_conditions"

DOCUMENT = """\
name: Logic
trading_pair: BTC/USDT
timeframe: 1h
indicators:
  - {{type: rsi, name: rsi_14, parameters: {{}}}}
  - {{type: sma, name: sma_20, parameters: {{period: 20}}}}
  - {{type: sma, name: sma_50, parameters: {{period: 50}}}}
  - {{type: williams_r, name: wr_14, parameters: {{}}}}
  - {{type: mfi, name: mfi_14, parameters: {{}}}}
  - {{type: macd, name: macd_12, parameters: {{}}}}
  - {{type: stochastic, name: stoch, parameters: {{}}}}
  - {{type: sma, name: volume_sma, parameters: {{source: volume}}}}
  - {{type: cmf, name: cmf_20, parameters: {{}}}}
entry_conditions: "{entry}"
exit_conditions: "{exit}"
stop_conditions: "{stop}"
position_sizing: {{type: percentage, percentage_of_capital: 0.1}}
risk_parameters: {{max_daily_loss: 0.02, max_drawdown: 0.1}}
"""

EVERYDAY_EXIT = "rsi_14 > 70"
EVERYDAY_STOP = "unrealized_pnl_pct < -0.05"


def logic_warnings(entry, exit=EVERYDAY_EXIT, stop=EVERYDAY_STOP):
    """(code, line, column, path) of every logic warning but unused indicators, which
    the shared document has on purpose."""
    report = validate(DOCUMENT.format(entry=entry, exit=exit, stop=stop), "yaml")
    assert report.valid, report.errors
    return [
        (d.code, d.line, d.column, d.path)
        for d in report.diagnostics
        if d.code.startswith("logic.") and d.code != "logic.unused_indicator"
    ]


# Everyday strategies: no warnings at all.


def test_an_everyday_rsi_strategy_has_no_warnings():
    assert logic_warnings("rsi_14 < 30 AND close > sma_50") == []


def test_a_moving_average_crossover_with_its_cross_back_has_no_warnings():
    assert (
        logic_warnings(
            "sma_20 > sma_50 AND sma_20[1] <= sma_50[1]", "sma_20 < sma_50 AND sma_20[1] >= sma_50[1]"
        )
        == []
    )


def test_arithmetic_comparisons_are_not_reasoned_about():
    assert (
        logic_warnings("(close - open) / open > 0.01 AND (close - open) / open < 0", "close < sma_50 * 0.98")
        == []
    )


def test_position_variables_with_everyday_limits_have_no_warnings():
    assert (
        logic_warnings(
            "close > sma_50",
            "unrealized_pnl_pct > 0.1 OR position_age > 48",
            "drawdown > 0.05 OR unrealized_pnl_pct < -0.05",
        )
        == []
    )


def test_a_positive_price_is_not_taken_for_granted():
    assert logic_warnings("close > 0 AND volume > 0") == []


# logic.unsatisfiable


def test_an_and_chain_of_disjoint_ranges_is_unsatisfiable_at_the_contradicting_comparison():
    assert logic_warnings("rsi_14 < 30 AND rsi_14 > 70") == [("logic.unsatisfiable", ENTRY_LINE, 36, ENTRY)]


def test_a_comparison_beyond_an_oscillators_bounds_is_unsatisfiable_at_its_operator():
    assert logic_warnings("rsi_14 > 100") == [("logic.unsatisfiable", ENTRY_LINE, 27, ENTRY)]


def test_a_negative_drawdown_is_unsatisfiable():
    assert logic_warnings("close > sma_50", stop="drawdown < 0") == [
        ("logic.unsatisfiable", STOP_LINE, 28, STOP)
    ]


def test_a_constant_written_on_the_left_is_read_the_right_way_round():
    assert logic_warnings("30 > rsi_14 AND rsi_14 >= 30") == [("logic.unsatisfiable", ENTRY_LINE, 36, ENTRY)]


def test_a_strict_and_a_non_strict_bound_at_one_value_exclude_each_other():
    assert logic_warnings("rsi_14 < 30 AND rsi_14 >= 30") == [("logic.unsatisfiable", ENTRY_LINE, 36, ENTRY)]


def test_two_non_strict_bounds_at_one_value_leave_that_value():
    assert logic_warnings("rsi_14 <= 30 AND rsi_14 >= 30") == []


def test_equality_outside_a_range_is_unsatisfiable_and_inequality_removes_a_point():
    assert logic_warnings("rsi_14 < 30 AND rsi_14 == 40") == [("logic.unsatisfiable", ENTRY_LINE, 36, ENTRY)]
    assert logic_warnings("rsi_14 == 40 AND rsi_14 != 40") == [("logic.unsatisfiable", ENTRY_LINE, 37, ENTRY)]
    assert logic_warnings("rsi_14 <= 30 AND rsi_14 >= 30 AND rsi_14 != 30") == [
        ("logic.unsatisfiable", ENTRY_LINE, 54, ENTRY)
    ]


def test_constants_are_compared_as_exact_decimals():
    assert logic_warnings("rsi_14 < 0.3 AND rsi_14 >= 0.1 + 0.2") == [
        ("logic.unsatisfiable", ENTRY_LINE, 37, ENTRY)
    ]


def test_a_comparison_of_two_constants_is_judged():
    assert logic_warnings("1 > 2 OR close > sma_50") == [("logic.unsatisfiable", ENTRY_LINE, 22, ENTRY)]


def test_a_series_above_and_below_another_at_once_is_unsatisfiable():
    assert logic_warnings("close > sma_50 AND sma_50 > close") == [
        ("logic.unsatisfiable", ENTRY_LINE, 39, ENTRY)
    ]


def test_a_not_that_contradicts_its_own_chain_is_unsatisfiable():
    assert logic_warnings("rsi_14 < 30 AND NOT (rsi_14 < 30)") == [
        ("logic.unsatisfiable", ENTRY_LINE, 36, ENTRY)
    ]


def test_a_range_excluded_by_an_or_group_is_unsatisfiable_at_the_last_comparison():
    assert logic_warnings("(rsi_14 < 30 OR rsi_14 > 70) AND rsi_14 > 40 AND rsi_14 < 60") == [
        ("logic.unsatisfiable", ENTRY_LINE, 69, ENTRY)
    ]


def test_lookbacks_of_a_series_are_different_quantities():
    assert logic_warnings("rsi_14 < 30 AND rsi_14[1] > 70") == []


def test_a_bare_multi_output_name_is_its_first_output_in_a_chain():
    assert logic_warnings("stoch < 20 AND stoch_k > 80") == [("logic.unsatisfiable", ENTRY_LINE, 35, ENTRY)]


# logic.always_true


def test_an_or_chain_covering_every_value_is_always_true():
    assert logic_warnings("rsi_14 < 30 OR rsi_14 >= 30") == [("logic.always_true", ENTRY_LINE, 35, ENTRY)]


def test_a_comparison_true_over_an_oscillators_whole_range_is_always_true():
    assert logic_warnings("rsi_14 >= 0") == [("logic.always_true", ENTRY_LINE, 27, ENTRY)]
    assert logic_warnings("rsi_14 < 101") == [("logic.always_true", ENTRY_LINE, 27, ENTRY)]


def test_an_or_chain_leaving_a_gap_is_not_always_true():
    assert logic_warnings("rsi_14 < 30 OR rsi_14 > 30") == []


def test_a_value_and_everything_else_is_always_true():
    assert logic_warnings("rsi_14 != 50 OR rsi_14 == 50") == [("logic.always_true", ENTRY_LINE, 36, ENTRY)]


# One warning per root cause.


def test_an_unsatisfiable_comparison_does_not_also_flag_its_and_chain():
    assert logic_warnings("rsi_14 > 100 AND rsi_14 < 30") == [("logic.unsatisfiable", ENTRY_LINE, 27, ENTRY)]


def test_an_always_true_comparison_does_not_also_flag_its_or_chain():
    assert logic_warnings("close > sma_50", stop="drawdown > 0.1 OR drawdown <= 1") == [
        ("logic.always_true", STOP_LINE, 46, STOP)
    ]


def test_a_not_of_an_unsatisfiable_comparison_is_reported_once_at_the_comparison():
    assert logic_warnings("NOT (rsi_14 > 100) AND close > sma_50") == [
        ("logic.unsatisfiable", ENTRY_LINE, 32, ENTRY)
    ]


def test_a_self_comparison_does_not_also_flag_its_chain():
    assert logic_warnings("close > close AND rsi_14 < 30") == [
        ("logic.self_comparison", ENTRY_LINE, 26, ENTRY)
    ]


# logic.self_comparison


def test_a_series_compared_with_itself_is_reported_at_the_operator():
    assert logic_warnings("close > close") == [("logic.self_comparison", ENTRY_LINE, 26, ENTRY)]


def test_a_series_compared_with_itself_at_the_same_lookback_is_reported():
    assert logic_warnings("sma_50[1] == sma_50[1]") == [("logic.self_comparison", ENTRY_LINE, 30, ENTRY)]


def test_a_bare_multi_output_name_compared_with_its_first_output_is_a_self_comparison():
    assert logic_warnings("macd_12 > macd_12_macd") == [("logic.self_comparison", ENTRY_LINE, 28, ENTRY)]


def test_a_series_compared_with_its_previous_bar_is_fine():
    assert logic_warnings("close > close[1] AND close[0] > open") == []


# logic.scale_mismatch


def test_a_price_compared_with_an_oscillator_is_a_scale_mismatch():
    assert logic_warnings("close > rsi_14") == [("logic.scale_mismatch", ENTRY_LINE, 26, ENTRY)]


def test_oscillators_with_different_bounds_are_a_scale_mismatch():
    assert logic_warnings("rsi_14 > wr_14[1]") == [("logic.scale_mismatch", ENTRY_LINE, 27, ENTRY)]
    assert logic_warnings("cmf_20 < mfi_14") == [("logic.scale_mismatch", ENTRY_LINE, 27, ENTRY)]


def test_oscillators_sharing_their_bounds_may_be_compared():
    assert logic_warnings("rsi_14 > mfi_14 AND stoch_k > stoch_d") == []


def test_a_volume_compared_with_a_price_is_a_scale_mismatch():
    assert logic_warnings("volume > close") == [("logic.scale_mismatch", ENTRY_LINE, 27, ENTRY)]


def test_a_moving_average_of_volume_is_on_the_volume_scale():
    assert logic_warnings("volume > volume_sma") == []
    assert logic_warnings("volume_sma < sma_50") == [("logic.scale_mismatch", ENTRY_LINE, 31, ENTRY)]


def test_arithmetic_on_either_side_is_not_judged_for_scale():
    assert logic_warnings("close > rsi_14 * 100") == []


def test_unbounded_and_non_negative_series_are_not_judged_for_scale():
    assert logic_warnings("close > macd_12 AND rsi_14 > macd_12_signal") == []


# logic.entry_equals_exit


def test_an_exit_equal_to_the_entry_is_reported_at_the_exits_start():
    assert logic_warnings("rsi_14 < 30", "rsi_14 < 30") == [("logic.entry_equals_exit", EXIT_LINE, 19, EXIT)]


def test_entry_and_exit_are_compared_after_normalisation():
    assert logic_warnings("rsi_14 < 30 AND close > sma_50", "(sma_50 < close[0] and 30 > rsi_14)") == [
        ("logic.entry_equals_exit", EXIT_LINE, 19, EXIT)
    ]


def test_a_stop_equal_to_the_entry_is_reported_at_the_stops_start():
    assert logic_warnings("macd_12 > 0", stop="macd_12_macd > 0") == [
        ("logic.entry_equals_exit", STOP_LINE, 19, STOP)
    ]


def test_an_exit_with_a_different_lookback_is_not_the_entry():
    assert logic_warnings("close > sma_50", "close[1] > sma_50") == []


# logic.exit_implied_by_entry


def test_an_exit_that_follows_from_the_entrys_bounds_is_reported():
    assert logic_warnings("rsi_14 < 30", "rsi_14 < 50") == [
        ("logic.exit_implied_by_entry", EXIT_LINE, 19, EXIT)
    ]


def test_an_exit_branch_repeating_an_entry_term_is_reported_at_that_branch():
    assert logic_warnings("rsi_14 < 30 AND close > sma_50", "rsi_14 > 70 OR sma_50 < close") == [
        ("logic.exit_implied_by_entry", EXIT_LINE, 34, EXIT)
    ]


def test_a_stop_branch_implied_by_the_entry_is_reported():
    assert logic_warnings(
        "sma_20 > sma_50 AND rsi_14 < 30",
        stop="unrealized_pnl_pct < -0.05 OR sma_20 >= sma_50 AND rsi_14 < 40",
    ) == [("logic.exit_implied_by_entry", STOP_LINE, 49, STOP)]


def test_an_exit_branch_needing_something_the_entry_does_not_say_is_fine():
    assert logic_warnings("rsi_14 < 30", "rsi_14 <= 30 AND close > open") == []


def test_an_exit_always_true_by_itself_is_reported_only_as_always_true():
    assert logic_warnings("rsi_14 < 30", "rsi_14 >= 0") == [("logic.always_true", EXIT_LINE, 26, EXIT)]


def test_an_exit_equal_to_the_entry_is_not_also_reported_as_implied():
    assert logic_warnings("rsi_14 < 30", stop="30 > rsi_14") == [
        ("logic.entry_equals_exit", STOP_LINE, 19, STOP)
    ]


# Positions through the document, the unused-indicator check and the deep chain.


def test_a_warning_in_a_block_scalar_points_at_its_line_and_column():
    text = DOCUMENT.format(entry="close > sma_50", exit=EVERYDAY_EXIT, stop="x").replace(
        'stop_conditions: "x"', "stop_conditions: |\n  drawdown > 0.1 OR\n  drawdown < 0"
    )
    codes = [
        (d.code, d.line, d.column, d.path)
        for d in validate(text, "yaml").diagnostics
        if d.code == "logic.unsatisfiable"
    ]
    assert codes == [("logic.unsatisfiable", STOP_LINE + 2, 12, STOP)]


def test_a_toml_document_gets_the_same_warning_at_its_own_position():
    text = """\
name = "Logic"
trading_pair = "BTC/USDT"
timeframe = "1h"
entry_conditions = "rsi_14 < 30 AND rsi_14 > 70"
exit_conditions = "rsi_14 > 70"
stop_conditions = "unrealized_pnl_pct < -0.05"

[[indicators]]
type = "rsi"
name = "rsi_14"
parameters = {}

[position_sizing]
type = "percentage"
percentage_of_capital = 0.1

[risk_parameters]
max_daily_loss = 0.02
max_drawdown = 0.1
"""
    report = validate(text, "toml")
    assert [(d.code, d.line, d.column, d.path) for d in report.diagnostics] == [
        ("logic.unsatisfiable", 4, 37, ENTRY)
    ]


def test_an_indicator_no_condition_uses_is_still_reported_at_its_name():
    report = validate(
        DOCUMENT.format(entry="rsi_14 < 30 AND close > sma_50", exit=EVERYDAY_EXIT, stop=EVERYDAY_STOP),
        "yaml",
    )
    unused = [(d.line, d.path) for d in report.diagnostics if d.code == "logic.unused_indicator"]
    assert unused == [
        (6, "indicators[1].name"),
        (8, "indicators[3].name"),
        (9, "indicators[4].name"),
        (10, "indicators[5].name"),
        (11, "indicators[6].name"),
        (12, "indicators[7].name"),
        (13, "indicators[8].name"),
    ]


def test_a_broken_indicator_is_judged_neither_for_scale_nor_for_bounds():
    text = DOCUMENT.format(
        entry="close > rsi_14 AND rsi_14 > 100 AND close > close", exit=EVERYDAY_EXIT, stop=EVERYDAY_STOP
    ).replace(
        "{type: rsi, name: rsi_14, parameters: {}}", "{type: rsi, name: rsi_14, parameters: {period: 1}}"
    )
    codes = [
        (d.code, d.line) for d in validate(text, "yaml").diagnostics if d.code != "logic.unused_indicator"
    ]
    assert codes == [("indicator.parameter_range", 5), ("logic.self_comparison", ENTRY_LINE)]


def test_a_condition_a_thousand_levels_deep_is_checked_without_recursion_trouble():
    deep = "low" + "+1" * 995 + " > low"
    assert logic_warnings(deep, deep) == [("logic.entry_equals_exit", EXIT_LINE, 19, EXIT)]
