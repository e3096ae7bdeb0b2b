"""Documents just under the size limit in the shapes that cost the validator the most.

Each shape repeats one small mistake until the document is as large as the language
allows, so that every diagnostic, hint and per-line step is paid for as many times as a
document can make it be paid. The worst-shape tests send them through every entry point;
bench/worst_shapes_bench.py times the same documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from trading_strategy.dsl import MAX_DOCUMENT_BYTES

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


WORST_SHAPES: dict[str, Callable[[], tuple[str, str]]] = {
    "duplicate_keys": duplicate_keys,
    "unknown_keys": unknown_keys,
    "unknown_keys_in_a_section": unknown_keys_in_a_section,
    "toml_tables": toml_tables,
    "toml_indicator_tables": toml_indicator_tables,
    "indicators": indicators,
    "long_conditions": long_conditions,
}
