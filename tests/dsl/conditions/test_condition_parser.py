from decimal import Decimal

import pytest

from trading_strategy.dsl.conditions import (
    And,
    Arith,
    Compare,
    Neg,
    Not,
    Number,
    Or,
    Series,
    parse,
)


def only_issue(text):
    result = parse(text)
    assert result.ast is None
    assert len(result.issues) == 1
    return result.issues[0]


def test_it_parses_a_grouped_arithmetic_comparison():
    ast = parse("(close - open) / open > 0.01").ast
    assert ast == Compare(
        ">",
        Arith("/", Arith("-", Series("close"), Series("open")), Series("open")),
        Number(Decimal("0.01")),
    )


def test_it_parses_not_over_a_grouped_or():
    ast = parse("NOT (rsi_14 > 70 OR close < open)").ast
    assert ast == Not(
        Or(
            (
                Compare(">", Series("rsi_14"), Number(Decimal(70))),
                Compare("<", Series("close"), Series("open")),
            )
        )
    )


def test_it_reads_keywords_in_any_case():
    assert parse("a > 1 and not b < 2 Or c == 3").ast == parse("a > 1 AND NOT b < 2 OR c == 3").ast


def test_it_binds_and_tighter_than_or():
    ast = parse("a > 1 OR b > 1 AND c > 1").ast
    assert isinstance(ast, Or) and isinstance(ast.operands[1], And)


def test_it_flattens_nested_and_groups():
    ast = parse("a > 1 AND (b > 1 AND c > 1)").ast
    assert isinstance(ast, And) and len(ast.operands) == 3


def test_it_makes_arithmetic_left_associative():
    ast = parse("a - b - c > 0").ast
    assert ast.left == Arith("-", Arith("-", Series("a"), Series("b")), Series("c"))


def test_it_reads_a_negative_literal_as_negation_of_a_number():
    assert parse("x > -5").ast.right == Neg(Number(Decimal(5)))


def test_it_treats_newlines_as_white_space():
    assert parse("close >\n  open\nAND volume > 0").ast == parse("close > open AND volume > 0").ast


def test_it_records_offsets_of_nodes_and_groups():
    ast = parse("(a + b) * c > 1").ast
    assert (ast.left.start, ast.left.end) == (0, 11)
    assert (ast.left.left.start, ast.left.left.end) == (1, 6)


def test_it_reads_a_lookback_with_spaces_inside_the_brackets():
    series = parse("close [ 3 ] > 1").ast.left
    assert (series.lookback, series.lookback_at, series.end) == (3, 6, 11)


def test_it_equates_a_written_zero_lookback_with_none():
    assert parse("close[0] > 1").ast == parse("close > 1").ast


@pytest.mark.parametrize(
    "text, offset",
    [
        ("a < b < c", 6),
        ("a < b >= c", 6),
        ("a > 1 b", 6),
        ("a > 1)", 5),
        ("(a > 1", 0),
        ("(a > 1 b)", 7),
        ("a >", 2),
        ("a > 1 AND", 6),
        ("a > 1 AND OR b > 1", 10),
        ("()", 1),
        ("close[] > 1", 6),
        ("close[1 > 1", 8),
        ("close > open[", 12),
        ("close > open[1", 12),
        ("close[1][2] > 1", 8),
        ("(close)[1] > 1", 7),
        ("a > $", 4),
        ("a > 1.", 5),
        ("a > .5", 4),
    ],
)
def test_it_reports_malformed_text_as_syntax_error_at_the_offending_token(text, offset):
    issue = only_issue(text)
    assert (issue.code, issue.offset) == ("condition.syntax", offset)


def test_it_reports_chained_comparison_as_syntax_error_at_the_second_operator():
    issue = only_issue("a < b < c")
    assert (issue.code, issue.offset) == ("condition.syntax", 6)
    assert issue.hint is not None


@pytest.mark.parametrize(
    "text, offset, replacement",
    [
        ("a > 1 && b > 1", 6, "AND"),
        ("a > 1 || b > 1", 6, "OR"),
        ("!(a > 1)", 0, "NOT"),
        ("a = 1", 2, "=="),
        ("a === 1", 2, "=="),
    ],
)
def test_it_reports_foreign_operators_with_a_hint_naming_the_right_one(text, offset, replacement):
    issue = only_issue(text)
    assert (issue.code, issue.offset) == ("condition.syntax", offset)
    assert replacement in issue.hint


def test_it_accepts_the_not_equal_operator_despite_its_exclamation_mark():
    assert parse("a != 1").ast == Compare("!=", Series("a"), Number(Decimal(1)))


def test_it_reports_the_first_mistake_in_reading_order():
    issue = only_issue("a > 1) AND b && c")
    assert issue.offset == 5


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"])
def test_it_reports_empty_and_blank_conditions_as_empty(text):
    issue = only_issue(text)
    assert (issue.code, issue.offset) == ("condition.empty", 0)


def test_it_accepts_a_condition_of_exactly_two_thousand_characters():
    text = "close > 1" + " " * 1991
    assert len(text) == 2000 and parse(text).issues == []


def test_it_reports_a_condition_over_two_thousand_characters_as_too_long():
    issue = only_issue("close > 1" + " " * 1992)
    assert (issue.code, issue.offset) == ("condition.too_long", 2000)


def test_it_accepts_nesting_of_exactly_thirty_two_levels():
    text = "(" * 30 + "NOT -a > 1" + ")" * 30
    assert parse(text).issues == []


@pytest.mark.parametrize("opening", ["(", "NOT ", "-"])
def test_it_reports_the_thirty_third_nesting_level_as_too_deep(opening):
    text = opening * 33 + "a > 1" + (")" * 33 if opening == "(" else "")
    issue = only_issue(text)
    assert (issue.code, issue.offset) == ("condition.too_deep", 32 * len(opening))


def test_it_rejects_three_hundred_nested_parentheses_as_too_deep_without_recursing():
    # bench/dsl_bench.py times this; here it must simply not hit Python's recursion limit.
    issue = only_issue("(" * 300 + "a > 1" + ")" * 300)
    assert (issue.code, issue.offset) == ("condition.too_deep", 32)


@pytest.mark.parametrize(
    "text, offset",
    [
        ("close[1001] > 1", 6),
        ("close[-1] > 1", 6),
        ("close[1.5] > 1", 6),
        ("5[1] > close", 1),
    ],
)
def test_it_reports_a_bad_lookback_and_still_returns_the_tree(text, offset):
    result = parse(text)
    assert result.ast is not None
    assert [(i.code, i.offset) for i in result.issues] == [("condition.lookback", offset)]


def test_it_accepts_a_lookback_of_a_thousand_bars():
    assert parse("close[1000] > 1").ast.left.lookback == 1000
