"""The strategy language (DSL.md): load, validate, summarize and write strategy documents.

Pure Python: nothing here imports Django, so the CLI and the tests use it alone.

This module is the language's public face. The rest of the project imports the names
below from `trading_strategy.dsl` and nothing deeper (tests/dsl/test_public_api.py
checks it), so the modules behind them can move without touching the callers.

Layout, by responsibility:

- `validator` runs every check over a loaded document and returns a `Report`;
  `summary` turns a valid report into the Test syntax summary; `model` holds the
  canonical model of a valid strategy and writes it in either format; `renaming` gives a
  document another name in place; `report` renders results for the command line.
- `diagnostics` (a diagnostic is data: code, severity, message, position, path, hint),
  `nodes` (the positioned tree every check reads), `limits` and `catalog` (every
  indicator type, its parameters and ranges) are the vocabulary the others share.
- `loaders/`: text to positioned tree, YAML and TOML, with the document-level limits.
- `rules/`: the checks of the sections: metadata, indicators, sizing, risk.
- `conditions/`: the condition language: lexer, parser, names, types, printer.
- `logic/`: warnings across conditions and indicators (never true, exit equals entry...).
- `docs/`: the registry of diagnostic codes and the generator of docs/dsl.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalog import INDICATORS, Indicator, Parameter
    from .catalog import lookup as lookup_indicator
    from .conditions import (
        OHLCV,
        POSITION_VARIABLES,
        And,
        Arith,
        Compare,
        Neg,
        Not,
        Number,
        Or,
        Series,
        SeriesInfo,
    )
    from .conditions import Node as ConditionNode
    from .diagnostics import Diagnostic
    from .diagnostics import capped as cap_diagnostics
    from .docs.reference import FIELD_MEANINGS, KEY_RULES
    from .limits import MAX_DOCUMENT_BYTES, MAX_NAME_CHARS, MAX_VALUES, MIN_NAME_CHARS
    from .loaders import FORMATS, format_of, load
    from .model import dump, to_toml, to_yaml
    from .nodes import Layout, LoadResult, Node, Pos
    from .renaming import rename
    from .report import render_diagnostic, render_summary, result_json, unreadable_json
    from .rules.indicators import RESERVED as RESERVED_NAMES
    from .rules.sections import name_length_problem
    from .summary import summarize
    from .validator import Report, validate

# Public name -> (its module, relative to this package; its name there). A name is loaded
# on first use (PEP 562), so that importing one part, such as the standard-library-only
# `conditions`, does not load PyYAML and the rest. The imports above are for type checkers
# and `__all__` for them and `import *`; test_public_api checks that the three agree.
_EXPORTS = {
    "INDICATORS": (".catalog", "INDICATORS"),
    "OHLCV": (".conditions", "OHLCV"),
    "POSITION_VARIABLES": (".conditions", "POSITION_VARIABLES"),
    "And": (".conditions", "And"),
    "Arith": (".conditions", "Arith"),
    "Compare": (".conditions", "Compare"),
    "ConditionNode": (".conditions", "Node"),
    "Neg": (".conditions", "Neg"),
    "Not": (".conditions", "Not"),
    "Number": (".conditions", "Number"),
    "Or": (".conditions", "Or"),
    "Series": (".conditions", "Series"),
    "SeriesInfo": (".conditions", "SeriesInfo"),
    "Indicator": (".catalog", "Indicator"),
    "Parameter": (".catalog", "Parameter"),
    "lookup_indicator": (".catalog", "lookup"),
    "Diagnostic": (".diagnostics", "Diagnostic"),
    "cap_diagnostics": (".diagnostics", "capped"),
    "FIELD_MEANINGS": (".docs.reference", "FIELD_MEANINGS"),
    "KEY_RULES": (".docs.reference", "KEY_RULES"),
    "MAX_DOCUMENT_BYTES": (".limits", "MAX_DOCUMENT_BYTES"),
    "MAX_NAME_CHARS": (".limits", "MAX_NAME_CHARS"),
    "MAX_VALUES": (".limits", "MAX_VALUES"),
    "MIN_NAME_CHARS": (".limits", "MIN_NAME_CHARS"),
    "FORMATS": (".loaders", "FORMATS"),
    "format_of": (".loaders", "format_of"),
    "load": (".loaders", "load"),
    "dump": (".model", "dump"),
    "to_toml": (".model", "to_toml"),
    "to_yaml": (".model", "to_yaml"),
    "Layout": (".nodes", "Layout"),
    "LoadResult": (".nodes", "LoadResult"),
    "Node": (".nodes", "Node"),
    "Pos": (".nodes", "Pos"),
    "rename": (".renaming", "rename"),
    "render_diagnostic": (".report", "render_diagnostic"),
    "render_summary": (".report", "render_summary"),
    "result_json": (".report", "result_json"),
    "unreadable_json": (".report", "unreadable_json"),
    "RESERVED_NAMES": (".rules.indicators", "RESERVED"),
    "name_length_problem": (".rules.sections", "name_length_problem"),
    "summarize": (".summary", "summarize"),
    "Report": (".validator", "Report"),
    "validate": (".validator", "validate"),
}

__all__ = [
    "FIELD_MEANINGS",
    "FORMATS",
    "INDICATORS",
    "KEY_RULES",
    "MAX_DOCUMENT_BYTES",
    "MAX_NAME_CHARS",
    "MAX_VALUES",
    "MIN_NAME_CHARS",
    "OHLCV",
    "POSITION_VARIABLES",
    "RESERVED_NAMES",
    "And",
    "Arith",
    "Compare",
    "ConditionNode",
    "Diagnostic",
    "Indicator",
    "Layout",
    "LoadResult",
    "Neg",
    "Node",
    "Not",
    "Number",
    "Or",
    "Parameter",
    "Pos",
    "Report",
    "Series",
    "SeriesInfo",
    "cap_diagnostics",
    "dump",
    "format_of",
    "load",
    "lookup_indicator",
    "name_length_problem",
    "rename",
    "render_diagnostic",
    "render_summary",
    "result_json",
    "summarize",
    "to_toml",
    "to_yaml",
    "unreadable_json",
    "validate",
]


def __getattr__(name: str) -> object:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
