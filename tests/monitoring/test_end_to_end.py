"""The monitoring stack, end to end: the real server, the real Prometheus, real traffic.

`trading-strategy serve` (gunicorn, 2 workers) on PostgreSQL (a database created for the
run and dropped after it, so the pool gauges exist), and Debian's Prometheus loading the
project's own prometheus.yml and rule files, retargeted to the test's ports with 1 s scrapes
and evaluations. Traffic over HTTP as traders and a bot make it: form log-in with CSRF, live
validation (valid, invalid), Test syntax, signal previews through the API (a valid document
on its default sample; one with errors, 422), creates, updates, a conflict (409),
activations, failed log-ins (up to the lockout), unknown URLs, the list page, readiness
probes, and the database going away (a TCP proxy in front of it is cut) so that readiness
answers 503.

Then, through Prometheus's HTTP API:
  - every query of every panel of the committed Grafana dashboard returns at least one series
    with a number (not NaN), so no panel is empty or broken on a real deployment;
  - every rule group is loaded and every rule healthy (no evaluation error);
  - with TEST_ONLY_SYNTAX_TEST_DELAY_SECONDS=3.5 (the app's test-only slow-down, inside the
    syntax test's dsl.check span) SlowSyntaxTest goes pending (its `for:` is 5m);
  - stopping the app makes TargetDown pending.
Along the way it graphs key queries in Prometheus's own UI (monitoring/screenshot.py);
with UPDATE_SCREENSHOTS=1 they replace docs/screenshots/prometheus-*.png.

In CI (CI=true) a missing Prometheus, PostgreSQL or Chromium fails the test; elsewhere it is
skipped with the reason (Chromium: only the screenshots are skipped).
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from end_to_end_helpers import (
    PASSWORD,
    Api,
    Client,
    PrometheusApi,
    cli,
    dashboard_queries,
    fresh_postgres_database,
    start_app,
    start_prometheus,
)
from live_stack import stop, wait_for
from monitoring_helpers import MONITORING, REPO, free_port, load_module, require_binary, rule_groups

from .. import documents

DASHBOARD = MONITORING / "grafana" / "dashboards" / "trading-strategy-overview.json"
SYNTAX_TEST_DELAY_SECONDS = 3.5  # above SlowSyntaxTest's 3 s, inside the (3 s, 5 s] bucket

# Panel queries allowed to stay empty, with the reason. Empty on purpose: the server runs on
# PostgreSQL, so even the pool panels must show data.
NO_DATA_EXPECTED: dict[str, str] = {}


def strategy_document(name: str, *, period: int = 14) -> str:
    return documents.strategy_document(name, period=period, block=True)


INVALID_DOCUMENT = "name: Broken\ntimeframe: 7m\nindicators:\n  - type: nope\n"


class Traffic:
    """Background traffic until stopped; records every status it got, by kind."""

    def __init__(self, base: str, web: Client, api: Api):
        self.base, self.web, self.api = base, web, api
        self.statuses: dict[str, list] = {}
        self.stopping = threading.Event()
        self.errors: list[BaseException] = []

    def note(self, kind: str, status) -> None:
        self.statuses.setdefault(kind, []).append(status)

    def seen(self, kind: str, status) -> bool:
        return status in self.statuses.get(kind, [])

    def _guard(self, body):
        def run():
            try:
                body()
            except BaseException as error:
                self.errors.append(error)

        return threading.Thread(target=run, daemon=True)

    def start(self) -> None:
        self.threads = [self._guard(self._fast_rounds), self._guard(self._syntax_tests)]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=20)

    def _fast_rounds(self) -> None:
        web, api, round_number = self.web, self.api, 0
        while not self.stopping.is_set():
            round_number += 1
            self.note("list", web.request("GET", "/strategies")[0])
            self.note("live-validate", web.live("validate", strategy_document("Typing"))[0])
            self.note("live-validate", web.live("validate", INVALID_DOCUMENT)[0])
            self.note(
                "api-validate",
                api.call("POST", "/strategies/validate", {"document": INVALID_DOCUMENT, "format": "yaml"})[0],
            )
            for document in (strategy_document("Preview"), INVALID_DOCUMENT):
                self.note(
                    "preview",
                    api.call("POST", "/strategies/preview", {"document": document, "format": "yaml"})[0],
                )
            status, created = api.call(
                "POST",
                "/strategies",
                {"document": strategy_document(f"Momentum {round_number}"), "format": "yaml"},
            )
            self.note("create", status)
            if status == 201:
                path, stale = f"/strategies/{created['id']}", created["lock_version"]
                update = {
                    "document": strategy_document(f"Momentum {round_number}", period=21),
                    "format": "yaml",
                    "lock_version": stale,
                }
                self.note("update", api.call("PUT", path, update)[0])
                # A second tab still holding the old lock_version.
                self.note("update", api.call("PUT", path, update)[0])
                if round_number <= 3:  # activation runs a (fast) syntax test: keep it rare
                    self.note("activate", api.call("POST", f"{path}/activate")[0])
            self.note("unknown", Client(self.base).request("GET", f"/no-such-page/{round_number}")[0])
            self.note("log-in", Client(self.base).log_in("intruder@example.com", "guess"))
            self.note("ready", web.request("GET", "/health/ready")[0])
            self.stopping.wait(0.5)

    def _syntax_tests(self) -> None:
        # One at a time: each holds a worker's sync thread for the delay.
        number = 0
        while not self.stopping.is_set():
            number += 1
            if number % 2:
                status = self.web.live("syntax-test", strategy_document("Slow"))[0]
            else:
                status = self.api.call(
                    "POST",
                    "/strategies/syntax-test",
                    {"document": strategy_document("Slow"), "format": "yaml"},
                )[0]
            self.note("syntax-test", status)


@pytest.fixture
def screenshot_module():
    return load_module("monitoring_screenshot", MONITORING / "screenshot.py")


def test_dashboards_rules_and_alerts_see_the_real_server(tmp_path, prometheus_config, screenshot_module):
    prometheus_bin = require_binary("prometheus")
    figures: dict[str, object] = {}
    began = time.monotonic()

    def since(start: float) -> float:
        return round(time.monotonic() - start, 1)

    with fresh_postgres_database() as (database_url, database_link):
        app_port, metrics_port, prometheus_port = free_port(), free_port(), free_port()
        base = f"http://127.0.0.1:{app_port}"
        app, env, app_log = start_app(
            tmp_path,
            app_port=app_port,
            metrics_port=metrics_port,
            database_url=database_url,
            extra_env={
                "TEST_ONLY_SYNTAX_TEST_DELAY_SECONDS": str(SYNTAX_TEST_DELAY_SECONDS),
                "API_VALIDATE_RATE": "10000",
                "AXES_FAILURE_LIMIT": "3",
            },
        )
        config = prometheus_config(metrics_port, prometheus_port=prometheus_port)
        prometheus, prometheus_log = start_prometheus(prometheus_bin, config, prometheus_port, tmp_path)
        promql = PrometheusApi(f"http://127.0.0.1:{prometheus_port}")
        watched = ((app, app_log), (prometheus, prometheus_log))
        traffic = None
        try:
            wait_for(
                lambda: Client(base).request("GET", "/health/live")[0] == 200,
                seconds=40,
                what="the app answers /health/live",
                processes=watched,
            )
            figures["app_up_s"] = since(began)

            cli(env, "createuser", "--email", "trader@example.com", "--password-stdin", stdin=PASSWORD + "\n")
            token = cli(env, "token", "create", "--email", "trader@example.com").strip()
            web = Client(base)
            assert web.log_in("trader@example.com", PASSWORD) == 302

            wait_for(
                lambda: promql.query('up{job="trading-strategy"} == 1'),
                seconds=20,
                what="Prometheus scrapes the exporter",
                processes=watched,
            )
            figures["first_scrape_s"] = since(began)

            traffic = Traffic(base, web, Api(base, token))
            traffic_began = time.monotonic()
            traffic.start()

            # The database goes away, twice (a rate needs the counter to move between
            # scrapes): readiness says so with a 503, and recovers when it is back.
            for _ in range(2):
                time.sleep(2.5)
                database_link.cut()
                wait_for(
                    lambda: web.request("GET", "/health/ready")[0] == 503,
                    seconds=10,
                    what="readiness answers 503 while the database is unreachable",
                )
                database_link.restore()
                wait_for(
                    lambda: web.request("GET", "/health/ready")[0] == 200,
                    seconds=15,
                    what="readiness recovers once the database is back",
                )

            # Every panel query returns a number.
            queries = dashboard_queries(DASHBOARD)
            assert len(queries) >= 25, "the dashboard should have its panels"
            first_number: dict[str, float] = {}

            def every_panel_has_data():
                for title, expr in queries:
                    if expr not in first_number and title not in NO_DATA_EXPECTED and promql.has_number(expr):
                        first_number[expr] = since(traffic_began)
                return [
                    (title, expr)
                    for title, expr in queries
                    if expr not in first_number and title not in NO_DATA_EXPECTED
                ] or True

            missing = None
            deadline = time.monotonic() + 45
            while time.monotonic() < deadline:
                missing = every_panel_has_data()
                if missing is True:
                    break
                assert not traffic.errors, traffic.errors
                time.sleep(0.5)
            assert missing is True, f"panel queries without data after 45 s: {missing}"
            figures["panel_queries"] = len(queries)
            figures["first_panel_with_data_s"] = min(first_number.values())
            figures["all_panels_with_data_s"] = max(first_number.values())
            figures["slowest_panels"] = sorted(
                ((seconds, title) for (title, expr) in queries for seconds in [first_number[expr]]),
                reverse=True,
            )[:4]

            # The traffic got the answers it was meant to provoke.
            for kind, status in [
                ("list", 200),
                ("live-validate", 200),
                ("create", 201),
                ("update", 200),
                ("update", 409),
                ("activate", 200),
                ("unknown", 404),
                ("log-in", 200),
                ("syntax-test", 200),
                ("preview", 200),
                ("preview", 422),
            ]:
                assert traffic.seen(kind, status), (kind, status, traffic.statuses.get(kind))
            for expr in [
                'sum(trading_strategy:http_requests:rate5m{route="health-ready", status="503"}) > 0',
                'sum(trading_strategy_auth_attempts_total{result="locked"}) > 0',
                'sum(trading_strategy_db_pool_connections{state="max"}) > 0',
                "count(trading_strategy_process_resident_memory_bytes) == 2",
                'sum(trading_strategy:previews:rate5m{source="api", result="ok", bars="le_20k"}) > 0',
                'sum(trading_strategy:previews:rate5m{source="api", result="invalid"}) > 0',
            ]:
                wait_for(lambda expr=expr: promql.has_number(expr), seconds=10, what=expr)

            # Every rule group loaded, every rule evaluated without error.
            expected_groups = {group["name"] for group in rule_groups()}

            def rules_healthy():
                groups = {group["name"]: group for group in promql.rule_groups()}
                if set(groups) != expected_groups:
                    return False
                rules = [rule for group in groups.values() for rule in group["rules"]]
                return all(rule["health"] == "ok" and not rule.get("lastError") for rule in rules) and len(
                    rules
                )

            figures["healthy_rules"] = wait_for(
                rules_healthy, seconds=15, what="every rule group loaded and healthy"
            )

            # Slow syntax tests: SlowSyntaxTest goes pending.
            wait_for(
                lambda: promql.alert_state("SlowSyntaxTest") == "pending",
                seconds=30,
                what="SlowSyntaxTest pending",
                interval=0.5,
                processes=watched,
            )
            figures["slow_syntax_test_pending_s"] = since(traffic_began)
            figures["syntax_test_p95_s"] = round(
                float(
                    promql.query('trading_strategy:dsl_check_duration_seconds:p95_5m{check="syntax_test"}')[
                        0
                    ]["value"][1]
                ),
                2,
            )
            assert promql.alert_state("TargetDown") is None
            (preview_p95,) = promql.query('trading_strategy:preview_duration_seconds:p95_5m{bars="le_20k"}')
            figures["preview_p95_le_20k_s"] = round(float(preview_p95["value"][1]), 3)

            # Prometheus's own graphs of the dashboard's key queries.
            figures["screenshots"] = take_screenshots(screenshot_module, promql.base, tmp_path)

            traffic.stop()
            assert not traffic.errors, traffic.errors
            figures["requests_sent"] = sum(len(v) for v in traffic.statuses.values())

            stop(app)
            stopped = time.monotonic()
            wait_for(
                lambda: promql.alert_state("TargetDown") == "pending",
                seconds=20,
                what="TargetDown pending after the app stopped",
                interval=0.25,
                processes=((prometheus, prometheus_log),),
            )
            figures["target_down_pending_after_stop_s"] = since(stopped)
            figures["total_s"] = since(began)
        finally:
            if traffic is not None:
                traffic.stop()
            stop(app)
            stop(prometheus)
        print("\nmonitoring end-to-end figures: " + json.dumps(figures))
        (tmp_path / "figures.json").write_text(json.dumps(figures, indent=2))


def take_screenshots(screenshot_module, prometheus_url: str, tmp_path: Path) -> list[str]:
    """Graphs of real data: into docs/screenshots with UPDATE_SCREENSHOTS=1, else into the
    test's own folder, so a test run leaves the committed pictures alone."""
    chromium = Path(screenshot_module.CHROMIUM)
    try:
        import playwright
    except ImportError:
        playwright = None
    if not chromium.exists() or playwright is None:
        reason = f"Chromium at {chromium} or Playwright missing: no screenshots"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        print(reason)
        return []
    out = REPO / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    saved = screenshot_module.capture(prometheus_url, out, range_input="1m")
    assert saved and all(path.stat().st_size > 10_000 for path in saved), saved
    return [path.name for path in saved]
