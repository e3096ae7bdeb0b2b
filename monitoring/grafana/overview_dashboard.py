"""The trading-strategy overview dashboard: headline numbers, then one row per concern,
each SLO's threshold drawn on the panel that measures it."""

from __future__ import annotations

from dashboard_panels import GREEN, JOB, ORANGE, RED, Layout, dashboard, stat, target, timeseries
from preview_panels import preview_panels


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
    p += preview_panels(layout)
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
        "SLOs, previews, traffic, errors, database, live updates, security and memory of "
        "trading-strategy. Alerts and runbooks: docs/runbooks/.",
        p,
    )
