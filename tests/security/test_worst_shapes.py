"""Any document within the size limit costs every entry point a bounded answer.

Each worst shape (tests/worst_shapes.py) goes through each entry point
(tests/entry_points.py). The answer lists at most a hundred diagnostics and the note
saying how many more there were, and adds less than the size limit to the document it
shows back. Times are for bench/worst_shapes_bench.py, not for assertions. A shape of
more values than a document may hold is refused with that one error; a shape at the
limit is read to its end, and its diagnostics are capped.
"""

from __future__ import annotations

import pytest

from trading_strategy.accounts.models import ApiToken
from trading_strategy.dsl import MAX_DOCUMENT_BYTES, validate

from ..entry_points import ENTRY_POINTS, Visitor
from ..worst_shapes import TOO_MANY_VALUES, WORST_SHAPES

MAX_LISTED = 101


@pytest.fixture
def visitor(alice, client, tmp_path):
    client.force_login(alice)
    _, token = ApiToken.issue(alice, "worst shapes")
    return Visitor(alice, client, token, tmp_path)


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
@pytest.mark.parametrize("shape", WORST_SHAPES)
def test_a_worst_shape_gets_a_bounded_answer_from_every_entry_point(visitor, shape, entry_point):
    text, fmt = WORST_SHAPES[shape]()
    answer = ENTRY_POINTS[entry_point](visitor, text, fmt)
    assert answer.status < 500
    assert answer.diagnostics <= MAX_LISTED
    assert answer.own_size < MAX_DOCUMENT_BYTES


@pytest.mark.parametrize("shape", TOO_MANY_VALUES)
def test_a_worst_shape_of_too_many_values_is_refused_with_that_one_error(shape):
    text, fmt = WORST_SHAPES[shape]()
    assert [diagnostic.code for diagnostic in validate(text, fmt).diagnostics] == ["document.too_many_values"]


@pytest.mark.parametrize("shape", [shape for shape in WORST_SHAPES if shape not in TOO_MANY_VALUES])
def test_a_worst_shape_within_the_value_limit_is_read_to_its_end_with_its_diagnostics_capped(shape):
    text, fmt = WORST_SHAPES[shape]()
    codes = [diagnostic.code for diagnostic in validate(text, fmt).diagnostics]
    assert "document.too_many_values" not in codes
    assert codes[-1] == "diagnostics.truncated"
