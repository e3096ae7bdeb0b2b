"""The dashboard's Strategies page: counts by status (counted now, which also refreshes the
strategies gauge), recent versions from the database, and recent operation outcomes from
every worker's ring."""

from __future__ import annotations

from trading_strategy.observability import poller
from trading_strategy.strategies.models import Strategy, StrategyVersion

from .recent import recent_operations


def strategies(limit: int = 20) -> dict:
    counts = poller.record_strategies()
    versions = StrategyVersion.objects.select_related("strategy").order_by("-created_at", "-id")[:limit]
    operations = recent_operations()
    # Spans carry ids only; names are read now (a deleted strategy has none).
    names = dict(
        Strategy.objects.filter(
            pk__in={entry["strategy_id"] for entry in operations if entry.get("strategy_id")}
        ).values_list("pk", "name")
    )
    for entry in operations:
        entry["strategy"] = names.get(entry.get("strategy_id"), "")
    return {
        "counts": counts,
        "total": sum(counts.values()),
        "versions": [
            {
                "strategy_id": version.strategy_id,
                "strategy": version.strategy.name,
                "number": version.number,
                "author_id": version.author_id,
                "created_at": version.created_at,
                "is_valid": version.is_valid,
                "errors": len(version.errors),
            }
            for version in versions
        ],
        "operations": operations[:limit],
        "failures": [entry for entry in operations if entry.get("result") != "ok"][:limit],
    }
