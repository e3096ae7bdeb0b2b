"""The tree of a parsed condition.

Every node carries `start`/`end`: the offsets of the text it was parsed from, including
the parentheses of the groups inside it but not its own enclosing ones, so
`text[node.start:node.end]` is always balanced and quotes exactly what the user wrote.

Equality and hashing are structural: positions (and whether a lookback of 0 was written)
are ignored, so `close[0]` in one condition equals `close` in another and nodes can go
into sets. Both, like `walk` and `fold`, work without recursion: a 2,000-character
condition such as `1+1+1+...` is a left-leaning chain of about a thousand `Arith` nodes,
deeper than Python's recursion limit.

Invariants the parser guarantees: `And` and `Or` have at least two operands and an
operand is never a node of the same class (nested groups are flattened); a negative
literal is `Neg(Number)`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import TypeVar

ARITH_OPS = ("+", "-", "*", "/")
COMPARE_OPS = ("<", "<=", ">", ">=", "==", "!=")

T = TypeVar("T")


class Node:
    """Base of every condition node. Nodes are never changed once built (hashing is
    structural); plain slotted classes, because a long condition has a thousand of them
    and a frozen dataclass takes twice as long to build (the parser passes `start` and
    `end` by position, which is quicker still)."""

    __slots__ = ("end", "start")
    start: int
    end: int
    # What the node yields: a comparison, NOT, AND and OR a boolean, the rest a number.
    boolean = False

    def children(self) -> tuple[Node, ...]:
        return ()

    def _data(self) -> tuple[Hashable, ...]:
        """What makes this node differ from another of its class, children excluded."""
        return ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return shape(self) == shape(other)

    def __hash__(self) -> int:
        return hash(shape(self))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in _fields(type(self)))
        return f"{type(self).__name__}({fields})"


def _fields(cls: type[Node]) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        names += [name for name in klass.__dict__.get("__slots__", ()) if name not in names]
    return [name for name in names if name not in ("start", "end")] + ["start", "end"]


class Number(Node):
    __slots__ = ("value",)

    def __init__(self, value: Decimal, start: int = 0, end: int = 0) -> None:
        self.value = value
        self.start = start
        self.end = end

    def _data(self) -> tuple[Decimal]:
        return (self.value,)


class Series(Node):
    """An OHLCV name, an indicator (output) or a position variable, `lookback` bars ago."""

    # `lookback_at`: offset of the `[` when a lookback was written, so a forbidden one
    # can be pointed at.
    __slots__ = ("lookback", "lookback_at", "name")

    def __init__(
        self, name: str, lookback: int = 0, start: int = 0, end: int = 0, lookback_at: int | None = None
    ) -> None:
        self.name = name
        self.lookback = lookback
        self.start = start
        self.end = end
        self.lookback_at = lookback_at

    def _data(self) -> tuple[str, int]:
        return (self.name, self.lookback)


class _Unary(Node):
    __slots__ = ("operand",)

    def __init__(self, operand: Node, start: int = 0, end: int = 0) -> None:
        self.operand = operand
        self.start = start
        self.end = end

    def children(self) -> tuple[Node]:
        return (self.operand,)


class Neg(_Unary):
    """Unary minus."""

    __slots__ = ()


class _Binary(Node):
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: Node, right: Node, start: int = 0, end: int = 0) -> None:
        self.op = op
        self.left = left
        self.right = right
        self.start = start
        self.end = end

    def children(self) -> tuple[Node, Node]:
        return (self.left, self.right)

    def _data(self) -> tuple[str]:
        return (self.op,)


class Arith(_Binary):
    """`+ - * /` between numbers."""

    __slots__ = ()


class Compare(_Binary):
    """One comparison; comparisons do not chain."""

    __slots__ = ()
    boolean = True


class Not(_Unary):
    """Logical NOT."""

    __slots__ = ()
    boolean = True


class _Chain(Node):
    __slots__ = ("operands",)
    boolean = True

    def __init__(self, operands: tuple[Node, ...], start: int = 0, end: int = 0) -> None:
        self.operands = operands
        self.start = start
        self.end = end

    def children(self) -> tuple[Node, ...]:
        return self.operands


class And(_Chain):
    """Two or more operands, all true."""

    __slots__ = ()


class Or(_Chain):
    """Two or more operands, any true."""

    __slots__ = ()


def walk(root: Node) -> Iterator[Node]:
    """Every node, parents before children, children left to right (source order)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))


def fold(root: Node, combine: Callable[[Node, list[T]], T], leaves: tuple[type[Node], ...] = ()) -> T:
    """Bottom-up evaluation: `combine(node, [value of each child])` for every node.

    Nodes are combined after their children, children left to right, in two flat
    passes: listing parents before children, children right to left, and reading that
    list backwards gives exactly this order, without revisiting a node on the stack.
    Nodes of the classes in `leaves` are combined as leaves: their children are skipped.
    """
    order: list[tuple[Node, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        children = () if leaves and isinstance(node, leaves) else node.children()
        order.append((node, len(children)))
        stack.extend(children)
    values: list[T] = []
    for node, count in reversed(order):
        if count:
            args = values[-count:]
            del values[-count:]
        else:
            args = []
        values.append(combine(node, args))
    return values[0]


def shape(root: Node) -> tuple[tuple[str, tuple[Hashable, ...], int], ...]:
    """The tree without positions, as a flat tuple: what equality and hashing compare."""
    return tuple((type(node).__name__, node._data(), len(node.children())) for node in walk(root))


def constant_value(root: Node) -> Decimal | None:
    """The value of an expression made only of numbers (`-5`, `2 * 0.5`), else None."""

    def combine(node: Node, args: list[Decimal | None]) -> Decimal | None:
        if isinstance(node, Number):
            return node.value
        if isinstance(node, Neg):
            operand = args[0]
            return None if operand is None else -operand
        if not isinstance(node, Arith):
            return None
        left, right = args
        if left is None or right is None:
            return None
        try:
            return {
                "+": lambda: left + right,
                "-": lambda: left - right,
                "*": lambda: left * right,
                "/": lambda: left / right,
            }[node.op]()
        except (DivisionByZero, InvalidOperation):
            return None

    return fold(root, combine)
