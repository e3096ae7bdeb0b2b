"""Documents just under the size limit in the shapes that cost the validator the most.

Each shape repeats one small mistake until the document is as large as the language
allows, so that every diagnostic, hint and per-line step is paid for as many times as a
document can make it be paid. Most shapes hold more values than a document may, and are
refused at the first one beyond; their twins `..._at_the_value_limit` hold as many as it
may, each mistake padded to fill the size limit too, and are read to the end. The
worst-shape tests send them through every entry point; bench/worst_shapes_bench.py times
the same documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from trading_strategy.dsl import MAX_DOCUMENT_BYTES, MAX_VALUES

from .documents import strategy_document

# Room for the lines a shape writes around its repeated part.
_MARGIN = 512


def _fill(head: str, unit: Callable[[int], str], tail: str = "") -> str:
    """`head`, then unit(0), unit(1)... while the whole stays under the limit, then `tail`."""
    budget = MAX_DOCUMENT_BYTES - _MARGIN - len(head.encode()) - len(tail.encode())
    parts, used = [head], 0

    def units() -> Iterator[str]:
        number = 0
        while True:
            yield unit(number)
            number += 1

    for part in units():
        size = len(part.encode())
        if used + size > budget:
            break
        parts.append(part)
        used += size
    return "".join(parts) + tail


def _at_the_value_limit(
    head: str, head_values: int, unit: Callable[[int, str], str], unit_values: int
) -> str:
    """`head`, which holds `head_values` values, then as many units of `unit_values` values
    as the limit allows, each unit(n, padding) padded so that together they fill the size
    limit."""
    count = (MAX_VALUES - head_values) // unit_values
    bare = sum(len(unit(n, "").encode()) for n in range(count))
    room = MAX_DOCUMENT_BYTES - _MARGIN - len(head.encode()) - bare
    return head + "".join(unit(n, "x" * (room // count)) for n in range(count))


# Values of `strategy_document()`, in either layout.
_STRATEGY_VALUES = 18


def duplicate_keys() -> tuple[str, str]:
    return _fill("name: Duplicate keys\n", lambda _: "a: 1\n"), "yaml"


def unknown_keys() -> tuple[str, str]:
    return _fill(strategy_document(), lambda n: f"risk_limit_{n}: 1\n"), "yaml"


def unknown_keys_in_a_section() -> tuple[str, str]:
    head = strategy_document(block=True)
    return _fill(head, lambda n: f"  max_daily_los_{n}: 1\n"), "yaml"


def toml_tables() -> tuple[str, str]:
    return _fill('name = "Tables"\n', lambda n: f"[table_{n}]\n"), "toml"


def toml_indicator_tables() -> tuple[str, str]:
    return _fill('name = "Indicators"\n', lambda n: f'[[indicators]]\ntype = "rsx"\nname = "r{n}"\n'), "toml"


def indicators() -> tuple[str, str]:
    return _fill(
        "name: Many indicators\nindicators:\n",
        lambda n: f"  - {{type: rsy, name: rsi_{n}, parameters: {{perod: 14}}}}\n",
    ), "yaml"


def long_conditions() -> tuple[str, str]:
    """Three conditions at the length limit naming undefined series, beside a hundred
    indicators whose names are the close-match candidates, padded with comments."""
    lines = ["name: Long conditions", "trading_pair: BTC/USDT", "timeframe: 1h", "indicators:"]
    lines += [f"  - {{type: bb, name: band_{n}, parameters: {{}}}}" for n in range(100)]
    condition = " AND ".join(f"bnd_{n} > bnad_{n}" for n in range(200))[:2000].rsplit(" AND", 1)[0]
    lines += [f"{key}: {condition}" for key in ("entry_conditions", "exit_conditions", "stop_conditions")]
    lines += [
        "position_sizing: {type: percentage, percentage_of_capital: 0.1}",
        "risk_parameters: {max_daily_loss: 0.02, max_drawdown: 0.1}",
    ]
    return _fill("\n".join(lines) + "\n", lambda n: f"# note {n}\n"), "yaml"


def duplicate_keys_at_the_value_limit() -> tuple[str, str]:
    return _at_the_value_limit("name: Duplicate keys\n", 1, lambda _, pad: f"a: 1{pad}\n", 1), "yaml"


def unknown_keys_at_the_value_limit() -> tuple[str, str]:
    head = strategy_document()
    return _at_the_value_limit(head, _STRATEGY_VALUES, lambda n, pad: f"risk_limit_{n}_{pad}: 1\n", 1), "yaml"


def toml_tables_at_the_value_limit() -> tuple[str, str]:
    return _at_the_value_limit('name = "Tables"\n', 1, lambda n, pad: f"[table_{n}_{pad}]\n", 1), "toml"


def toml_indicator_tables_at_the_value_limit() -> tuple[str, str]:
    # The name, and the array the first header makes; then each table, its type and name.
    return _at_the_value_limit(
        'name = "Indicators"\n', 2, lambda n, pad: f'[[indicators]]\ntype = "rsx"\nname = "r{n}_{pad}"\n', 3
    ), "toml"


def indicators_at_the_value_limit() -> tuple[str, str]:
    return _at_the_value_limit(
        "name: Many indicators\nindicators:\n",
        2,
        lambda n, pad: f"  - {{type: rsy, name: rsi_{n}_{pad}, parameters: {{perod: 14}}}}\n",
        5,
    ), "yaml"


WORST_SHAPES: dict[str, Callable[[], tuple[str, str]]] = {
    "duplicate_keys": duplicate_keys,
    "unknown_keys": unknown_keys,
    "unknown_keys_in_a_section": unknown_keys_in_a_section,
    "toml_tables": toml_tables,
    "toml_indicator_tables": toml_indicator_tables,
    "indicators": indicators,
    "long_conditions": long_conditions,
    "duplicate_keys_at_the_value_limit": duplicate_keys_at_the_value_limit,
    "unknown_keys_at_the_value_limit": unknown_keys_at_the_value_limit,
    "toml_tables_at_the_value_limit": toml_tables_at_the_value_limit,
    "toml_indicator_tables_at_the_value_limit": toml_indicator_tables_at_the_value_limit,
    "indicators_at_the_value_limit": indicators_at_the_value_limit,
}
# The shapes refused at their first value beyond the limit, with that one error.
TOO_MANY_VALUES = (
    "duplicate_keys",
    "unknown_keys",
    "unknown_keys_in_a_section",
    "toml_tables",
    "toml_indicator_tables",
    "indicators",
)
