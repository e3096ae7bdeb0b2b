import pytest

from trading_strategy.dsl.conditions import check_types, parse


def type_errors(text):
    return [(issue.code, issue.offset) for issue in check_types(parse(text).ast, text)]


@pytest.mark.parametrize(
    "text",
    [
        "(close - open) / open > 0.01",
        "NOT (rsi_14 > 70 OR close < open)",
        "-close < -(open * 2)",
        "NOT NOT a > 1 AND (b > 1 OR c > 1)",
    ],
)
def test_it_accepts_well_typed_conditions(text):
    assert type_errors(text) == []


def test_it_reports_each_number_operand_of_and_as_a_type_error():
    assert type_errors("rsi_14 AND close") == [("condition.type", 0), ("condition.type", 11)]


def test_it_reports_a_bare_series_as_the_whole_condition():
    assert type_errors("close") == [("condition.type", 0)]


def test_it_reports_a_bare_arithmetic_group_at_its_first_character():
    assert type_errors("(close - open)") == [("condition.type", 1)]


def test_it_reports_a_number_under_not():
    assert type_errors("NOT close") == [("condition.type", 4)]


def test_it_reports_a_comparison_used_as_a_number_inside_arithmetic():
    assert type_errors("(a > 1) + 2 > 3") == [("condition.type", 1)]


def test_it_reports_comparisons_on_both_sides_of_a_comparison():
    assert type_errors("(a > 1) < (b > 2)") == [("condition.type", 1), ("condition.type", 11)]


def test_it_reports_a_negated_comparison():
    assert type_errors("-(a > 1) < 2") == [("condition.type", 2)]


def test_it_does_not_cascade_from_a_wrong_operand_to_its_parent():
    # The sum is still a number, so the comparison above it is fine.
    assert type_errors("(a > 1) + 2 > 3 AND b > 1") == [("condition.type", 1)]


def test_it_reports_independent_type_errors_in_different_branches():
    assert type_errors("a OR (b > 1 AND c) OR (d < 1) * 2 > 0") == [
        ("condition.type", 0),
        ("condition.type", 16),
        ("condition.type", 23),
    ]


def test_it_quotes_the_operand_on_one_line():
    issue = check_types(parse("(close\n - open)").ast, "(close\n - open)")[0]
    assert "close - open" in issue.message
