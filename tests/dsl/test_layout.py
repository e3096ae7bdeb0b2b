"""The loaders say where each top-level entry and each item of a top-level list is written:
from its key, or TOML table header, to the last character of its value."""

import pytest

from trading_strategy.dsl import load


def lines_of(text: str, fmt: str, path: tuple) -> tuple[int, int] | None:
    span = load(text, fmt).layout.span(path)
    return None if span is None else (span.start.line, span.end.line)


YAML = """\
name: x
indicators:   # two of them
  - type: sma
    name: a
    parameters: {}

  # between the items
  - type: ema
    name: b
    note: |
      a block that ends

# after the list
entry_conditions: a > b
"""

TOML = """\
name = "x"  # the name
flat = [
    { a = 1 },
    { a = 2 },  # a comment, with a comma
]

[[indicators]]
type = "sma"

[position_sizing]
type = "percentage"

[[indicators]]
type = "ema"
[indicators.parameters]
period = 3

# after the tables
"""


@pytest.mark.parametrize(
    "path, expected",
    [
        (("name",), (1, 1)),
        (("indicators",), (2, 11)),
        (("indicators", 0), (3, 5)),
        (("indicators", 1), (8, 11)),
        (("entry_conditions",), (14, 14)),
        (("missing",), None),
    ],
)
def test_yaml_spans_end_at_the_last_written_character_not_at_comments(path, expected):
    assert lines_of(YAML, "yaml", path) == expected


@pytest.mark.parametrize(
    "path, expected",
    [
        (("name",), (1, 1)),
        (("flat",), (2, 5)),
        (("flat", 1), (4, 4)),
        (("indicators",), (7, 16)),
        (("indicators", 0), (7, 8)),
        (("indicators", 1), (13, 16)),
        (("position_sizing",), (10, 11)),
    ],
)
def test_toml_spans_cover_tables_from_their_header_to_their_last_value(path, expected):
    assert lines_of(TOML, "toml", path) == expected


def test_a_yaml_value_written_as_nothing_ends_before_the_value_starts():
    loaded = load("name: x\nindicators:   # none yet\nb: 1\n", "yaml")
    span = loaded.layout.span(("indicators",))
    node = loaded.root.value["indicators"].node
    assert (span.end.line, span.end.column) == (2, 11)
    assert (node.pos.line, node.pos.column) == (2, 12)
