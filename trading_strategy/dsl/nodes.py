"""The positioned document tree both loaders produce.

Every key and value keeps the 1-based line and column where it was written, so that
the validator can point at the exact character whatever the source format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


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


@dataclass
class LoadResult:
    root: Node | None
    diagnostics: list = field(default_factory=list)
    # TOML only: the line of the first table header, named in `toml.key_in_table` hints.
    first_table_line: int | None = None
