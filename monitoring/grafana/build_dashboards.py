#!/usr/bin/env python3
"""Build the Grafana dashboards of trading-strategy as code.

    python monitoring/grafana/build_dashboards.py           # write dashboards/*.json
    python monitoring/grafana/build_dashboards.py --check   # exit 1 if a file is stale

Writes bare dashboard models (no wrapping "dashboard" key: file provisioning reads the
model itself) with stable uids, `timeseries` and `stat` panels only, base units, and the
SLO thresholds of docs (DESIGN.md "SLOs") drawn as lines on the panels that measure them.
Queries read only the metric catalog and the recording rules of
monitoring/prometheus/rules/ (tests/monitoring/test_grafana.py checks that, and that the
committed JSON is this script's output). Standard library only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DASHBOARDS = Path(__file__).resolve().parent / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "trading-strategy-prometheus"}
JOB = 'job="trading-strategy"'
GREEN, ORANGE, RED = "green", "orange", "red"


class Layout:
    """Places panels left to right on Grafana's 24-column grid, wrapping rows."""

    def __init__(self):
        self.x = self.y = self.row_height = 0
        self.next_id = 1

    def place(self, width: int, height: int) -> tuple[int, dict]:
        if self.x + width > 24:
            self.x, self.y, self.row_height = 0, self.y + self.row_height, 0
        grid = {"h": height, "w": width, "x": self.x, "y": self.y}
        self.x += width
        self.row_height = max(self.row_height, height)
        panel_id, self.next_id = self.next_id, self.next_id + 1
        return panel_id, grid


def target(expr: str, legend: str = "", ref: str = "A") -> dict:
    return {"refId": ref, "datasource": DATASOURCE, "expr": expr, "legendFormat": legend, "range": True}


def thresholds(*steps: tuple[float, str]) -> dict:
    """Threshold steps above a green base: (value, colour), ascending."""
    return {
        "mode": "absolute",
        "steps": [{"color": GREEN, "value": None}]
        + [{"color": colour, "value": value} for value, colour in steps],
    }


def timeseries(
    layout: Layout,
    title: str,
    description: str,
    targets: list[dict],
    unit: str,
    *,
    steps: tuple = (),
    width: int = 12,
    height: int = 8,
    stack: bool = False,
    minimum: float | None = 0,
    maximum: float | None = None,
) -> dict:
    panel_id, grid = layout.place(width, height)
    defaults = {
        "unit": unit,
        "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": False,
            "stacking": {"mode": "normal" if stack else "none", "group": "A"},
            # The SLO edges, as dashed lines across the graph.
            "thresholdsStyle": {"mode": "dashed" if steps else "off"},
        },
        "thresholds": thresholds(*steps),
        "color": {"mode": "palette-classic"},
    }
    if minimum is not None:
        defaults["min"] = minimum
    if maximum is not None:
        defaults["max"] = maximum
    return {
        "id": panel_id,
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "gridPos": grid,
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": {
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
        "targets": [dict(t, refId=chr(ord("A") + i)) for i, t in enumerate(targets)],
    }


def stat(
    layout: Layout,
    title: str,
    description: str,
    expr: str,
    unit: str,
    *,
    steps: tuple = (),
    legend: str = "",
    width: int = 4,
    height: int = 4,
    base: str = GREEN,
    mappings: list | None = None,
) -> dict:
    panel_id, grid = layout.place(width, height)
    panel_thresholds = thresholds(*steps)
    panel_thresholds["steps"][0]["color"] = base
    return {
        "id": panel_id,
        "type": "stat",
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "gridPos": grid,
        "fieldConfig": {
            "defaults": {
                "unit": unit,
                "thresholds": panel_thresholds,
                "mappings": mappings or [],
                "color": {"mode": "thresholds"},
            },
            "overrides": [],
        },
        "options": {
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "value",
            "graphMode": "area",
            "justifyMode": "auto",
            "textMode": "auto",
            "orientation": "auto",
        },
        "targets": [target(expr, legend)],
    }


