"""Load a TOML strategy document into the positioned tree of nodes.py.

tomllib decides what the document means; toml_scan finds where each part was written,
and where nesting first goes deeper than the limit. The tree mirrors tomllib's result
exactly (same keys, order and values, decimals as Decimal) with a position on every key
and value. The scan runs only when a position is first asked for (a diagnostic, a string
locator, the Layout), the document is too deep, or it may hold more values than allowed
(then before tomllib, and only as far as the first value beyond): a valid document is
mostly not scanned.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from typing import cast

from ..diagnostics import ERROR, Diagnostic
from ..limits import MAX_DEPTH, MAX_INTEGER_BITS, MAX_VALUES
from ..nodes import Entry, Layout, LoadResult, Node, Placer, Pos, TreePath
from . import textmap
from .toml_scan import Scan, scan
from .value_limit import holds_too_many_values, may_hold_too_many_values, too_many_values

_ERROR_AT = re.compile(
    r"(?P<message>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)",
    re.DOTALL,
)
_WORD = re.compile(r"[^\n,\]}#]*")

_DUPLICATE_KEY = "This key is written twice (or names a table that already has a value); keep one."
_UNCLOSED_STRING = (
    'Close the string with the same quote on the same line, or use """ ... """ for text over several lines.'
)
# tomllib message prefix -> hint, for causes recognisable from the message alone.
_HINTS = (
    (
        "Cannot declare",
        "This table header is written twice; merge the two sections into one"
        " (a list of tables uses [[...]] headers).",
    ),
    ("Cannot overwrite a value", _DUPLICATE_KEY),
    ("Duplicate inline table key", _DUPLICATE_KEY),
    ("Cannot redefine namespace", _DUPLICATE_KEY),
    ("Cannot mutate immutable namespace", _DUPLICATE_KEY),
    ("Unterminated string", _UNCLOSED_STRING),
    ("Unclosed array", 'Separate the items with "," and close the array with "]".'),
    ("Unclosed inline table", 'Write an inline table { ... } on one line, with "," between its items.'),
    ("Expected ']", 'Close the table header with "]" (or "]]" for [[...]]).'),
    ("Expected newline or end of document", "Write each key = value on its own line, and quote text values."),
)


def load_toml(text: str) -> LoadResult:
    # tomllib reads "\r\n" as "\n"; doing the same first keeps its error positions, the
    # scan and the string locators on one text. Lines and columns are unchanged by it.
    src = text.replace("\r\n", "\n")
    places = _Places(src)
    beyond = places.first_value_beyond_limit()
    if beyond is not None:
        return LoadResult(None, [too_many_values(beyond)])
    try:
        data = tomllib.loads(src, parse_float=Decimal)
        if holds_too_many_values(data):
            return _too_many_values(places)
        # Nesting beyond the limit is refused at the first container that crosses it,
        # whatever else the document holds; only the scan knows where that is.
        root = _build(places, (), data)
    except _TooDeep:
        return _too_deep(places.too_deep())
    except tomllib.TOMLDecodeError as error:
        if places.found.too_deep is not None:
            return _too_deep(places.too_deep())
        return LoadResult(None, [_syntax_error(str(error), src)])
    except RecursionError:
        # A deep document: tomllib recurses on nested arrays and inline tables.
        return _too_deep(places.too_deep())
    except (ArithmeticError, ValueError):
        if places.found.too_deep is not None:
            return _too_deep(places.too_deep())
        # A number beyond what Decimal (exponent) or int (4300 digits) will read.
        return LoadResult(
            None,
            [
                Diagnostic(
                    "toml.syntax",
                    ERROR,
                    "the document holds a number too large to read",
                    1,
                    1,
                    hint="write numbers with at most a few dozen digits",
                )
            ],
        )
    return LoadResult(root, [], places.first_table_line, Layout(src, places.pos_at, places.indices))


class _TooDeep(Exception):
    """The document nests deeper than MAX_DEPTH."""


def _build(places: _Places, path: TreePath, value: object) -> Node:
    """The tree of tomllib's result, each node and entry placed (by its path) when first
    asked where."""
    if isinstance(value, dict):
        if len(path) + 1 > MAX_DEPTH:  # the root table is level 1
            raise _TooDeep
        entries: dict[str, Entry] = {}
        for key, child in value.items():
            child_path = path + (key,)
            entries[key] = Entry.placed_later(_build(places, child_path, child), places, child_path)
        return Node.placed_later("map", entries, places, path)
    if isinstance(value, list):
        if len(path) + 1 > MAX_DEPTH:
            raise _TooDeep
        return Node.placed_later(
            "seq", [_build(places, path + (index,), item) for index, item in enumerate(value)], places, path
        )
    if type(value) is int and value.bit_length() > MAX_INTEGER_BITS:
        # tomllib reads hexadecimal, octal and binary integers of any length.
        raise ValueError("an integer too long to print")
    return Node.placed_later("scalar", value, places, path)


class _Places(Placer):
    """Where the parts of one document are written: the scan runs the first time a
    position is asked for, which a valid document mostly never is."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.lines = textmap.LineIndex(src)
        self._found: Scan | None = None

    @property
    def found(self) -> Scan:
        if self._found is None:
            self._found = scan(self.src)
        return self._found

    def first_value_beyond_limit(self) -> Pos | None:
        """Where the first value beyond MAX_VALUES is written, found before tomllib reads
        the whole document, by a scan that stops there. None if there is none (or the
        document nests too deep first): the scan is then the one positions are read from."""
        if not may_hold_too_many_values(self.src):
            return None
        found = scan(self.src, MAX_VALUES)
        if found.too_many is None:
            self._found = found
            return None
        return self.lines.pos(found.too_many)

    def pos_at(self, index: int) -> Pos:
        return self.lines.pos(index)

    def too_deep(self) -> Pos:
        index = self.found.too_deep
        # The scan finds every container tomllib reads; should it ever miss the deep one,
        # the document's start still names the mistake.
        return Pos(1, 1) if index is None else self.lines.pos(index)

    def first_table_line(self) -> int | None:
        first = self.found.first_header
        return None if first is None else self.lines.pos(first).line

    def indices(self) -> tuple[tuple[Mapping[TreePath, int], ...], Mapping[TreePath, int]]:
        found = self.found
        return (found.key_at, found.value_at), found.value_end

    def _pos(self, index: int | None, parent: TreePath) -> Pos:
        """At `index`, or else where the value at path `parent` is.

        The scan records every path of a document tomllib accepted; should it ever miss
        one, the nearest enclosing value's position is a better answer than a failed load.
        """
        if index is not None:
            return self.lines.pos(index)
        value_at = self.found.value_at
        while parent:
            index = value_at.get(parent)
            if index is not None:
                return self.lines.pos(index)
            parent = parent[:-1]
        index = value_at.get(())
        return Pos(1, 1) if index is None else self.lines.pos(index)

    def place_node(self, node: Node, path: TreePath) -> None:
        found = self.found
        node.pos = self._pos(found.value_at.get(path), path[:-1])
        span = found.strings.get(path)
        node.locate = None
        if node.kind == "scalar" and isinstance(node.value, str) and span is not None:
            start, end, escapes = span
            node.locate = textmap.locator(
                source=self.src, start=start, end=end, value=node.value, lines=self.lines, escapes=escapes
            )

    def place_entry(self, entry: Entry, path: TreePath) -> None:
        found = self.found
        entry.key_pos = self._pos(found.key_at.get(path), path[:-1])
        header = found.header_at.get(path)
        entry.header_line = None if header is None else self.lines.pos(header).line


