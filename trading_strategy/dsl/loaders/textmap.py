"""Map a character of a decoded string back to where it was written in the document.

A string value's characters do not always sit one after another in the source: quotes,
escapes, folded lines and block-scalar indentation come between them. The validator
reports condition mistakes at the offending character, so each string keeps a locator
that aligns its decoded text with its source text on first use.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from ..nodes import Pos


class LineIndex:
    """Converts 0-based character indices in a source text to 1-based line/column.

    The line starts are found on first use: a valid document is mostly never asked.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            text, starts = self.text, [0]
            # str.find jumps from one line break to the next in C, not character by
            # character.
            index = text.find("\n")
            while index >= 0:
                starts.append(index + 1)
                index = text.find("\n", index + 1)
            self._starts = starts
        return self._starts

    def pos(self, index: int) -> Pos:
        starts = self.starts
        line = bisect.bisect_right(starts, index) - 1
        return Pos(line + 1, index - starts[line] + 1)


def _escape_length(source: str, at: int) -> int:
    """Length in the source of the backslash escape starting at `at`."""
    widths = {"x": 2, "u": 4, "U": 8}
    letter = source[at + 1] if at + 1 < len(source) else ""
    return 2 + widths.get(letter, 0)


def locator(
    source: str, start: int, end: int, value: str, lines: LineIndex, escapes: bool
) -> Callable[[int], Pos]:
    """A function from an offset in `value` to the document position of that character.

    The alignment is greedy: each decoded character is matched with the next source
    character equal to it (or the next escape sequence when `escapes` is on), skipping
    quotes, indentation and line breaks that folding removed. It runs once, lazily.
    """
    table: list[int] = []

    def build() -> None:
        cursor = start
        for char in value:
            while cursor < end:
                if escapes and source[cursor] == "\\":
                    if source[cursor + 1 : cursor + 2] in ("\n", "\r"):
                        cursor += 2  # an escaped line break produces no character
                        continue
                    table.append(cursor)
                    cursor += _escape_length(source, cursor)
                    break
                if source[cursor] == char:
                    table.append(cursor)
                    cursor += 1
                    break
                cursor += 1
            else:
                table.append(max(start, end - 1))

    def locate(offset: int) -> Pos:
        if not table and value:
            build()
        if not table:
            return lines.pos(start)
        if offset >= len(table):
            # Just past the last character: where "unexpected end" errors point.
            return lines.pos(table[-1] + 1)
        return lines.pos(table[max(offset, 0)])

    return locate
