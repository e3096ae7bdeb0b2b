"""The positioned document tree both loaders produce.

Every key and value keeps the 1-based line and column where it was written, so that
the validator can point at the exact character whatever the source format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping


@dataclass
class Pos:
    line: int
    column: int


@dataclass
class Node:
    """One value. `kind` is "map", "seq" or "scalar"; `value` holds, by kind,
    a dict of key -> Entry, a list of Node, or a plain Python scalar (str, int,
    Decimal, bool, None)."""

    kind: str
    value: Any
    pos: Pos
    # Maps an offset inside a string value to its document position; set for strings
    # whose characters do not sit one after another on one line (quotes, escapes, blocks).
    locate: Callable[[int], Pos] | None = None

    def position_of(self, offset: int) -> Pos:
        if self.locate is not None:
            return self.locate(offset)
        return Pos(self.pos.line, self.pos.column + offset)

    def plain(self):
        """The value without positions."""
        if self.kind == "map":
            return {key: entry.node.plain() for key, entry in self.value.items()}
        if self.kind == "seq":
            return [item.plain() for item in self.value]
        return self.value


@dataclass
class Entry:
    key_pos: Pos
    node: Node
    # The TOML table header a key was written under (line of `[x]` / `[[x]]`), when any.
    header_line: int | None = None


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
    `("indicators", 2)`. The loaders record character indices as they read; spans are
    worked out only when asked for.
    """

    def __init__(self, text: str, to_pos: Callable[[int], Pos],
                 starts: tuple[Mapping[tuple, int], ...], ends: Mapping[tuple, int]):
        # `starts`: one or more maps of path -> index where it begins (the earliest wins);
        # `ends`: path -> index just past a value, for the path and the paths below it.
        self._text = text
        self._to_pos = to_pos
        self._starts = starts
        self._ends = ends

    def span(self, path: tuple) -> Span | None:
        starts = [found[path] for found in self._starts if path in found]
        size = len(path)
        ends = [end for inner, end in self._ends.items() if inner[:size] == path]
        if not starts or not ends:
            return None
        start, last = min(starts), max(ends) - 1
        # A YAML block scalar ends after its trailing line breaks, and a bare TOML value
        # after the spaces before a comment: the span ends at the last written character.
        while last > start and self._text[last].isspace():
            last -= 1
        return Span(self._to_pos(start), self._to_pos(last))


@dataclass
class LoadResult:
    root: Node | None
    diagnostics: list = field(default_factory=list)
    # TOML only: the line of the first table header, named in `toml.key_in_table` hints.
    first_table_line: int | None = None
    # Present whenever `root` is.
    layout: Layout | None = None
