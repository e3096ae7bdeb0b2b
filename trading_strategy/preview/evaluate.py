"""A parsed condition over arrays of bars, in three-valued logic (PREVIEW.md §3).

A number is a float64 array with NaN where the value is missing (warm-up, arithmetic on a
missing value, a division by zero). A truth is two boolean arrays, `true` and `false`:
where neither holds the comparison could not be judged (unknown). AND is false where any
operand is false and true where all are; OR the other way round; NOT swaps the two; so
false AND unknown is false and true OR unknown is true, and a condition fires only where
it is true.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from trading_strategy.dsl import And, Arith, Compare, ConditionNode, Neg, Not, Number, Or, Series

_COMPARE: dict[str, Callable[[np.ndarray | float, np.ndarray | float], np.ndarray]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


class Truth(NamedTuple):
    true: np.ndarray
    false: np.ndarray


# (series name, lookback) -> its values on the bars being evaluated
Fetch = Callable[[str, int], np.ndarray]


class Evaluation:
    """Evaluates condition trees on `size` bars whose series `fetch` supplies; records
    each comparison's truth in `clauses` (by the comparison node) when asked to."""

    def __init__(self, fetch: Fetch, size: int, record: bool = False) -> None:
        self.fetch = fetch
        self.size = size
        self.clauses: dict[int, Truth] | None = {} if record else None

    def truth(self, node: ConditionNode) -> Truth:
        if isinstance(node, Compare):
            return self._compare(node)
        if isinstance(node, And):
            return self._chain(node, all_true=True)
        if isinstance(node, Or):
            return self._chain(node, all_true=False)
        # Type checking left only NOT here.
        assert isinstance(node, Not)
        inner = self.truth(node.operand)
        return Truth(inner.false, inner.true)

    def value(self, node: ConditionNode) -> np.ndarray | float:
        if isinstance(node, Number):
            return float(node.value)
        if isinstance(node, Series):
            return self.fetch(node.name, node.lookback)
        if isinstance(node, Neg):
            return -self.value(node.operand)
        # Type checking left only arithmetic here.
        assert isinstance(node, Arith)
        left, right = self.value(node.left), self.value(node.right)
        # Arithmetic may overflow to infinity on extreme prices; that compares as it should.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if node.op == "/":
                # A division by zero is missing, whatever the numerator.
                return np.where(np.asarray(right) == 0, np.nan, np.divide(left, right))
            return {"+": operator.add, "-": operator.sub, "*": operator.mul}[node.op](left, right)

    def _compare(self, node: Compare) -> Truth:
        left, right = self.value(node.left), self.value(node.right)
        # A constant is never missing; comparing with NaN gives False without a warning.
        known = _known(left, right, self.size)
        holds = np.broadcast_to(_COMPARE[node.op](left, right), (self.size,))
        truth = Truth(known & holds, known & ~holds)
        if self.clauses is not None:
            self.clauses[id(node)] = truth
        return truth

    def _chain(self, node: And | Or, all_true: bool) -> Truth:
        parts = [self.truth(operand) for operand in node.operands]
        every, some = np.logical_and.reduce, np.logical_or.reduce
        trues = [part.true for part in parts]
        falses = [part.false for part in parts]
        if all_true:
            return Truth(every(trues), some(falses))
        return Truth(some(trues), every(falses))


def _known(left: np.ndarray | float, right: np.ndarray | float, size: int) -> np.ndarray:
    arrays = [np.isnan(side) for side in (left, right) if isinstance(side, np.ndarray)]
    if not arrays:
        return np.ones(size, dtype=bool)
    missing = arrays[0] if len(arrays) == 1 else arrays[0] | arrays[1]
    return ~missing


def comparisons(root: ConditionNode) -> list[Compare]:
    """Every comparison of a condition, as written, left to right."""
    found: list[Compare] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if type(node) is Compare:
            found.append(node)
        elif type(node) in (And, Or, Not):
            stack.extend(reversed(node.children()))
    return found


def series_read(root: ConditionNode) -> set[tuple[str, int]]:
    """(name, lookback) of every series a condition reads."""
    found: set[tuple[str, int]] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if type(node) is Series:
            found.add((node.name, node.lookback))
        stack.extend(node.children())
    return found
