"""Where each key and value of a TOML document was written, and how deep it nests.

tomllib returns values without positions, and it recurses on nested arrays and inline
tables. This scanner walks the same grammar without building values: per path (a tuple
of keys and array indices, addressing tomllib's result) it records where the key and the
value start and end, and it stops at the first container nested deeper than MAX_DEPTH,
which is where the loader reports a document too deep. It accepts any text and never
raises: at a construct it cannot read it simply stops, since tomllib reports that syntax
error itself.
Indices refer to the text with "\\r\\n" already turned into "\\n", as tomllib reads it.
"""

from __future__ import annotations

import contextlib
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from ..limits import MAX_DEPTH


def _always(pattern: str) -> Callable[[str, int], re.Match[str]]:
    """`match` of a pattern that also matches the empty string, so never returns None."""
    # The cast holds for every pattern given here. It costs nothing at match time, where
    # a None check would run for every key and value the scanner reads.
    return cast("Callable[[str, int], re.Match[str]]", re.compile(pattern).match)


_WS = _always(r"[ \t]*")
_ARRAY_WS = _always(r"(?:[ \t\n]|#[^\n]*)*")
_TRAIL = _always(r"[ \t]*(?:#[^\n]*)?")
_KEY_PART = re.compile(r"""([A-Za-z0-9_-]+)|"((?:[^"\\\n]|\\[^\n])*)"|'([^'\n]*)'""")
# A number, boolean, date or time never contains any of these characters, so a scalar
# that is not a string runs up to the first of them (a trailing space does no harm).
_SCALAR = _always(r"[^,\]}#\n]*")
# (opener, pattern, closing quote count, has escapes). Group 1 is the text between the
# quotes as tomllib slices it (a newline right after an opening triple quote is trimmed);
# group 2 the closing quotes, of which those beyond the delimiter belong to the value.
_STRINGS = (
    ('"""', re.compile(r'"""\n?((?:[^"\\]|\\[\s\S]|"(?!""))*)("{3,5})'), 3, True),
    ('"', re.compile(r'"((?:[^"\\\n]|\\[^\n])*)(")'), 1, True),
    ("'''", re.compile(r"'''\n?((?:[^']|'(?!''))*)('{3,5})"), 3, False),
    ("'", re.compile(r"'([^'\n]*)(')"), 1, False),
)

# Keys and array indices from the root, addressing tomllib's result.
Path = tuple[str | int, ...]


@dataclass
class Scan:
    # path -> index of the first character of the key as written
    key_at: dict[Path, int] = field(default_factory=dict)
    # path -> index of the value's first character, or of the `[`/`[[` of its header
    value_at: dict[Path, int] = field(default_factory=dict)
    # path -> index just past the value, or past the `]`/`]]` of its header
    value_end: dict[Path, int] = field(default_factory=dict)
    # path -> index of the table header the key was written under (None: above all)
    header_at: dict[Path, int | None] = field(default_factory=dict)
    # path -> (start, end, escapes) of a string's text between its quotes
    strings: dict[Path, tuple[int, int, bool]] = field(default_factory=dict)
    first_header: int | None = None
    # index of the opening of the first container nested deeper than MAX_DEPTH
    too_deep: int | None = None
    # index of the first value beyond the scan's `max_values`
    too_many: int | None = None


class _Stop(Exception):
    """Ends the scan: the text is unreadable here, or nests too deep."""


def scan(src: str, max_values: int = sys.maxsize) -> Scan:
    """Where the parts of `src` are, up to the first value beyond `max_values` (keys are
    not counted; the value of a table is its header, or its first mention in a key)."""
    scanner = _Scanner(src, max_values)
    with contextlib.suppress(_Stop):
        scanner.document()
    return scanner.result


def _key_text(match: re.Match[str]) -> str:
    bare: str | None
    basic: str | None
    literal: str | None
    bare, basic, literal = match.groups()
    if bare is not None:
        return bare
    if literal is not None:
        return literal
    # _KEY_PART has three alternatives: neither of the others matched, so this one did.
    assert basic is not None
    if "\\" not in basic:
        return basic
    try:
        # tomllib is the reference decoder of escapes; a one-line document reuses it.
        decoded: str = tomllib.loads(f'k = "{basic}"')["k"]
        return decoded
    except tomllib.TOMLDecodeError:
        return basic


