"""What every validation step shares: the diagnostics found so far and how to place them."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ..diagnostics import ERROR, WARNING, Diagnostic, format_path
from ..limits import MAX_DIAGNOSTICS, MAX_HINT_LOOKUPS
from ..nodes import Entry, LoadResult, Node, Pos, TreePath
from . import keys


def is_number(value: object) -> bool:
    """Booleans are never numbers; infinities and NaN are not usable numbers."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, Decimal) and value.is_finite()


def text_length(value: str) -> int:
    return len(unicodedata.normalize("NFC", value))


def describe(value: object) -> str:
    """A value as the user wrote it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Node):
        return {"map": "a mapping", "seq": "a list"}.get(value.kind, describe(value.value))
    return str(value)


def kind_of(node: Node) -> str:
    if node.kind != "scalar":
        return {"map": "a mapping", "seq": "a list"}[node.kind]
    value = node.value
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a date or time"


class Context:
    """`path` arguments are the keys and list indices from the root down, as in
    `("indicators", 2, "name")`."""

    def __init__(self, fmt: str, loaded: LoadResult) -> None:
        self.fmt = fmt
        # Read only for a hint: in TOML, finding it means scanning the document.
        self.loaded = loaded
        self.diagnostics: list[Diagnostic] = []
        self.relocated: set[tuple[str, str]] = set()
        self.pending_required: list[tuple[str, str, Pos, TreePath]] = []
        self.hint_lookups = 0
        # Diagnostics found but not kept (see `capped`), from the loader and the checks.
        self.unlisted = loaded.unlisted
        self._found: dict[tuple[str | int, ...], int] = {}

    def listable(self, kind: tuple[str | int, ...]) -> bool:
        """Whether to make another diagnostic of `kind` (a code and the mapping it is
        about), whose check finds them in document order. Past MAX_DIAGNOSTICS of a kind a
        report would list none, so the rest are only counted."""
        found = self._found[kind] = self._found.get(kind, 0) + 1
        if found <= MAX_DIAGNOSTICS:
            return True
        self.unlisted += 1
        return False

    def closest(self, word: str, candidates: Iterable[str]) -> list[str]:
        """The known name closest to `word`, while the document's budget of lookups lasts."""
        self.hint_lookups += 1
        if self.hint_lookups > MAX_HINT_LOOKUPS:
            return []
        return difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)

    def report(
        self,
        severity: str,
        code: str,
        message: str,
        pos: Pos | None,
        path: Sequence[str | int] = (),
        hint: str | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                code,
                severity,
                message,
                pos.line if pos else None,
                pos.column if pos else None,
                format_path(path),
                hint,
            )
        )

    def error(
        self,
        code: str,
        message: str,
        pos: Pos | None,
        path: Sequence[str | int] = (),
        hint: str | None = None,
    ) -> None:
        self.report(ERROR, code, message, pos, path, hint)

    def warn(
        self,
        code: str,
        message: str,
        pos: Pos | None,
        path: Sequence[str | int] = (),
        hint: str | None = None,
    ) -> None:
        self.report(WARNING, code, message, pos, path, hint)


def present(mapping: Node | None, key: str) -> Entry | None:
    """The entry for `key`, treating a null value as missing."""
    if mapping is None or mapping.kind != "map":
        return None
    entry: Entry | None = mapping.value.get(key)
    if entry is None or (entry.node.kind == "scalar" and entry.node.value is None):
        return None
    return entry


def stray(ctx: Context, key: str, entry: Entry, here: str, path: Sequence[str | int]) -> bool:
    """Report a key that belongs to another section; True when it was one.

    In TOML this is the scoping trap: every key below a table header belongs to that
    table. The key's own section then does not also report it as missing.
    """
    home = keys.home_of(key, here)
    if home is None:
        return False
    ctx.relocated.add((home, key))
    if home:
        # The section itself was meant to be written, its header only forgotten.
        ctx.relocated.add(("", home))
    where = keys.section_label(home)
    if ctx.fmt == "toml" and entry.header_line is not None:
        if home == "":
            hint = (
                f"move '{key}' above the first table header (line "
                f"{ctx.loaded.first_table_line}), or write that table inline"
            )
        else:
            hint = f"add a [{home}] header above '{key}', or move it under that header"
        ctx.error(
            "toml.key_in_table",
            f"'{key}' belongs to {where} but is written inside the table that "
            f"starts on line {entry.header_line}",
            entry.key_pos,
            path,
            hint,
        )
    else:
        ctx.error(
            "field.unknown",
            f"'{key}' belongs to {where}, not here",
            entry.key_pos,
            path,
            f"move '{key}' to {where}; check its indentation",
        )
    return True


def require(ctx: Context, section: str, key: str, pos: Pos, path: Sequence[str | int]) -> None:
    """Note a missing key; reported by `finish_required` unless it turned up elsewhere."""
    ctx.pending_required.append((section, key, pos, tuple(path)))


def finish_required(ctx: Context) -> None:
    for section, key, pos, path in ctx.pending_required:
        if (section, key) not in ctx.relocated:
            where = "the strategy" if section == "" else f"'{section}'"
            ctx.error("field.required", f"'{key}' is required in {where}", pos, path, f"add '{key}'")
