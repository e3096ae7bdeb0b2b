import timeit
import tomllib
from decimal import Decimal

import pytest

from trading_strategy.dsl.limits import MAX_DEPTH
from trading_strategy.dsl.loaders.toml_loader import load_toml
from trading_strategy.dsl.nodes import Pos

STRATEGY = '''\
# Mean reversion on RSI
name = "RSI \\"mean\\" reversion"
trading_pair = 'BTC/USDT'
timeframe = "1h"
entry_conditions = """
RSI_14 < 30 \\
    AND close > SMA_50"""
exit_conditions = \'\'\'RSI_14 > 70\'\'\'
stop_conditions = "close < SMA_50 * 0.95"
limits = { max_open = 3, window.bars = [5, 10] }

[[indicators]]
type = "RSI"
name = "RSI_14"

[indicators.parameters]
period = 14

[[indicators]]
type = "sma"
name = "SMA_50"
parameters = { period = 50 }

[position_sizing]
type = "percent_of_equity"
value = 0.1

[risk_parameters]
max_position_size = 0.5
stop_loss.percent = 2.5
'''

TRAP = """\
name = "trap"
[[indicators]]
type = "rsi"
[indicators.parameters]
period = 14
entry_conditions = "RSI_14 < 30"
"""


def entry(result, *path):
    """The Entry at `path`, or the item Node when the path ends with an index."""
    node = found = result.root
    for part in path:
        found = node.value[part]
        node = found if isinstance(part, int) else found.node
    return found


def placed(result, *path):
    """(key position, value position, header line) of the entry at `path`."""
    found = entry(result, *path)
    return found.key_pos, found.node.pos, found.header_line


@pytest.fixture(scope="module")
def strategy():
    return load_toml(STRATEGY)


def test_a_strategy_document_loads_without_diagnostics_and_mirrors_tomllib(strategy):
    assert strategy.diagnostics == []
    assert strategy.root.plain() == tomllib.loads(STRATEGY, parse_float=Decimal)
    assert entry(strategy, "position_sizing").node.value["value"].node.value == Decimal("0.1")


def test_top_level_keys_and_values_are_at_their_first_character(strategy):
    assert placed(strategy, "name") == (Pos(2, 1), Pos(2, 8), None)
    assert entry(strategy, "trading_pair").node.pos == Pos(3, 16)
    assert entry(strategy, "entry_conditions").node.pos == Pos(5, 20)
    assert entry(strategy, "exit_conditions").node.pos == Pos(8, 19)


def test_inline_table_keys_dotted_keys_and_array_items_are_positioned(strategy):
    assert placed(strategy, "limits") == (Pos(10, 1), Pos(10, 10), None)
    assert placed(strategy, "limits", "max_open") == (Pos(10, 12), Pos(10, 23), None)
    assert placed(strategy, "limits", "window") == (Pos(10, 26), Pos(10, 26), None)
    assert placed(strategy, "limits", "window", "bars") == (Pos(10, 33), Pos(10, 40), None)
    bars = entry(strategy, "limits", "window", "bars").node
    assert [item.pos for item in bars.value] == [Pos(10, 41), Pos(10, 44)]


def test_an_array_of_tables_sits_at_its_first_header_and_each_element_at_its_own(strategy):
    indicators = entry(strategy, "indicators")
    assert (indicators.key_pos, indicators.node.pos) == (Pos(12, 3), Pos(12, 1))
    assert indicators.header_line == 12
    assert [element.pos for element in indicators.node.value] == [Pos(12, 1), Pos(19, 1)]
    assert placed(strategy, "indicators", 1, "type") == (Pos(20, 1), Pos(20, 8), 19)


def test_a_sub_table_header_positions_the_table_at_its_bracket_and_the_key_at_its_name(strategy):
    assert placed(strategy, "indicators", 0, "parameters") == (Pos(16, 13), Pos(16, 1), 16)
    assert placed(strategy, "indicators", 0, "parameters", "period") == (Pos(17, 1), Pos(17, 10), 16)


def test_an_inline_table_under_an_array_of_tables_header_keeps_that_header_line(strategy):
    assert placed(strategy, "indicators", 1, "parameters") == (Pos(22, 1), Pos(22, 14), 19)
    assert placed(strategy, "indicators", 1, "parameters", "period") == (Pos(22, 16), Pos(22, 25), 19)


def test_section_tables_and_dotted_keys_under_them_are_positioned(strategy):
    assert placed(strategy, "position_sizing") == (Pos(24, 2), Pos(24, 1), 24)
    assert entry(strategy, "position_sizing", "value").node.pos == Pos(26, 9)
    assert placed(strategy, "risk_parameters", "stop_loss") == (Pos(30, 1), Pos(30, 1), 28)
    assert placed(strategy, "risk_parameters", "stop_loss", "percent") == (Pos(30, 11), Pos(30, 21), 28)


def test_first_table_line_is_the_line_of_the_first_header(strategy):
    assert strategy.first_table_line == 12
    assert load_toml('name = "x"\n').first_table_line is None


