"""YAML loading with positions, the YAML 1.2 core schema and limits enforced on events.

The tree is built from the parser's event stream rather than PyYAML's composer: depth,
alias expansion and values are counted as events arrive, so a deep, exploding or
oversized document is rejected before any large tree exists, and no event after the
mistake is parsed (libyaml's composer recurses on depth, and an alias bomb would expand
in memory).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol, cast

import yaml

from .. import limits
from ..diagnostics import ERROR, Diagnostic
from ..nodes import Entry, Layout, LoadResult, Node, Placer, Pos, TreePath
from .textmap import LineIndex, locator
from .value_limit import too_many_values
from .yaml_scalars import CORE_TAGS, INTEGER_START, STR_TAG, Scalar, resolve_plain

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The event classes `build` tells apart, bound once: it asks for each of a thousand events.
_ScalarEvent, _AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
_MappingStartEvent, _MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStartEvent, _SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DocumentEndEvent = yaml.DocumentEndEvent
# A parser event (yaml.ScalarEvent, yaml.MappingStartEvent...). Left untyped: `build` tells
# the classes apart by `__class__` (the quickest test), which type checkers do not narrow
# on, and the stubs declare every event's marks optional though the parser always sets them.
_Event = Any
_SYNTAX_HINTS = (
    ("found character '\\t'", "indent with spaces; YAML does not allow tabs"),
    ("found a tab character", "indent with spaces; YAML does not allow tabs"),
    ("mapping values are not allowed", "put a space after each `key:` and quote values that contain ': '"),
    (
        "could not find expected ':'",
        "each line of a mapping is `key: value`; check the indentation of this line and the one above",
    ),
    ("found duplicate anchor", "give each anchor its own name"),
    ("found undefined alias", "define the anchor (&name) before using *name"),
)


class _Mark(Protocol):
    """Where an event starts or ends: a yaml.Mark, or libyaml's own class of it."""

    index: int
    line: int
    column: int


# A collection being read: its node, its anchor, its pending key (text, position, index
# of its first character), the index of its first character, whether in flow style.
_Open = tuple[Node, str | None, list[tuple[str, Pos, int]], int, bool]


