"""Turn text into a positioned tree, whatever the format, with the document-level limits."""

from __future__ import annotations

import re
from pathlib import PurePath

from .. import limits
from ..diagnostics import ERROR, Diagnostic
from ..nodes import LoadResult
from .toml_loader import load_toml
from .yaml_loader import load_yaml

FORMATS = ("yaml", "toml")
_SURROGATE = re.compile("[\ud800-\udfff]")
_EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml"}


def format_of(path: str) -> str | None:
    return _EXTENSIONS.get(PurePath(path).suffix.lower())


def _fail(
    code: str, message: str, hint: str | None = None, line: int | None = 1, column: int | None = 1
) -> LoadResult:
    return LoadResult(None, [Diagnostic(code, ERROR, message, line, column, "", hint)])


def load(text: str, fmt: str) -> LoadResult:
    if fmt not in FORMATS:
        return _fail("format.unknown", f"the format '{fmt}' is not known", "use yaml or toml", None, None)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.MAX_DOCUMENT_BYTES:
        return _fail(
            "document.too_large",
            f"the document is {size:,} bytes; at most {limits.MAX_DOCUMENT_BYTES:,} are allowed",
            "split it or remove what the strategy does not use",
        )
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        # Not Unicode text (a lone UTF-16 half); libyaml raises on it instead of reporting.
        at = surrogate.start()
        return _fail(
            f"{fmt}.syntax",
            "the document holds a character that is not valid Unicode",
            "remove it or type it again",
            text.count("\n", 0, at) + 1,
            at - text.rfind("\n", 0, at),
        )
    if not text.strip():
        return _fail("document.empty", "the document is empty", "start from an example strategy")
    result = load_yaml(text) if fmt == "yaml" else load_toml(text)
    root = result.root
    if result.diagnostics and root is None:
        return result
    if (
        root is None
        or (root.kind == "map" and not root.value)
        or (root.kind == "scalar" and root.value is None)
    ):
        return _fail("document.empty", "the document holds no settings", "start from an example strategy")
    if root.kind != "map":
        return _fail(
            "yaml.root_not_mapping",
            "the document must be a mapping of settings, not a "
            + ("list" if root.kind == "seq" else "single value"),
            "start with 'name: ...' and the other top-level keys",
            root.pos.line,
            root.pos.column,
        )
    return result
