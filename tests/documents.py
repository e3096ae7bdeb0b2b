"""The valid YAML strategy the tests of every folder start from.

Two layouts of the same strategy, because tests pin diagnostics to lines: the flow layout
puts each section on one line (line 3 timeframe, 8 entry, 9 exit); the block layout is
how a person types it in the editor, one key per line (line 3 timeframe, 9 entry, 10
exit). Unit tests import it relatively (`from ..documents import strategy_document`);
tests/integration/live_stack.py puts this folder on sys.path for the servers' tests.
"""


def strategy_document(
    name: str = "RSI dip",
    *,
    description: str | None = None,
    timeframe: str = "1h",
    period: int = 14,
    entry: str = "rsi_14 < 30",
    exit: str = "rsi_14 > 70",
    block: bool = False,
) -> str:
    def mapping(key: str, items: dict, indent: str = "") -> list[str]:
        if block:
            return [f"{indent}{key}:", *(f"{indent}  {k}: {v}" for k, v in items.items())]
        return [f"{indent}{key}: {{" + ", ".join(f"{k}: {v}" for k, v in items.items()) + "}"]

    lines = [f"name: {name}"]
    if description is not None:
        lines.append(f"description: {description}")
    lines += [
        "trading_pair: BTC/USDT",
        f"timeframe: {timeframe}",
        "indicators:",
        "  - type: rsi",
        "    name: rsi_14",
        *mapping("parameters", {"period": period}, "    "),
        f"entry_conditions: {entry}",
        f"exit_conditions: {exit}",
        "stop_conditions: unrealized_pnl_pct < -0.05",
        *mapping("position_sizing", {"type": "percentage", "percentage_of_capital": 0.1}),
        *mapping("risk_parameters", {"max_daily_loss": 0.02, "max_drawdown": 0.1}),
    ]
    return "\n".join(lines) + "\n"
