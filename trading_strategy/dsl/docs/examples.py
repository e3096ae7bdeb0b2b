"""What the registry of diagnostic codes is made of: an entry (`Code`), the valid base
document in each format, and the edits that break it.

Examples are small edits of one valid base document: the edit is the mistake, and the base
is the fix. `edit` insists that each replaced text occurs exactly once, so an example
cannot silently stop matching when the base document changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import limits


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    meaning: str
    example: str  # a complete document that triggers the code
    fix: str  # the same document corrected
    format: str = "yaml"  # the format the example is validated as
    fix_format: str | None = None  # when the fix changes the format itself
    # What the reference prints instead of an example too long to read.
    shown: str | None = None
    # Codes the example cannot help reporting too, because its own code is about them.
    alongside: tuple[str, ...] = ()


BASE_YAML = """\
name: RSI dip buyer
trading_pair: BTC/USDT
timeframe: 1h
indicators:
  - type: rsi
    name: rsi_14
    parameters:
      period: 14
  - type: bb
    name: bb_20
    parameters:
      std_dev: 2
entry_conditions: rsi_14 < 30 AND close < bb_20_lower
exit_conditions: rsi_14 > 70
stop_conditions: unrealized_pnl_pct < -0.05
position_sizing:
  type: percentage
  percentage_of_capital: 0.1
risk_parameters:
  max_daily_loss: 0.02
  max_drawdown: 0.1
"""

BASE_TOML = """\
name = "RSI dip buyer"
trading_pair = "BTC/USDT"
timeframe = "1h"
entry_conditions = "rsi_14 < 30 AND close < bb_20_lower"
exit_conditions = "rsi_14 > 70"
stop_conditions = "unrealized_pnl_pct < -0.05"

[[indicators]]
type = "rsi"
name = "rsi_14"
[indicators.parameters]
period = 14

[[indicators]]
type = "bb"
name = "bb_20"
[indicators.parameters]
std_dev = 2

[position_sizing]
type = "percentage"
percentage_of_capital = 0.1

[risk_parameters]
max_daily_loss = 0.02
max_drawdown = 0.1
"""


def edit(base: str, *changes: tuple[str, str]) -> str:
    """`base` with each (old, new) text replaced; `old` must occur exactly once, so an
    example cannot silently stop matching when the base document changes."""
    for old, new in changes:
        if base.count(old) != 1:
            raise ValueError(f"{old!r} must occur exactly once in the base document")
        base = base.replace(old, new)
    return base


def yaml_with(*changes: tuple[str, str]) -> str:
    return edit(BASE_YAML, *changes)


def toml_with(*changes: tuple[str, str]) -> str:
    return edit(BASE_TOML, *changes)


# An indicator added after the base ones; the failing examples give it a bad name.
EXTRA = "      std_dev: 2\n"


def extra_indicator(name: str, type_: str = "ema") -> tuple[str, str]:
    return EXTRA, EXTRA + f"  - type: {type_}\n    name: {name}\n    parameters: {{}}\n"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def many_indicators(count: int) -> str:
    """The base document grown to `count` indicators; the conditions use every one the
    validator reads (the first 100), so the only finding is the count itself."""
    extra = count - 2
    entries = "".join(f"  - {{type: obv, name: obv_{i}, parameters: {{}}}}\n" for i in range(extra))
    used = " + ".join(f"obv_{i}" for i in range(limits.MAX_INDICATORS - 2))
    return yaml_with((EXTRA, EXTRA + entries), ("rsi_14 > 70", f"rsi_14 > 70 OR {used} > 0"))


ALIAS_BOMB = """\
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
"""

LONG_DESCRIPTION = " ".join(["Buys dips."] * 46)
LONG_CONDITION = " OR ".join(["rsi_14 > 70"] * 200)