def _too_deep(pos: Pos) -> LoadResult:
    message = f"The document nests more than {MAX_DEPTH} levels deep."
    hint = "Flatten the structure: use fewer nested arrays and tables."
    return LoadResult(
        None, [Diagnostic("document.too_deep", ERROR, message, pos.line, pos.column, hint=hint)]
    )


def _too_many_values(places: _Places) -> LoadResult:
    """The error at the first value beyond the limit, for values `may_hold_too_many_values`
    did not foresee, found by a scan that reads no further; or nesting too deep, should
    that come first in the document."""
    found = scan(places.src, MAX_VALUES)
    if found.too_deep is not None:
        return _too_deep(places.lines.pos(found.too_deep))
    # The scan finds every value tomllib reads; should it ever miss some, the document's
    # start still names the mistake.
    pos = Pos(1, 1) if found.too_many is None else places.lines.pos(found.too_many)
    return LoadResult(None, [too_many_values(pos)])


def _syntax_error(text: str, src: str) -> Diagnostic:
    lines = textmap.LineIndex(src)
    match = _ERROR_AT.fullmatch(text)
    if match is None:
        return Diagnostic("toml.syntax", ERROR, text, 1, 1)
    message = match["message"]
    if match["line"] is None:
        # "At end of document" names the last line, not the empty one after a final newline.
        at = len(src) - 1 if src.endswith("\n") else len(src)
    else:
        at = lines.starts[int(match["line"]) - 1] + int(match["column"]) - 1
    pos = lines.pos(at)
    return Diagnostic("toml.syntax", ERROR, message, pos.line, pos.column, hint=_hint(message, src, at))


def _hint(message: str, src: str, at: int) -> str | None:
    char = src[at : at + 1]
    if message == "Invalid value" and char.isalpha():
        # `_WORD` matches the empty string too, so it matches wherever it is tried.
        word = cast(re.Match[str], _WORD.match(src, at)).group().strip()
        example = word if len(word) <= 60 else "..."
        return f'Quote text values: write "{example}".'
    if message.startswith("Expected '=' after a key") and char == ":":
        return 'TOML separates a key from its value with "=", not ":".'
    if message.startswith(("Illegal character", "Found invalid character", "Expected \"'")) and char in (
        "\n",
        "",
    ):
        return _UNCLOSED_STRING
    for prefix, hint in _HINTS:
        if message.startswith(prefix):
            return hint
    return None
