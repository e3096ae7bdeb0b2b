"""What a preview reports (PREVIEW.md §5), as JSON-ready data and as a short summary."""

from __future__ import annotations

from typing import Any

import numpy as np

from .bars import iso
from .engine import Clause, Preview


def statistics(preview: Preview) -> dict[str, Any]:
    walk, capital = preview.walk, preview.rules.capital
    trades = walk.trades
    pnls = [trade.pnl for trade in trades]
    gains = sum(p for p in pnls if p > 0)
    losses = -sum(p for p in pnls if p < 0)
    equity = walk.equity
    final = float(equity[-1]) if len(equity) else capital
    peaks = np.maximum(np.maximum.accumulate(equity), capital) if len(equity) else np.array([capital])
    drawdown = float(np.max(1 - equity / peaks)) if len(equity) else 0.0
    return {
        "trades": len(trades),
        "win_rate": _round(sum(p > 0 for p in pnls) / len(trades)) if trades else None,
        "total_return": _round(final / capital - 1),
        "max_drawdown": _round(max(drawdown, 0.0)),
        "exposure": _round(float(np.count_nonzero(walk.held)) / len(walk.held)) if len(walk.held) else 0.0,
        # None when no trade lost: the ratio has no finite value (JSON has no infinity).
        "profit_factor": _round(gains / losses) if losses > 0 else None,
        "fees": _round(sum(trade.fees for trade in trades)),
        "final_equity": _round(final),
    }


def blocking(preview: Preview) -> Clause | None:
    """For an entry that never fires, the comparison false most often on the bars where
    every other comparison of the entry held."""
    if np.any(preview.entries[preview.first : preview.end]):
        return None
    entry = [clause for clause in preview.clauses if clause.role == "entry"]
    # Ties go to the clause false most often overall, then to the first written.
    return max(entry, key=lambda c: (c.false_while_rest_held, c.false_bars), default=None)


def as_json(preview: Preview) -> dict[str, Any]:
    bars, walk, first = preview.bars, preview.walk, preview.first
    times = bars.time

    def at(index: int) -> str:
        return iso(int(times[index]))

    entry_bars = np.flatnonzero(preview.entries[first : preview.end]) + first
    blocker = blocking(preview)
    return {
        "bars": preview.end - first,
        "warmup_bars": preview.warmup_bars,
        "entry_bars": [at(int(i)) for i in entry_bars],
        "exit_bars": [at(i) for i in walk.exit_bars],
        "stop_bars": [at(i) for i in walk.stop_bars],
        "trades": [
            {
                "entry_time": at(trade.entry_bar),
                "entry_price": _round(trade.entry_price),
                "exit_time": at(trade.exit_bar),
                "exit_price": _round(trade.exit_price),
                "quantity": _round(trade.quantity),
                "reason": trade.reason,
                "pnl": _round(trade.pnl),
            }
            for trade in walk.trades
        ],
        "stats": statistics(preview),
        "clauses": [_clause(clause, clause is blocker) for clause in preview.clauses],
    }


def _clause(clause: Clause, blocks: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "condition": clause.role,
        "clause": clause.text,
        "true_bars": clause.true_bars,
        "position": clause.reads_position,
        "blocking": blocks,
    }
    if clause.role == "entry":
        data["false_while_rest_held"] = clause.false_while_rest_held
        data["rest_held_bars"] = clause.rest_held
    return data


def blocking_words(clause: Clause) -> str:
    """'`close > sma_200` was false on 96 % of the bars where the rest held'."""
    if clause.rest_held == 0:
        return f"`{clause.text}` never held together with the rest of the entry"
    share = round(100 * clause.false_while_rest_held / clause.rest_held)
    return f"`{clause.text}` was false on {share} % of the bars where the rest held"


def summary_lines(preview: Preview, title: str) -> list[str]:
    data = as_json(preview)
    stats = data["stats"]
    lines = [
        f"{title}: {data['bars']} bars, warm-up {data['warmup_bars']}",
        f"Entry true on {len(data['entry_bars'])} bars; {stats['trades']} trades",
        f"Return {_percent(stats['total_return'])}, max drawdown {_percent(stats['max_drawdown'])}, "
        f"exposure {_percent(stats['exposure'])}, fees {stats['fees']:.2f}",
    ]
    if stats["trades"]:
        factor = stats["profit_factor"]
        lines.append(
            f"Win rate {_percent(stats['win_rate'])}, profit factor "
            f"{'(no losing trade)' if factor is None else f'{factor:.2f}'}"
        )
    blocker = blocking(preview)
    if blocker is not None:
        lines.append(f"The entry never fires: {blocking_words(blocker)}")
    return lines


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def _round(value: float) -> float:
    # Twelve significant digits: exact enough to compare, free of binary noise.
    return float(f"{value:.12g}")
