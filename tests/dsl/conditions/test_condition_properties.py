from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from trading_strategy.dsl.conditions import (
    ARITH_OPS,
    COMPARE_OPS,
    And,
    Arith,
    Compare,
    Neg,
    Not,
    Number,
    Or,
    Series,
    check_condition,
    check_types,
    explain,
    normalize,
    parse,
)
from trading_strategy.dsl.conditions.types import wrong_condition

KEYWORDS = {"and", "or", "not"}

numbers = st.from_regex(r"\A[0-9]{1,6}(\.[0-9]{1,4})?\Z").map(lambda text: Number(Decimal(text)))
names = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,8}\Z").filter(lambda name: name.lower() not in KEYWORDS)
series = st.builds(Series, names, st.integers(0, 1000))


def flattened(node_class):
    """An AND or OR as the parser builds it: operands of the same class spliced in."""

    def build(operands):
        flat = []
        for operand in operands:
            flat.extend(operand.operands if isinstance(operand, node_class) else [operand])
        return node_class(tuple(flat))

    return build


def extend(children):
    pairs = st.tuples(children, children)
    return st.one_of(
        children.map(Neg),
        children.map(Not),
        st.builds(lambda op, pair: Arith(op, *pair), st.sampled_from(ARITH_OPS), pairs),
        st.builds(lambda op, pair: Compare(op, *pair), st.sampled_from(COMPARE_OPS), pairs),
        st.lists(children, min_size=2, max_size=3).map(flattened(And)),
        st.lists(children, min_size=2, max_size=3).map(flattened(Or)),
    )


# Any shape, well typed or not: the printer must keep structure regardless of types.
trees = st.recursive(numbers | series, extend, max_leaves=12)


@settings(max_examples=300)
@given(trees)
def test_it_parses_the_normalized_text_of_any_tree_back_to_the_same_tree(tree):
    text = normalize(tree)
    result = parse(text)
    # Deep random trees may legitimately exceed the nesting limit when printed.
    assume(not any(issue.code == "condition.too_deep" for issue in result.issues))
    assert result.issues == []
    assert result.ast == tree
    assert normalize(result.ast) == text


grammar_soup = st.text(alphabet=list("()[]<>=!&|+-*/. \n0123456789_abcxAaNnDdOoRrTt"), max_size=120)


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=120), grammar_soup), st.sampled_from(["entry", "exit", "stop"]))
def test_it_never_raises_on_arbitrary_text_and_keeps_offsets_inside_it(text, role):
    checked = check_condition(text, {}, role)
    for issue in checked.issues:
        assert 0 <= issue.offset <= len(text)
        assert issue.code.startswith("condition.")
    if checked.ast is not None:
        assert parse(normalize(checked.ast)).ast == checked.ast
        explain(checked.ast, {})


@settings(max_examples=300)
@given(trees)
def test_the_type_issues_found_while_parsing_are_those_a_separate_type_check_finds(tree):
    text = normalize(tree)
    result = parse(text)
    assume(result.ast is not None)
    found = result.type_issues + wrong_condition(result.ast, text)
    assert sorted(found, key=lambda issue: issue.offset) == check_types(result.ast, text)