def dashboard(uid: str, title: str, description: str, panels: list[dict]) -> dict:
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["trading-strategy"],
        "timezone": "browser",
        "editable": False,
        "graphTooltip": 1,
        "refresh": "30s",
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-6h", "to": "now"},
        "annotations": {"list": []},
        "templating": {"list": []},
        "links": [],
        "panels": panels,
    }


def overview() -> dict:
    layout = Layout()
    p = []
    # Headline numbers ----------------------------------------------------------------------
    p.append(
        stat(
            layout,
            "Exporter up",
            "1 when Prometheus scraped the app's exporter (alert TargetDown).",
            f"min(up{{{JOB}}})",
            "none",
            steps=((1, GREEN),),
            base=RED,
            mappings=[{"type": "value", "options": {"0": {"text": "DOWN"}, "1": {"text": "UP"}}}],
        )
    )
    p.append(
        stat(
            layout,
            "Requests",
            "All HTTP requests, per second (5 m rate).",
            "sum(trading_strategy:http_requests:rate5m)",
            "reqps",
        )
    )
    p.append(
        stat(
            layout,
            "HTTP 5xx ratio",
            "5xx over all requests, 5 m (target < 1 %, alert HighHttpErrorRatio > 5 %).",
            "trading_strategy:http_errors:ratio_5m",
            "percentunit",
            steps=((0.01, ORANGE), (0.05, RED)),
        )
    )
    p.append(
        stat(
            layout,
            "Live validation p95",
            "p95 of the live-validation response, 5 m (SC-002: < 1 s).",
            'trading_strategy:http_request_duration_seconds:p95_5m{route="strategies:live-validate"}',
            "s",
            steps=((1, RED),),
        )
    )
    p.append(
        stat(
            layout,
            "In-flight requests",
            "Requests being handled now, all workers.",
            f"sum(trading_strategy_http_requests_in_flight{{{JOB}}})",
            "none",
        )
    )
    p.append(
        stat(
            layout,
            "Live subscribers",
            "Open live-update streams (server-sent events).",
            f"sum(trading_strategy_live_subscribers{{{JOB}}})",
            "none",
        )
    )

    # The original plan's seven panels, measured on metrics that exist ---------------------
    p.append(
        timeseries(
            layout,
            "Strategy creation rate",
            "Creations per second by result (5 m rate).",
            [
                target(
                    'sum by (result) (trading_strategy:strategy_operations:rate5m{operation="create"})',
                    "{{result}}",
                )
            ],
            "ops",
            stack=True,
        )
    )
    p.append(
        timeseries(
            layout,
            "Strategy creation duration (p95)",
            "p95 of strategy creation, 5 m. Target < 5 s; alert SlowStrategyCreation at 10 s.",
            [
                target(
                    'trading_strategy:strategy_operation_duration_seconds:p95_5m{operation="create"}',
                    "p95 create",
                )
            ],
            "s",
            steps=((5, ORANGE), (10, RED)),
        )
    )
    p.append(
        timeseries(
            layout,
            "Validation response time (p95)",
            "Live validation as the trader sees it (HTTP route strategies:live-validate, the "
            "alert's measure), and the validation check itself wherever it runs. SC-002: < 1 s.",
            [
                target(
                    'trading_strategy:http_request_duration_seconds:p95_5m{route="strategies:live-validate"}',
                    "live-validate response",
                ),
                target(
                    'trading_strategy:dsl_check_duration_seconds:p95_5m{check="validate"}', "validate check"
                ),
            ],
            "s",
            steps=((1, RED),),
        )
    )
    p.append(
        timeseries(
            layout,
            "Syntax test duration (p95)",
            "The syntax test check (editor and API; the alert SlowSyntaxTest's measure), and the "
            "editor's syntax-test response. SC-005: < 3 s.",
            [
                target(
                    'trading_strategy:dsl_check_duration_seconds:p95_5m{check="syntax_test"}',
                    "syntax_test check",
                ),
                target(
                    'trading_strategy:http_request_duration_seconds:p95_5m{route="strategies:live-syntax-test"}',
                    "live-syntax-test response",
                ),
            ],
            "s",
            steps=((3, RED),),
        )
    )
    p.append(
        timeseries(
            layout,
            "HTTP request rate",
            "Requests per second by route (5 m rate).",
            [target("sum by (route) (trading_strategy:http_requests:rate5m)", "{{route}}")],
            "reqps",
            stack=True,
        )
    )
    p.append(
        timeseries(
            layout,
            "Error ratio",
            "5xx over all requests, and failed (result=error) over all strategy operations, 5 m. "
            "Target < 1 %; alerts at 5 % (with a minimum-traffic guard).",
            [
                target("trading_strategy:http_errors:ratio_5m", "HTTP 5xx"),
                target("trading_strategy:strategy_operation_errors:ratio_5m", "strategy operations"),
            ],
            "percentunit",
            steps=((0.01, ORANGE), (0.05, RED)),
        )
    )
    p.append(
        timeseries(
            layout,
            "Memory per worker",
            "Resident memory of each worker (pid) and of all together, against the limit "
            "(recording rule trading_strategy:memory_limit_bytes; alert HighMemoryUsage).",
            [
                target(f"trading_strategy_process_resident_memory_bytes{{{JOB}}}", "pid {{pid}}"),
                target("sum(trading_strategy:process_resident_memory_bytes:sum)", "all workers"),
                target("trading_strategy:memory_limit_bytes", "limit"),
            ],
            "bytes",
            steps=((2e9, RED),),
            width=24,
        )
    )

    # HTTP detail -----------------------------------------------------------------------------
    p.append(
        timeseries(
            layout,
            "p95 by route",
            "p95 response time per route, 5 m.",
            [target("trading_strategy:http_request_duration_seconds:p95_5m", "{{route}}")],
            "s",
            steps=((1, ORANGE), (3, RED)),
        )
    )
    p.append(
        timeseries(
            layout,
            "5xx ratio by route",
            "Share of each route's requests that answered 5xx, 5 m.",
            [
                target(
                    'sum by (route) (trading_strategy:http_requests:rate5m{status=~"5.."}) '
                    "/ sum by (route) (trading_strategy:http_requests:rate5m)",
                    "{{route}}",
                )
            ],
            "percentunit",
            steps=((0.01, ORANGE), (0.05, RED)),
        )
    )
    p.append(
        timeseries(
            layout,
            "Status codes",
            "Requests per second by status code (5 m rate).",
            [target("sum by (status) (trading_strategy:http_requests:rate5m)", "{{status}}")],
            "reqps",
            stack=True,
        )
    )
    p.append(
        timeseries(
            layout,
            "Strategy operations",
            "Operations per second by operation and result (5 m rate).",
            [
                target(
                    "sum by (operation, result) (trading_strategy:strategy_operations:rate5m)",
                    "{{operation}} {{result}}",
                )
            ],
            "ops",
            stack=True,
        )
    )
    p.append(
        timeseries(
            layout,
            "Strategy operation duration (p95)",
            "p95 per operation, 5 m.",
            [target("trading_strategy:strategy_operation_duration_seconds:p95_5m", "{{operation}}")],
            "s",
            steps=((5, ORANGE), (10, RED)),
        )
    )

    # Database ----------------------------------------------------------------------------------
    p.append(
        timeseries(
            layout,
            "Database query duration (p95)",
            "p95 of database statements, all and by kind, 5 m. Target < 100 ms; alert "
            "SlowDatabaseQueries at 500 ms.",
            [
                target("trading_strategy:db_query_duration_seconds:p95_5m", "all statements"),
                target(
                    "histogram_quantile(0.95, sum by (le, statement) "
                    f"(rate(trading_strategy_db_query_duration_seconds_bucket{{{JOB}}}[5m])))",
                    "{{statement}}",
                ),
            ],
            "s",
            steps=((0.1, ORANGE), (0.5, RED)),
        )
    )
    p.append(
        timeseries(
            layout,
            "Database pool",
            "PostgreSQL pool connections (in use, idle, max) and requests waiting for one; "
            "empty on SQLite (no pool). Alerts DatabasePoolSaturated, DatabasePoolRequestsWaiting.",
            [
                target(f"sum by (state) (trading_strategy_db_pool_connections{{{JOB}}})", "{{state}}"),
                target(f"sum(trading_strategy_db_pool_requests_waiting{{{JOB}}})", "waiting"),
            ],
            "none",
        )
    )
    p.append(
        timeseries(
            layout,
            "Database pool saturation",
            "Connections in use over the pool's maximum (alert above 80 % for 2 m).",
            [target("trading_strategy:db_pool_connections:saturation_ratio", "{{instance}}")],
            "percentunit",
            steps=((0.8, RED),),
            maximum=1,
        )
    )

    # Live updates, business, security, runtime --------------------------------------------------
    p.append(
        timeseries(
            layout,
            "Live subscribers and events",
            "Open live-update streams, strategy events published per second by event, and "
            "event-bus errors per second (Redis unreachable: a message not published, or a "
            "subscription that could not start or broke off).",
            [
                target(f"sum(trading_strategy_live_subscribers{{{JOB}}})", "subscribers"),
                target(
                    f"sum by (event) (rate(trading_strategy_pubsub_messages_total{{{JOB}}}[5m]))",
                    "{{event}} /s",
                ),
                target(
                    f"sum by (operation) (rate(trading_strategy_pubsub_errors_total{{{JOB}}}[5m]))",
                    "{{operation}} errors /s",
                ),
            ],
            "none",
        )
    )
    # Every instance counts the same database: the maximum, not the sum, is the count.
    p.append(
        timeseries(
            layout,
            "Strategies by status",
            "Stored strategies by status.",
            [target(f"max by (status) (trading_strategy_strategies{{{JOB}}})", "{{status}}")],
            "none",
            stack=True,
        )
    )
    p.append(
        timeseries(
            layout,
            "Log-in attempts",
            "Log-ins per second by result; failure + locked above 0.2/s raises LoginFailureSpike.",
            [
                target(
                    f"sum by (result) (rate(trading_strategy_auth_attempts_total{{{JOB}}}[5m]))", "{{result}}"
                ),
                target("trading_strategy:auth_failures:rate5m", "failed + locked"),
            ],
            "ops",
            steps=((0.2, RED),),
        )
    )
    p.append(
        timeseries(
            layout,
            "Event loop lag (p95)",
            "How late callbacks run on the workers' event loops, p95 over 5 m.",
            [
                target(
                    "histogram_quantile(0.95, sum by (le) "
                    f"(rate(trading_strategy_event_loop_lag_seconds_bucket{{{JOB}}}[5m])))",
                    "p95 lag",
                )
            ],
            "s",
            steps=((0.1, ORANGE), (0.5, RED)),
        )
    )
    p.append(
        stat(
            layout,
            "Build",
            "Version of the running build (trading_strategy_build_info).",
            f"max by (version, python, django) (trading_strategy_build_info{{{JOB}}})",
            "none",
            legend="{{version}} (Python {{python}}, Django {{django}})",
            width=24,
            height=3,
        )
    )
    return dashboard(
        "trading-strategy-overview",
        "trading-strategy: overview",
        "SLOs, traffic, errors, database, live updates, security and memory of "
        "trading-strategy. Alerts and runbooks: docs/runbooks/.",
        p,
    )


DASHBOARD_BUILDERS = {"trading-strategy-overview.json": overview}


def render(builder) -> str:
    return json.dumps(builder(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    DASHBOARDS.mkdir(exist_ok=True)
    for name, builder in DASHBOARD_BUILDERS.items():
        path = DASHBOARDS / name
        text = render(builder)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("stale (run monitoring/grafana/build_dashboards.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
