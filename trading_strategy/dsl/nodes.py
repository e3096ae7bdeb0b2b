"""The positioned document tree both loaders produce.

Every key and value keeps the 1-based line and column where it was written, so that
the validator can point at the exact character whatever the source format.

A loader that has to work positions out separately (TOML: tomllib gives none) may build
its nodes and entries with `placed_later`: their positions are then worked out the first
time one is read. A valid document is mostly never asked where anything is, so most
validations skip that work entirely.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic

# Where a part of the tree is: the keys and list indices from the root down,
# `("indicators", 2, "name")`.
TreePath = tuple[str | int, ...]


@dataclass(slots=True)
class Pos:
    line: int
    column: int


class Placer:
    """Works out the position of a node or entry built with `placed_later`.

    `where` is whatever the loader needs to find the part again (a TOML path, a YAML
    event): each loader reads back only what it gave, so it is not narrowed here.
    """

    def place_node(self, node: Node, where: Any) -> None:
        raise NotImplementedError

    def place_entry(self, entry: Entry, where: Any) -> None:
        raise NotImplementedError


class Node:
    """One value. `kind` is "map", "seq" or "scalar"; `value` holds, by kind,
    a dict of key -> Entry, a list of Node, or a plain Python scalar (str, int,
    Decimal, bool, None).

    `locate` maps an offset inside a string value to its document position; set for
    strings whose characters do not sit one after another on one line (quotes, escapes,
    blocks).
    """

    __slots__ = ("_placer", "_where", "kind", "locate", "pos", "value")
    kind: str
    # By `kind`: dict[str, Entry], list[Node] or a scalar; read after checking `kind`.
    value: Any
    pos: Pos
    locate: Callable[[int], Pos] | None
    _placer: Placer
    _where: Any

    def __init__(self, kind: str, value: Any, pos: Pos, locate: Callable[[int], Pos] | None = None) -> None:
        self.kind = kind
        self.value = value
        self.pos = pos
        self.locate = locate

    @classmethod
    def placed_later(cls, kind: str, value: Any, placer: Placer, where: Any) -> Node:
        """A node whose `pos` and `locate` `placer` sets, from `where`, when first read."""
        node = cls.__new__(cls)
        node.kind = kind
        node.value = value
        node._placer = placer
        node._where = where
        return node

    def __getattr__(self, name: str) -> Any:
        # Reached only for a slot never set: the position of a node placed later.
        if name not in ("pos", "locate"):
            raise AttributeError(name)
        self._placer.place_node(self, self._where)
        return object.__getattribute__(self, name)

    def position_of(self, offset: int) -> Pos:
        if self.locate is not None:
            return self.locate(offset)
        return Pos(self.pos.line, self.pos.column + offset)

    def plain(self) -> Any:
        """The value without positions: a dict, a list or a scalar, by `kind`."""
        if self.kind == "map":
            return {key: entry.node.plain() for key, entry in self.value.items()}
        if self.kind == "seq":
            return [item.plain() for item in self.value]
        return self.value

    def __repr__(self) -> str:
        return f"Node({self.kind!r}, {self.value!r})"


class Entry:
    """A key of a mapping and its value. `header_line`: the TOML table header the key was
    written under (line of `[x]` / `[[x]]`), when any."""

    __slots__ = ("_placer", "_where", "header_line", "key_pos", "node")
    key_pos: Pos
    node: Node
    header_line: int | None
    _placer: Placer
    _where: Any

    def __init__(self, key_pos: Pos, node: Node, header_line: int | None = None) -> None:
        self.key_pos = key_pos
        self.node = node
        self.header_line = header_line

    @classmethod
    def placed_later(cls, node: Node, placer: Placer, where: Any) -> Entry:
        """An entry whose `key_pos` and `header_line` `placer` sets when first read."""
        entry = cls.__new__(cls)
        entry.node = node
        entry._placer = placer
        entry._where = where
        return entry

    def __getattr__(self, name: str) -> Any:
        if name not in ("key_pos", "header_line"):
            raise AttributeError(name)
        self._placer.place_entry(self, self._where)
        return object.__getattribute__(self, name)

    def __repr__(self) -> str:
        return f"Entry({self.node!r})"


@dataclass(frozen=True)
class Span:
    """Where a part of the document is written: its first and its last character."""

    start: Pos
    end: Pos


class Layout:
    """Where each top-level entry of a document, and each item of a top-level list, is
    written, from its key (or TOML table header) to the last character of its value.

    What an edit that extends the document needs (the editor's Add indicator places the
    new entry after the last one). Paths are those of the tree: `("indicators",)`,
    `("indicators", 2)`. The loaders record character indices as they read (or when
    first asked); spans are worked out only when asked for.
    """

    def __init__(
        self,
        text: str,
        to_pos: Callable[[int], Pos],
        indices: Callable[[], tuple[tuple[Mapping[TreePath, int], ...], Mapping[TreePath, int]]],
    ) -> None:
        # `indices()` gives one or more maps of path -> index where it begins (the
        # earliest wins) and one of path -> index just past a value, for the path and the
        # paths below it.
        self._text = text
        self._to_pos = to_pos
        self._indices = indices

    def span(self, path: TreePath) -> Span | None:
        starts_by, ends_by = self._indices()
        starts = [found[path] for found in starts_by if path in found]
        size = len(path)
        ends = [end for inner, end in ends_by.items() if inner[:size] == path]
        if not starts or not ends:
            return None
        start, last = min(starts), max(ends) - 1
        # A YAML block scalar ends after its trailing line breaks, and a bare TOML value
        # after the spaces before a comment: the span ends at the last written character.
        while last > start and self._text[last].isspace():
            last -= 1
        return Span(self._to_pos(start), self._to_pos(last))


class LoadResult:
    """A loader's answer: the tree (None when the text could not be read), what it found
    wrong, and where the parts are written (present whenever the tree is)."""

    __slots__ = ("_first_table_line", "diagnostics", "layout", "root", "unlisted")

    def __init__(
        self,
        root: Node | None,
        diagnostics: list[Diagnostic] | None = None,
        first_table_line: int | Callable[[], int | None] | None = None,
        layout: Layout | None = None,
        unlisted: int = 0,
    ) -> None:
        self.root = root
        self.diagnostics = [] if diagnostics is None else diagnostics
        # Diagnostics found but not kept: a report lists only the first ones of a kind.
        self.unlisted = unlisted
        self._first_table_line = first_table_line
        self.layout = layout

    @property
    def first_table_line(self) -> int | None:
        """TOML only: the line of the first table header, named in `toml.key_in_table`
        hints (a loader may give a function that works it out when asked)."""
        found = self._first_table_line
        return found() if callable(found) else found