class _Reject(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def _too_large(pos: Pos) -> Diagnostic:
    return _error(
        "yaml.syntax",
        "the document holds a number too large to read",
        pos,
        "write numbers with at most a few dozen digits",
    )


def resolve_plain_checked(text: str, pos: Pos) -> Scalar:
    try:
        return resolve_plain(text)
    # A decimal integer beyond Python's 4,300-digit conversion limit (ValueError), or an
    # exponent beyond what Decimal holds (InvalidOperation, an ArithmeticError).
    except (ValueError, ArithmeticError):
        raise _Reject(_too_large(pos)) from None


def _error(code: str, message: str, pos: Pos | None, hint: str | None = None, path: str = "") -> Diagnostic:
    return Diagnostic(
        code, ERROR, message, pos.line if pos else None, pos.column if pos else None, path, hint
    )


class _Builder(Placer):
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = LineIndex(text)
        self.anchors: dict[str, tuple[Node, int] | None] = {}
        self.expanded = 0
        self.values = 0
        self.duplicates: list[Diagnostic] = []
        self.unlisted = 0
        # For the Layout: where each top-level entry and top-level list item starts, and
        # where its value ends; `last_end` is just past the last character read so far.
        self.starts: dict[TreePath, int] = {}
        self.ends: dict[TreePath, int] = {}
        self.last_end = 0

    def pos(self, mark: _Mark) -> Pos:
        return Pos(mark.line + 1, mark.column + 1)

    def check_tag(self, event: _Event) -> None:
        tag = event.tag
        if tag in (None, "!") or tag in CORE_TAGS:
            return
        raise _Reject(
            _error(
                "yaml.syntax",
                f"the tag '{tag}' is not allowed",
                self.pos(event.start_mark),
                "remove the tag; a strategy holds only plain values",
            )
        )

    @staticmethod
    def value(event: _Event, pos: Pos) -> Scalar:
        """The scalar's value under the core schema (a quoted or `!!str` one is text)."""
        tag = event.tag
        if event.style or tag not in (None, "!"):
            if tag not in CORE_TAGS or tag == STR_TAG:
                text: str = event.value
                return text
        value = resolve_plain_checked(event.value, pos)
        # Refused here like a number tomllib refuses.
        if type(value) is int and value.bit_length() > limits.MAX_INTEGER_BITS:
            raise _Reject(_too_large(pos))
        return value

    def scalar(self, event: _Event, pos: Pos) -> Node:
        value = self.value(event, pos)
        if not (isinstance(value, str) and value):
            return Node("scalar", value, pos)
        # A string's locator is made when a diagnostic first points inside it.
        node = Node.placed_later("scalar", value, self, event)
        node.pos = pos
        return node

    def place_node(self, node: Node, event: _Event) -> None:
        start, end = event.start_mark.index, event.end_mark.index
        if event.style in ("'", '"'):
            start, end = start + 1, end - 1
        elif event.style in ("|", ">"):
            newline = self.text.find("\n", start, end)
            start = end if newline < 0 else newline + 1
        node.locate = locator(self.text, start, end, node.value, self.lines, escapes=event.style == '"')

    def build(self, events: Iterator[_Event]) -> Node | None:
        """Consume the events of one document and return its root node."""
        stack: list[_Open] = []
        root: Node | None = None
        sizes: list[int] = []
        for event in events:
            kind = event.__class__
            if kind is _ScalarEvent:
                if event.tag is not None:
                    self.check_tag(event)
                mark = event.start_mark
                pos = Pos(mark.line + 1, mark.column + 1)
                top = stack[-1] if stack else None
                if top is not None and not top[2] and top[0].kind == "map" and not event.anchor:
                    # A mapping key: only its text and position are kept. One that reads
                    # as an integer is still read, for the number limit.
                    if event.tag is not None or (not event.style and event.value[:1] in INTEGER_START):
                        self.value(event, pos)
                    self.last_end = event.end_mark.index
                    sizes[-1] += 1
                    top[2].append((event.value, pos, mark.index))
                    continue
                if stack:
                    # A value (or a key with an anchor, which takes this way too).
                    self.count_value(pos)
                done, done_size = self.scalar(event, pos), 1
                if event.anchor:
                    self.anchors[event.anchor] = (done, 1)
                done_start, self.last_end = mark.index, event.end_mark.index
            elif kind is _MappingStartEvent or kind is _SequenceStartEvent:
                self.check_tag(event)
                if len(stack) + 1 > limits.MAX_DEPTH:
                    raise _Reject(
                        _error(
                            "document.too_deep",
                            f"the document nests deeper than {limits.MAX_DEPTH} levels",
                            self.pos(event.start_mark),
                            "flatten the structure",
                        )
                    )
                if stack:
                    self.count_value(self.pos(event.start_mark))
                node = (
                    Node("map", {}, self.pos(event.start_mark))
                    if kind is _MappingStartEvent
                    else Node("seq", [], self.pos(event.start_mark))
                )
                if event.anchor:
                    self.anchors[event.anchor] = None  # open: an alias to it now is recursive
                stack.append((node, event.anchor, [], event.start_mark.index, bool(event.flow_style)))
                sizes.append(1)
                continue
            elif kind is _MappingEndEvent or kind is _SequenceEndEvent:
                node, anchor, _, start, flow = stack.pop()
                size = sizes.pop()
                if anchor:
                    self.anchors[anchor] = (node, size)
                if flow:
                    # A flow collection ends at its bracket; a block collection's end
                    # event sits at the next token, past any comments in between.
                    self.last_end = event.end_mark.index
                done, done_size, done_start = node, size, start
            elif kind is _AliasEvent:
                self.count_value(self.pos(event.start_mark))
                done, done_size = self.alias(event)
                done_start, self.last_end = event.start_mark.index, event.end_mark.index
            elif kind is _DocumentEndEvent:
                return root
            else:
                continue
            if not stack:
                root = done
                continue
            sizes[-1] += done_size
            self.attach(stack, done, event, done_start)
        return root

    def count_value(self, pos: Pos) -> None:
        """Count a value of a key or item of a list, written at `pos`, and stop reading at
        the first beyond the limit: no event past it is parsed."""
        self.values += 1
        if self.values > limits.MAX_VALUES:
            raise _Reject(too_many_values(pos))

    def alias(self, event: _Event) -> tuple[Node, int]:
        pos = self.pos(event.start_mark)
        if event.anchor not in self.anchors:
            raise _Reject(
                _error(
                    "yaml.syntax",
                    f"the alias '*{event.anchor}' has no anchor",
                    pos,
                    f"define '&{event.anchor}' before using it",
                )
            )
        target = self.anchors[event.anchor]
        if target is None:
            raise _Reject(
                _error(
                    "yaml.alias_limit",
                    f"the alias '*{event.anchor}' refers to itself",
                    pos,
                    "a recursive alias never ends; copy the values instead",
                )
            )
        node, size = target
        self.expanded += size
        if self.expanded > limits.MAX_ALIAS_VALUES:
            raise _Reject(
                _error(
                    "yaml.alias_limit",
                    f"aliases expand to more than {limits.MAX_ALIAS_VALUES:,} values",
                    pos,
                    "write the values out instead of nesting aliases",
                )
            )
        return node, size

    def attach(self, stack: list[_Open], child: Node, event: _Event, start: int) -> None:
        """Add `child`, which starts at index `start`, to the innermost open collection."""
        parent, pending = stack[-1][0], stack[-1][2]
        if parent.kind == "seq":
            if len(stack) == 2:
                self.lay_out_item(stack[0], len(parent.value), start)
            parent.value.append(child)
            return
        if not pending:
            if child.kind != "scalar" or isinstance(event, yaml.AliasEvent):
                raise _Reject(
                    _error(
                        "yaml.syntax",
                        "a mapping key must be a plain name",
                        child.pos,
                        "write keys as plain words",
                    )
                )
            key = event.value if isinstance(event, yaml.ScalarEvent) else str(child.value)
            pending.append((key, child.pos, start))
            return
        key, key_pos, key_start = pending.pop()
        if key in parent.value:
            if len(self.duplicates) >= limits.MAX_DIAGNOSTICS:
                # Found in document order, so a report would list none past these.
                self.unlisted += 1
                return
            first = parent.value[key].key_pos
            self.duplicates.append(
                _error(
                    "yaml.duplicate_key",
                    f"the key '{key}' is written twice (first on line {first.line})",
                    key_pos,
                    f"remove one of the two '{key}' keys",
                )
            )
            return
        parent.value[key] = Entry(key_pos, child)
        if len(stack) == 1:
            self.starts[(key,)], self.ends[(key,)] = key_start, self.last_end

    def lay_out_item(self, top: _Open, index: int, start: int) -> None:
        """Record an item of a list that is the value of a top-level key."""
        root, pending = top[0], top[2]
        if root.kind == "map" and pending and pending[0][0] not in root.value:
            path = (pending[0][0], index)
            self.starts[path], self.ends[path] = start, self.last_end


def load_yaml(text: str) -> LoadResult:
    builder = _Builder(text)
    loader = Loader(text)
    # The parser's events one by one, without the generator yaml.parse wraps them in.
    events: Iterator[_Event] = iter(loader.get_event, None)
    documents = 0
    root: Node | None = None
    try:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    return LoadResult(
                        None,
                        [
                            _error(
                                "yaml.syntax",
                                "the file holds more than one YAML document",
                                # The parser sets the marks of every event it produces.
                                builder.pos(cast(_Mark, event.start_mark)),
                                "remove the second '---'; one file holds one strategy",
                            )
                        ],
                    )
                root = builder.build(events)
    except _Reject as rejected:
        return LoadResult(None, [rejected.diagnostic])
    except yaml.MarkedYAMLError as exc:
        return LoadResult(None, [_syntax_error(exc)])
    except yaml.YAMLError as exc:
        return LoadResult(None, [_error("yaml.syntax", str(exc), Pos(1, 1))])
    finally:
        loader.dispose()
    layout = Layout(text, builder.lines.pos, lambda: ((builder.starts,), builder.ends))
    return LoadResult(root, builder.duplicates, layout=layout, unlisted=builder.unlisted)


def _syntax_error(exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    message = f"{problem} ({exc.context})" if exc.context else problem
    hint = next((text for needle, text in _SYNTAX_HINTS if needle in message), None)
    pos = Pos(mark.line + 1, mark.column + 1) if mark else Pos(1, 1)
    return _error("yaml.syntax", message, pos, hint)
