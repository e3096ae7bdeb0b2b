"""The documents and assertions the rule tests share: a valid strategy in each format,
edits that must match exactly once, and positions found by searching the text."""

from __future__ import annotations

BASE_YAML = """\
name: RSI bounce
trading_pair: BTC/USDT
timeframe: 1h
indicators:
  - type: rsi
    name: rsi_14
    parameters:
      period: 14
  - type: sma
    name: sma_50
    parameters: {period: 50}
entry_conditions: rsi_14 < 30 AND close > sma_50
exit_conditions: rsi_14 > 70
stop_conditions: unrealized_pnl_pct < -0.05
position_sizing:
  type: percentage
  percentage_of_capital: 0.10
risk_parameters:
  max_daily_loss: 0.03
  max_drawdown: 0.15
"""

BASE_TOML = """\
name = "RSI bounce"
trading_pair = "BTC/USDT"
timeframe = "1h"
entry_conditions = "rsi_14 < 30 AND close > sma_50"
exit_conditions = "rsi_14 > 70"
stop_conditions = "unrealized_pnl_pct < -0.05"

[[indicators]]
type = "rsi"
name = "rsi_14"
parameters = { period = 14 }

[[indicators]]
type = "sma"
name = "sma_50"
parameters = { period = 50 }

[position_sizing]
type = "percentage"
percentage_of_capital = 0.10

[risk_parameters]
max_daily_loss = 0.03
max_drawdown = 0.15
"""


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def at(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the one occurrence of `needle`."""
    assert text.count(needle) == 1, needle
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def only(report, code):
    """The one diagnostic of the report, which must have `code`."""
    assert [d.code for d in report.diagnostics] == [code], report.diagnostics
    return report.diagnostics[0]


def check(diagnostic, code, severity, position, path=None):
    assert diagnostic.code == code
    assert diagnostic.severity == severity
    assert (diagnostic.line, diagnostic.column) == position
    if path is not None:
        assert diagnostic.path == path