def test_a_top_level_key_written_after_a_parameters_header_lands_there_with_that_header_line():
    result = load_toml(TRAP)
    landed = entry(result, "indicators", 0, "parameters", "entry_conditions")
    assert (landed.key_pos, landed.header_line) == (Pos(6, 1), 4)
    assert "entry_conditions" not in result.root.value
    assert entry(result, "name").header_line is None
    assert result.first_table_line == 2


def test_a_basic_string_maps_an_escaped_quote_to_its_backslash(strategy):
    name = entry(strategy, "name").node
    assert name.position_of(4) == Pos(2, 13)
    assert name.position_of(5) == Pos(2, 15)


def test_a_multi_line_basic_string_maps_offsets_across_its_trimmed_newline_and_line_break(strategy):
    condition = entry(strategy, "entry_conditions").node
    assert condition.value == "RSI_14 < 30 AND close > SMA_50"
    assert condition.position_of(0) == Pos(6, 1)
    assert condition.position_of(condition.value.index("AND")) == Pos(7, 5)
    assert condition.position_of(condition.value.index("SMA_50")) == Pos(7, 17)


def test_a_multi_line_literal_string_maps_offsets_after_its_triple_quote(strategy):
    condition = entry(strategy, "exit_conditions").node
    assert condition.position_of(0) == Pos(8, 22)
    assert condition.position_of(7) == Pos(8, 29)


def test_crlf_line_ends_give_the_same_positions_as_lf():
    result = load_toml(STRATEGY.replace("\n", "\r\n"))
    assert result.root.plain() == tomllib.loads(STRATEGY, parse_float=Decimal)
    assert entry(result, "indicators", 0, "parameters", "period").node.pos == Pos(17, 10)
    assert entry(result, "entry_conditions").node.position_of(12) == Pos(7, 5)


@pytest.mark.parametrize(
    "text, line, column, has_hint",
    [
        ("a = 1\na = 2\n", 2, 6, True),
        ("[a]\nx = 1\n[a]\n", 3, 3, True),
        ("name = My strategy\n", 1, 8, True),
        ("name: 1\n", 1, 5, True),
        ('name = "unclosed\nx = 1\n', 1, 17, True),
        ("a = [1, 2\n", 1, 10, True),
        ('a = "abc', 1, 9, True),
        ("a = [1,\n", 1, 8, False),
    ],
)
def test_a_syntax_error_is_reported_at_its_line_and_column(text, line, column, has_hint):
    result = load_toml(text)
    assert result.root is None
    [error] = result.diagnostics
    assert (error.code, error.severity, error.line, error.column) == ("toml.syntax", "error", line, column)
    assert (error.hint is not None) == has_hint


def test_three_hundred_nested_arrays_are_too_deep_at_the_bracket_that_crosses_the_limit():
    result = load_toml("x = " + "[" * 300 + "]" * 300)
    assert result.root is None
    [error] = result.diagnostics
    # Root table is level 1, so the 32nd `[` (column 4 + 32) is level 33.
    assert (error.code, error.line, error.column) == ("document.too_deep", 1, 4 + MAX_DEPTH)


def test_an_array_at_level_32_is_accepted_and_one_at_level_33_is_too_deep():
    fits = "a." * (MAX_DEPTH - 2) + "b = []\n"
    assert load_toml(fits).diagnostics == []
    too_deep = "a." * (MAX_DEPTH - 1) + "b = []\n"
    [error] = load_toml(too_deep).diagnostics
    assert (error.code, error.line, error.column) == ("document.too_deep", 1, len(too_deep) - 2)


def nested_inline_tables(count):
    return "[a.b]\nx = " + "{y = " * count + "1" + "}" * count + "\n"


def test_nested_inline_tables_under_a_header_count_the_header_levels():
    # Root, `a` and `b` take three levels, leaving 29 for the inline tables.
    assert load_toml(nested_inline_tables(MAX_DEPTH - 3)).diagnostics == []
    [error] = load_toml(nested_inline_tables(MAX_DEPTH - 2)).diagnostics
    column = len("x = ") + 1 + len("{y = ") * (MAX_DEPTH - 3)
    assert (error.code, error.line, error.column) == ("document.too_deep", 2, column)


@pytest.mark.parametrize(
    "text", ["x = " + "[" * (256 * 1024 - 4), "[" * 256 * 1024, "x = " + "{a=" * (80 * 1024)]
)
def test_a_quarter_megabyte_of_open_brackets_is_rejected_within_100_ms(text):
    result = load_toml(text)
    assert result.root is None
    assert result.diagnostics[0].code in ("document.too_deep", "toml.syntax")
    assert min(timeit.repeat(lambda: load_toml(text), number=1, repeat=3)) < 0.1


def test_a_recursion_error_from_the_parser_is_reported_as_too_deep(monkeypatch):
    def overflow(*args, **kwargs):
        raise RecursionError

    monkeypatch.setattr(tomllib, "loads", overflow)
    [error] = load_toml("a = 1\n").diagnostics
    assert error.code == "document.too_deep"
