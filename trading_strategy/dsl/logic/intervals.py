"""Sets of real numbers as unions of intervals, with exact Decimal end points.

The logic checks reason about what values a comparison allows (`rsi_14 < 30` allows
[0, 30) of RSI's 0..100). End points are the decimals written in the condition, so
`x < 0.3 AND x >= 0.1 + 0.2` is judged exactly, never through binary floating point.
Strictness matters: `x < 30 AND x >= 30` is empty, `x <= 30 AND x >= 30` is {30}.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple


class Interval(NamedTuple):
    """Immutable; a named tuple because the checks build many, and it is built fastest."""

    low: Decimal | None  # None: no lower end (minus infinity)
    low_closed: bool
    high: Decimal | None  # None: no upper end
    high_closed: bool

    def is_empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        return self.low > self.high or (self.low == self.high and not (self.low_closed and self.high_closed))

    def low_key(self) -> tuple[int] | tuple[int, Decimal, bool]:
        # Orders lower ends: minus infinity first; at one value a closed end comes first.
        return (0,) if self.low is None else (1, self.low, not self.low_closed)


def _max_low(a: Interval, b: Interval) -> tuple[Decimal | None, bool]:
    if a.low is None or (b.low is not None and b.low > a.low):
        return b.low, b.low_closed
    if b.low is None or a.low > b.low:
        return a.low, a.low_closed
    return a.low, a.low_closed and b.low_closed


def _min_high(a: Interval, b: Interval) -> tuple[Decimal | None, bool]:
    if a.high is None or (b.high is not None and b.high < a.high):
        return b.high, b.high_closed
    if b.high is None or a.high < b.high:
        return a.high, a.high_closed
    return a.high, a.high_closed and b.high_closed


def _max_high(a: Interval, b: Interval) -> tuple[Decimal | None, bool]:
    if a.high is None or b.high is None:
        return None, False
    if a.high != b.high:
        return (a.high, a.high_closed) if a.high > b.high else (b.high, b.high_closed)
    return a.high, a.high_closed or b.high_closed


def _touches(a: Interval, b: Interval) -> bool:
    """Whether `b`, which starts no earlier than `a`, overlaps or adjoins it."""
    if a.high is None or b.low is None:
        return True
    return a.high > b.low or (a.high == b.low and (a.high_closed or b.low_closed))


class IntervalSet:
    """A union of disjoint, sorted, non-adjoining, non-empty intervals."""

    __slots__ = ("parts",)

    def __init__(self, parts: Iterable[Interval] = ()) -> None:
        kept = [part for part in parts if not part.is_empty()]
        if len(kept) > 1:  # most sets are one interval, already in order
            kept.sort(key=Interval.low_key)
        merged: list[Interval] = []
        for part in kept:
            if merged and _touches(merged[-1], part):
                high, high_closed = _max_high(merged[-1], part)
                last = merged[-1]
                merged[-1] = Interval(last.low, last.low_closed, high, high_closed)
            else:
                merged.append(part)
        self.parts = tuple(merged)

    @classmethod
    def _normal(cls, parts: tuple[Interval, ...]) -> IntervalSet:
        """A set of `parts` that are already disjoint, sorted, non-adjoining, non-empty."""
        made = cls.__new__(cls)
        made.parts = parts
        return made

    @classmethod
    def between(cls, low: Decimal | None, high: Decimal | None) -> IntervalSet:
        """The closed range low..high; None leaves that end open to infinity."""
        part = Interval(low, low is not None, high, high is not None)
        return cls._normal(() if part.is_empty() else (part,))

    @classmethod
    def satisfying(cls, op: str, value: Decimal) -> IntervalSet:
        """The values x for which `x <op> value` holds."""
        # Each case is one interval open at infinity, a single point, or two intervals
        # apart at `value`: normal as built.
        if op == "<" or op == "<=":
            return cls._normal((Interval(None, False, value, op == "<="),))
        if op == ">" or op == ">=":
            return cls._normal((Interval(value, op == ">=", None, False),))
        if op == "==":
            return cls._normal((Interval(value, True, value, True),))
        return cls._normal((Interval(None, False, value, False), Interval(value, False, None, False)))

    def is_empty(self) -> bool:
        return not self.parts

    def __and__(self, other: IntervalSet) -> IntervalSet:
        # A chain often repeats a comparison (`... OR close > open` in every group): the
        # same set again needs no work, and two single intervals meet in one at most.
        if self.parts == other.parts:
            return self
        if len(self.parts) == 1 and len(other.parts) == 1:
            a, b = self.parts[0], other.parts[0]
            part = Interval(*_max_low(a, b), *_min_high(a, b))
            return IntervalSet._normal(() if part.is_empty() else (part,))
        pieces: list[Interval] = []
        for a in self.parts:
            for b in other.parts:
                low, low_closed = _max_low(a, b)
                high, high_closed = _min_high(a, b)
                pieces.append(Interval(low, low_closed, high, high_closed))
        return IntervalSet(pieces)

    def __or__(self, other: IntervalSet) -> IntervalSet:
        if self.parts == other.parts:
            return self
        return IntervalSet(self.parts + other.parts)

    def complement(self) -> IntervalSet:
        gaps: list[Interval] = []
        low: Decimal | None = None
        low_closed = False
        for part in self.parts:
            if part.low is not None:
                gaps.append(Interval(low, low_closed, part.low, not part.low_closed))
            if part.high is None:
                return IntervalSet(gaps)
            low, low_closed = part.high, not part.high_closed
        gaps.append(Interval(low, low_closed, None, False))
        return IntervalSet(gaps)

    def is_everything(self) -> bool:
        return len(self.parts) == 1 and self.parts[0].low is None and self.parts[0].high is None

    def within(self, other: IntervalSet) -> bool:
        # Most questions are about differences of series, whose domain is every number:
        # answered without building the complement and the intersection.
        if other.is_everything() or self.parts == other.parts:
            return True
        if self.is_everything():
            return False
        return (self & other.complement()).is_empty()
