from decimal import Decimal

import pytest

from trading_strategy.dsl.conditions import Number, Series, constant_value, parse, walk


def test_it_compares_trees_by_structure_not_by_position():
    assert parse("close > 1").ast == parse("  (close)   >  1").ast


def test_it_tells_apart_trees_with_different_lookbacks_or_operators():
    assert parse("close[1] > 1").ast != parse("close > 1").ast
    assert parse("close > 1").ast != parse("close >= 1").ast


def test_it_hashes_equal_trees_alike_so_they_can_share_a_set():
    comparisons = {parse("close > open").ast, parse("(close) > open[0]").ast}
    assert len(comparisons) == 1


def test_it_compares_and_hashes_a_thousand_deep_tree_without_recursion_trouble():
    text = "+".join(["1"] * 999) + ">1"
    first, second = parse(text).ast, parse(text).ast
    assert first == second and hash(first) == hash(second)


def test_it_walks_series_in_source_order():
    names = [node.name for node in walk(parse("a + b > c OR NOT d < e[1]").ast) if isinstance(node, Series)]
    assert names == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize(
    "text, value",
    [
        ("-5", Decimal(-5)),
        ("2 * 0.5 - 1", Decimal("0.0")),
        ("-(3 + 1) / 2", Decimal(-2)),
        ("1 / 0", None),
        ("close * 2", None),
        ("1 > 0", None),
    ],
)
def test_it_evaluates_constant_expressions_only(text, value):
    assert constant_value(parse(text).ast) == value


def test_it_ignores_the_position_of_a_number():
    assert Number(Decimal(1), start=3, end=4) == Number(Decimal(1))
