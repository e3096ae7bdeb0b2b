"""The registry's first part: codes about the document as a whole, and about its keys and
values (see `codes` for the rest)."""

from __future__ import annotations

from .. import limits
from ..diagnostics import ERROR, WARNING
from .examples import (
    ALIAS_BOMB,
    BASE_TOML,
    BASE_YAML,
    LONG_DESCRIPTION,
    Code,
    many_indicators,
    nested,
    toml_with,
    yaml_with,
)

DOCUMENT_CODES: tuple[Code, ...] = (
    # The document as a whole.
    Code(
        "format.unknown",
        ERROR,
        "The format is neither yaml nor toml (nor a .yaml, .yml or .toml file).",
        BASE_YAML,
        BASE_YAML,
        format="json",
        fix_format="yaml",
        shown="the base document, validated with the format 'json'",
    ),
    Code(
        "document.empty",
        ERROR,
        "The document is empty or holds no settings.",
        "# a strategy will go here\n",
        BASE_YAML,
    ),
    Code(
        "document.too_large",
        ERROR,
        f"The document is larger than {limits.MAX_DOCUMENT_BYTES // 1024} KiB; it is "
        "rejected before it is parsed.",
        BASE_YAML + "# " + "x" * limits.MAX_DOCUMENT_BYTES + "\n",
        BASE_YAML,
        shown=f"the base document followed by a comment of {limits.MAX_DOCUMENT_BYTES:,} characters",
    ),
    Code(
        "diagnostics.truncated",
        WARNING,
        f"The document has more than {limits.MAX_DIAGNOSTICS} diagnostics; the first "
        f"{limits.MAX_DIAGNOSTICS} are listed, errors first, and this one says how many more there are.",
        BASE_YAML + "".join(f"note_{n}: x\n" for n in range(limits.MAX_DIAGNOSTICS + 1)),
        BASE_YAML,
        shown=f"the base document followed by {limits.MAX_DIAGNOSTICS + 1} unknown keys",
        alongside=("field.unknown",),
    ),
    Code(
        "document.too_deep",
        ERROR,
        f"Lists or mappings nest more than {limits.MAX_DEPTH} levels deep.",
        yaml_with(
            ("name: RSI dip buyer\n", "name: RSI dip buyer\nnotes: " + nested(limits.MAX_DEPTH + 2) + "\n")
        ),
        BASE_YAML,
    ),
    Code(
        "document.too_many_values",
        ERROR,
        f"The document holds more than {limits.MAX_VALUES:,} values (what keys name and lists "
        "hold; a strategy with the most indicators allowed has under a thousand). Reading stops "
        "at the first value beyond the limit, where the error points.",
        yaml_with(
            ("name: RSI dip buyer\n", "name: RSI dip buyer\nnotes: [" + "0, " * limits.MAX_VALUES + "0]\n")
        ),
        BASE_YAML,
        shown=f"the base document with a list of {limits.MAX_VALUES + 1:,} numbers under `notes`",
    ),
    Code(
        "yaml.syntax",
        ERROR,
        "The text is not well-formed YAML, or uses a tag that would build an object.",
        yaml_with(("name: RSI dip buyer", 'name: "RSI dip buyer')),
        BASE_YAML,
    ),
    Code(
        "yaml.root_not_mapping",
        ERROR,
        "The document is a list or a single value instead of a mapping of settings.",
        "- name: RSI dip buyer\n- trading_pair: BTC/USDT\n",
        BASE_YAML,
    ),
    Code(
        "yaml.duplicate_key",
        ERROR,
        "The same key is written twice in one mapping.",
        yaml_with(("timeframe: 1h\n", "timeframe: 1h\ntimeframe: 4h\n")),
        BASE_YAML,
    ),
    Code(
        "yaml.alias_limit",
        ERROR,
        f"Aliases expand to more than {limits.MAX_ALIAS_VALUES:,} values, or an alias refers to itself.",
        ALIAS_BOMB + BASE_YAML,
        BASE_YAML,
    ),
    Code(
        "toml.syntax",
        ERROR,
        "The text is not well-formed TOML.",
        toml_with(('timeframe = "1h"', 'timeframe = "1h')),
        BASE_TOML,
        format="toml",
    ),
    Code(
        "toml.key_in_table",
        ERROR,
        "A key is written below a table header it does not belong to: a top-level key "
        "inside [[indicators]] or [indicators.parameters], or a key of one section "
        "under another section's header.",
        toml_with(
            ('stop_conditions = "unrealized_pnl_pct < -0.05"\n', ""),
            ("period = 14\n", 'period = 14\nstop_conditions = "unrealized_pnl_pct < -0.05"\n'),
        ),
        BASE_TOML,
        format="toml",
    ),
    # Keys and values.
    Code(
        "field.required",
        ERROR,
        "A required key is missing or has no value.",
        yaml_with(("stop_conditions: unrealized_pnl_pct < -0.05\n", "")),
        BASE_YAML,
    ),
    Code(
        "field.type",
        ERROR,
        "A value has the wrong type: a number where a string belongs, a single value "
        "where a mapping or list belongs.",
        yaml_with(("name: RSI dip buyer", "name: 2024")),
        yaml_with(("name: RSI dip buyer", 'name: "2024"')),
    ),
    Code(
        "field.unknown",
        ERROR,
        "A key that is not part of the language. Inside an indicator, position_sizing "
        "or risk_parameters it is an error (an ignored risk limit is unsafe); at the top "
        "level it is a warning and the key is dropped.",
        yaml_with(("  max_drawdown: 0.1\n", "  max_drawdown: 0.1\n  max_daily_los: 0.03\n")),
        BASE_YAML,
    ),
    Code(
        "field.range",
        ERROR,
        f"The document has more than {limits.MAX_INDICATORS} indicators.",
        many_indicators(limits.MAX_INDICATORS + 1),
        BASE_YAML,
        shown=f"the base document with {limits.MAX_INDICATORS + 1} indicators",
    ),
    Code(
        "field.format",
        ERROR,
        "strategy_id is not a slug or UUID, or version is not MAJOR.MINOR.PATCH.",
        yaml_with(("name: RSI dip buyer\n", "name: RSI dip buyer\nversion: '1.0'\n")),
        yaml_with(("name: RSI dip buyer\n", "name: RSI dip buyer\nversion: 1.0.0\n")),
    ),
    Code(
        "field.length",
        ERROR,
        "description is longer than 500 characters.",
        yaml_with(("name: RSI dip buyer\n", "name: RSI dip buyer\ndescription: " + LONG_DESCRIPTION + "\n")),
        yaml_with(("name: RSI dip buyer\n", "name: RSI dip buyer\ndescription: Buys dips.\n")),
        shown=f"the base document with a description of {len(LONG_DESCRIPTION)} characters",
    ),
    Code(
        "name.length",
        ERROR,
        f"name is shorter than {limits.MIN_NAME_CHARS} or longer than {limits.MAX_NAME_CHARS} "
        "characters (counted after Unicode NFC normalisation, without the spaces around it).",
        yaml_with(("name: RSI dip buyer", "name: " + "RSI dip buyer " * 8)),
        BASE_YAML,
    ),
    Code(
        "pair.format",
        ERROR,
        "trading_pair is not BASE/QUOTE with 1 to 15 letters or digits on each side.",
        yaml_with(("BTC/USDT", "BTCUSDT")),
        BASE_YAML,
    ),
    Code(
        "pair.case",
        WARNING,
        "trading_pair has lowercase letters; exchanges list pairs in uppercase.",
        yaml_with(("BTC/USDT", "btc/usdt")),
        BASE_YAML,
    ),
    Code(
        "timeframe.invalid",
        ERROR,
        "timeframe is not one of the supported timeframes (exact, case-sensitive).",
        yaml_with(("timeframe: 1h", "timeframe: 1H")),
        BASE_YAML,
    ),
)
