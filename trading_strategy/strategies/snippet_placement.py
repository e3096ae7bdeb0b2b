"""Where the editor's Add indicator puts a snippet: after the last indicator of the list.

It reads where the list is written from the loader (the document's tree and its Layout,
the span of each top-level entry and list item), not from patterns over the text, so it
agrees with the validator about what the document says. A document the loader cannot
read gets no placement: the editor then inserts at the caret.
"""

from __future__ import annotations

from dataclasses import dataclass

from trading_strategy.dsl import Layout, LoadResult, Node, Pos

INDICATORS = ("indicators",)
_DEFAULT_INDENT = "  "


@dataclass(frozen=True)
class Edit:
    """Replace lines [start, end) (0-based) of the document with `text`; start == end
    inserts before line `start`. `start` may equal the number of lines: the end."""

    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"start_line": self.start, "end_line": self.end, "text": self.text}

    def apply(self, document: str) -> str:
        parts = document.split("\n")
        lines = [line + "\n" for line in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
        if self.start >= len(lines) and lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        return "".join(lines[: self.start]) + self.text + "".join(lines[self.end :])


def _lines(document: str) -> list[str]:
    """Lines as the browser's textarea counts them: split on LF only (str.splitlines would
    also split on form feeds and Unicode separators, and disagree with the editor)."""
    lines = document.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def _is_flow(lines: list[str], node: Node) -> bool:
    """Whether a list is written `[a, b]` rather than as `- a` lines."""
    return lines[node.pos.line - 1][node.pos.column - 1 :].startswith("[")


def yaml_indent(document: str, loaded: LoadResult) -> str:
    """The indentation of the existing indicator items, so the new one lines up. A block
    list's position is the column of its first `-`."""
    entry = loaded.root.value.get("indicators") if loaded.root is not None else None
    if (
        entry is None
        or entry.node.kind != "seq"
        or not entry.node.value
        or _is_flow(_lines(document), entry.node)
    ):
        return _DEFAULT_INDENT
    return " " * (entry.node.pos.column - 1)


def placement(document: str, fmt: str, loaded: LoadResult, entry: str) -> Edit | None:
    """Where `entry` (from `snippets.snippet`) goes in `document`, which `loaded` is the
    loader's reading of. None when the list is written in a way no line edit can extend
    (a non-empty flow list), or the document could not be read."""
    if loaded.root is None or loaded.layout is None:
        return None
    lines = _lines(document)
    if fmt == "yaml":
        return _yaml_placement(lines, loaded.root, loaded.layout, entry)
    return _toml_placement(lines, loaded.root, loaded.layout, loaded.first_table_line, entry)


def _yaml_placement(lines: list[str], root: Node, layout: Layout, entry: str) -> Edit | None:
    found = root.value.get("indicators")
    if found is None:
        return Edit(len(lines), len(lines), "indicators:\n" + entry)
    span = layout.span(INDICATORS)
    if span is None or found.key_pos.column != 1:
        return None  # a key inside a flow mapping: no line edit extends it
    node, key_line = found.node, found.key_pos.line - 1
    if node.kind == "scalar" and node.value is None:
        if (span.end.line, span.end.column) < (node.pos.line, node.pos.column):
            # `indicators:` with nothing after it (a comment may follow): the list starts
            # on the next line.
            return Edit(span.end.line, span.end.line, entry)
        return Edit(key_line, span.end.line, "indicators:\n" + entry)  # `~` or `null`
    if node.kind != "seq":
        return None
    if _is_flow(lines, node):
        return None if node.value else Edit(key_line, span.end.line, "indicators:\n" + entry)
    return Edit(span.end.line, span.end.line, entry)


def _toml_placement(
    lines: list[str], root: Node, layout: Layout, first_header: int | None, entry: str
) -> Edit | None:
    found = root.value.get("indicators")
    if found is None:
        if first_header is not None:
            return Edit(first_header - 1, first_header - 1, entry + "\n")
        return Edit(len(lines), len(lines), "\n" + entry)
    span = layout.span(INDICATORS)
    if found.node.kind != "seq" or span is None:
        return None
    if found.header_line is not None:
        # `[[indicators]]` tables: the new one follows the last of them.
        return Edit(span.end.line, span.end.line, "\n" + entry)
    if span.start.line == span.end.line:
        # `indicators = []` becomes the first `[[indicators]]` table; a list already
        # written inline on one line is left to the caret.
        return (
            None if found.node.value else _toml_replace_empty(lines, span.start.line - 1, first_header, entry)
        )
    return _toml_multiline_array(lines, layout, found.node, span.end, entry)


def _toml_replace_empty(lines: list[str], number: int, first_header: int | None, entry: str) -> Edit:
    """`indicators = []` becomes the first `[[indicators]]` table, which must sit below the
    top-level keys: the key line goes, the table goes before the first header."""
    if first_header is not None:
        # Two edits in one: drop the key line, insert before the header. Expressed as
        # one replacement of the span between them.
        index = first_header - 1
        kept = lines[number + 1 : index]
        return Edit(number, index, "\n".join(kept) + ("\n" if kept else "") + entry + "\n")
    kept = lines[number + 1 :]
    return Edit(number, len(lines), "\n".join(kept) + ("\n" if kept else "") + "\n" + entry)


def _inline(entry: str) -> str:
    """A `[[indicators]]` snippet as one inline table, the way a converted document
    writes its indicators (`indicators = [` one `{ ... },` a line `]`)."""
    fields: list[str] = []
    parameters: list[str] = []
    in_parameters = False
    for line in entry.strip().split("\n")[1:]:
        if line == "[indicators.parameters]":
            in_parameters = True
        elif line != "parameters = {}":
            (parameters if in_parameters else fields).append(line)
    inner = ", ".join(parameters)
    fields.append(f"parameters = {{ {inner} }}" if parameters else "parameters = {}")
    return "{ " + ", ".join(fields) + " }"


def _toml_multiline_array(
    lines: list[str], layout: Layout, node: Node, close: Pos, entry: str
) -> Edit | None:
    """An inline array over several lines (`indicators = [`, items, `]`): the new item
    goes on its own line before the closing bracket, which must have a line of its own."""
    close_line = close.line - 1
    if lines[close_line][: close.column - 1].strip():
        return None
    item = f"    {_inline(entry)},\n"
    last = layout.span(INDICATORS + (len(node.value) - 1,)) if node.value else None
    if last is None:
        return Edit(close_line, close_line, item)
    end_line, end_column = last.end.line - 1, last.end.column
    # Between the last item and the bracket there are only blanks, comments and at most
    # the trailing comma.
    between = [lines[end_line][end_column:]] + lines[end_line + 1 : close_line]
    if any("," in text.split("#", 1)[0] for text in between):
        return Edit(close_line, close_line, item)
    # The last item needs its comma before another can follow.
    line = lines[end_line]
    return Edit(
        end_line,
        close_line,
        line[:end_column]
        + ","
        + line[end_column:]
        + "\n"
        + "".join(f"{text}\n" for text in lines[end_line + 1 : close_line])
        + item,
    )
