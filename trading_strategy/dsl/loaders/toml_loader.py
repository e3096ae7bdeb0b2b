"""Load a TOML strategy document into the positioned tree of nodes.py.

tomllib decides what the document means; toml_scan finds where each part was written
and guards tomllib against deep nesting. The tree mirrors tomllib's result exactly (same
keys, order and values, decimals as Decimal) with a position on every key and value.
"""
from __future__ import annotations

import re
import tomllib
from decimal import Decimal

from . import textmap
from ..diagnostics import ERROR, Diagnostic
from ..limits import MAX_DEPTH
from ..nodes import Entry, Layout, LoadResult, Node, Pos
from .toml_scan import Scan, scan

_ERROR_AT = re.compile(
    r"(?P<message>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)",
    re.DOTALL,
)
_WORD = re.compile(r"[^\n,\]}#]*")

_DUPLICATE_KEY = "This key is written twice (or names a table that already has a value); keep one."
_UNCLOSED_STRING = ('Close the string with the same quote on the same line, or use """ ... """'
                    " for text over several lines.")
# tomllib message prefix -> hint, for causes recognisable from the message alone.
_HINTS = (
    ("Cannot declare", "This table header is written twice; merge the two sections into one"
                       " (a list of tables uses [[...]] headers)."),
    ("Cannot overwrite a value", _DUPLICATE_KEY),
    ("Duplicate inline table key", _DUPLICATE_KEY),
    ("Cannot redefine namespace", _DUPLICATE_KEY),
    ("Cannot mutate immutable namespace", _DUPLICATE_KEY),
    ("Unterminated string", _UNCLOSED_STRING),
    ("Unclosed array", 'Separate the items with "," and close the array with "]".'),
    ("Unclosed inline table",
     'Write an inline table { ... } on one line, with "," between its items.'),
    ("Expected ']", 'Close the table header with "]" (or "]]" for [[...]]).'),
    ("Expected newline or end of document",
     "Write each key = value on its own line, and quote text values."),
)


def load_toml(text: str) -> LoadResult:
    # tomllib reads "\r\n" as "\n"; doing the same first keeps its error positions, the
    # scan and the string locators on one text. Lines and columns are unchanged by it.
    src = text.replace("\r\n", "\n")
    found = scan(src)
    if found.too_deep is not None:
        return _too_deep(textmap.LineIndex(src).pos(found.too_deep))
    try:
        data = tomllib.loads(src, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        return LoadResult(None, [_syntax_error(str(error), src)])
    except RecursionError:
        # The scan should have stopped this; a parser change must still not crash a load.
        return _too_deep(Pos(1, 1))
    except (ArithmeticError, ValueError):
        # A number beyond what Decimal (exponent) or int (4300 digits) will read.
        return LoadResult(None, [Diagnostic(
            "toml.syntax", ERROR, "the document holds a number too large to read", 1, 1,
            hint="write numbers with at most a few dozen digits")])
    lines = textmap.LineIndex(src)
    root = _Builder(src, lines, found).node((), data, Pos(1, 1))
    first = None if found.first_header is None else lines.pos(found.first_header).line
    layout = Layout(src, lines.pos, (found.key_at, found.value_at), found.value_end)
    return LoadResult(root, [], first, layout)


def _too_deep(pos: Pos) -> LoadResult:
    message = f"The document nests more than {MAX_DEPTH} levels deep."
    hint = "Flatten the structure: use fewer nested arrays and tables."
    return LoadResult(None, [Diagnostic("document.too_deep", ERROR, message, pos.line,
                                        pos.column, hint=hint)])


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
    return Diagnostic("toml.syntax", ERROR, message, pos.line, pos.column,
                      hint=_hint(message, src, at))


def _hint(message: str, src: str, at: int) -> str | None:
    char = src[at:at + 1]
    if message == "Invalid value" and char.isalpha():
        word = _WORD.match(src, at).group().strip()
        example = word if len(word) <= 60 else "..."
        return f'Quote text values: write "{example}".'
    if message.startswith("Expected '=' after a key") and char == ":":
        return 'TOML separates a key from its value with "=", not ":".'
    if message.startswith(("Illegal character", "Found invalid character", "Expected \"'"))\
            and char in ("\n", ""):
        return _UNCLOSED_STRING
    for prefix, hint in _HINTS:
        if message.startswith(prefix):
            return hint
    return None


class _Builder:
    def __init__(self, src: str, lines: textmap.LineIndex, found: Scan):
        self.src = src
        self.lines = lines
        self.found = found

    def pos(self, index: int | None, fallback: Pos) -> Pos:
        # The scan records every path of a document tomllib accepted; should it ever miss
        # one, the parent's position is a better answer than a failed load.
        return fallback if index is None else self.lines.pos(index)

    def node(self, path: tuple, value, fallback: Pos) -> Node:
        found = self.found
        pos = self.pos(found.value_at.get(path), fallback)
        if isinstance(value, dict):
            entries = {}
            for key, child in value.items():
                child_path = path + (key,)
                header = found.header_at.get(child_path)
                entries[key] = Entry(
                    self.pos(found.key_at.get(child_path), pos),
                    self.node(child_path, child, pos),
                    None if header is None else self.lines.pos(header).line,
                )
            return Node("map", entries, pos)
        if isinstance(value, list):
            return Node("seq", [self.node(path + (index,), item, pos)
                                for index, item in enumerate(value)], pos)
        node = Node("scalar", value, pos)
        span = found.strings.get(path)
        if isinstance(value, str) and span is not None:
            start, end, escapes = span
            node.locate = textmap.locator(source=self.src, start=start, end=end, value=value,
                                          lines=self.lines, escapes=escapes)
        return node