class _Scanner:
    def __init__(self, src: str, max_values: int):
        self.src = src
        self.max_values = max_values
        self.result = Scan()
        self.header: int | None = None
        self.table: Path = ()
        # Resolved path of each array of tables -> number of elements so far, because a
        # later header such as `[indicators.parameters]` goes into the latest element.
        self.arrays: dict[Path, int] = {}

    def document(self) -> None:
        src, i = self.src, 0
        while i < len(src):
            i = _WS(src, i).end()
            char = src[i : i + 1]
            if char == "[":
                i = self.table_header(i)
            elif char and _KEY_PART.match(src, i):
                i = self.key_value(i, self.table)
            i = _TRAIL(src, i).end()
            if i < len(src):
                if src[i] != "\n":
                    raise _Stop
                i += 1

    def container(self, path: Path, at: int) -> None:
        # The root table is level 1 and every key or index of a path one more level.
        if len(path) + 1 > MAX_DEPTH:
            self.result.too_deep = at
            raise _Stop

    def record(self, path: Path, key_at: int, value_at: int, explicit: bool = True) -> None:
        """Remember a key and its value; a table only implied by a longer key keeps its
        first mention, and a later header that defines it explicitly takes over."""
        result = self.result
        if explicit or path not in result.value_at:
            result.key_at[path] = key_at
            result.header_at[path] = self.header
            self.place(path, value_at)

    def place(self, path: Path, at: int) -> None:
        """Record where the value at `path` starts, and stop past the last value allowed."""
        value_at = self.result.value_at
        value_at[path] = at
        if len(value_at) > self.max_values:
            self.result.too_many = at
            raise _Stop

    def key(self, i: int) -> tuple[int, list[tuple[str, int]]]:
        src = self.src
        parts: list[tuple[str, int]] = []
        while True:
            i = _WS(src, i).end()
            match = _KEY_PART.match(src, i)
            if not match:
                raise _Stop
            parts.append((_key_text(match), i))
            i = _WS(src, match.end()).end()
            if not src.startswith(".", i):
                return i, parts
            i += 1

    def descend(self, path: Path, parts: list[tuple[str, int]]) -> Path:
        """Walk the tables named by the leading parts of a dotted key or header."""
        for name, at in parts:
            path += (name,)
            if path in self.arrays:
                path += (self.arrays[path] - 1,)
            else:
                self.container(path, at)
                self.record(path, at, at, explicit=False)
        return path

    def table_header(self, start: int) -> int:
        is_array = self.src.startswith("[[", start)
        close = "]]" if is_array else "]"
        i, parts = self.key(start + len(close))
        if not self.src.startswith(close, i):
            raise _Stop
        self.header = start
        if self.result.first_header is None:
            self.result.first_header = start
        path = self.descend((), parts[:-1])
        name, at = parts[-1]
        path += (name,)
        self.container(path, start)
        if is_array:
            # The array itself sits at its first header; each element at its own.
            self.record(path, at, start, explicit=False)
            count = self.arrays.get(path, 0)
            self.arrays[path] = count + 1
            path += (count,)
            self.container(path, start)
            self.place(path, start)
        else:
            self.record(path, at, start)
        self.table = path
        self.result.value_end[path] = i + len(close)
        return i + len(close)

    def key_value(self, i: int, base: Path) -> int:
        i, parts = self.key(i)
        if not self.src.startswith("=", i):
            raise _Stop
        i = _WS(self.src, i + 1).end()
        path = self.descend(base, parts[:-1])
        name, at = parts[-1]
        path += (name,)
        self.record(path, at, i)
        end = self.result.value_end[path] = self.value(i, path)
        return end

    def value(self, i: int, path: Path) -> int:
        src = self.src
        for opener, pattern, quotes, escapes in _STRINGS:
            if src.startswith(opener, i):
                match = pattern.match(src, i)
                if not match:
                    raise _Stop
                end = match.end(1) + len(match.group(2)) - quotes
                self.result.strings[path] = (match.start(1), end, escapes)
                return match.end()
        if src.startswith("[", i):
            return self.array(i, path)
        if src.startswith("{", i):
            return self.inline_table(i, path)
        return _SCALAR(src, i).end()

    def array(self, start: int, path: Path) -> int:
        self.container(path, start)
        src = self.src
        i = _ARRAY_WS(src, start + 1).end()
        index = 0
        while not src.startswith("]", i):
            item = path + (index,)
            self.place(item, i)
            end = self.result.value_end[item] = self.value(i, item)
            i = _ARRAY_WS(src, end).end()
            if src.startswith(",", i):
                i = _ARRAY_WS(src, i + 1).end()
            elif not src.startswith("]", i):
                raise _Stop
            index += 1
        return i + 1

    def inline_table(self, start: int, path: Path) -> int:
        self.container(path, start)
        src = self.src
        i = _WS(src, start + 1).end()
        if src.startswith("}", i):
            return i + 1
        while True:
            i = _WS(src, self.key_value(i, path)).end()
            if src.startswith("}", i):
                return i + 1
            if not src.startswith(",", i):
                raise _Stop
            i = _WS(src, i + 1).end()
