"""The metric catalog as a scrape sees it, fed by real requests and lifecycle operations.

Metrics are process-wide and cumulative, so each test compares a value before and after.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from trading_strategy.accounts.models import ApiToken, User
from trading_strategy.observability import exporter, instrumentation, metrics, poller
from trading_strategy.preview.samples import synthetic
from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.checks import preview
from trading_strategy.strategies.errors import Conflict, NameRejected, NotValid, Refused

EXAMPLE = (Path(__file__).parents[2] / "examples" / "trend_following.yaml").read_text()
EXAMPLE_NAME = "EMA crossover trend follower"
HALF_TYPED = "name: Half typed draft\ntrading_pair: BTC/USDT\ntimeframe: 4h\n"


def document(name: str) -> str:
    return EXAMPLE.replace(f"name: {EXAMPLE_NAME}", f"name: {name}")


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def operations(operation: str, result: str) -> float:
    return value(
        "trading_strategy_strategy_operation_duration_seconds_count", operation=operation, result=result
    )


def requests(method: str, route: str, status: str) -> float:
    return value(
        "trading_strategy_http_request_duration_seconds_count", method=method, route=route, status=status
    )


def checks(check: str, fmt: str, result: str) -> float:
    return value("trading_strategy_dsl_check_duration_seconds_count", check=check, format=fmt, result=result)


class Counted:
    """The increase of one sample over a block."""

    def __init__(self, read, *args, **kwargs):
        self.read = lambda: read(*args, **kwargs)

    def __enter__(self):
        self.before = self.read()
        return self

    def __exit__(self, *exc):
        self.delta = self.read() - self.before


@pytest.fixture
def trader(db):
    return User.objects.create_user("trader@example.com", "correct horse battery")


@pytest.fixture
def browser(client, trader):
    client.force_login(trader)
    return client


@pytest.fixture
def api(client, trader):
    _, raw = ApiToken.issue(trader, "metrics tests")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    class Api:
        def post(self, path, body):
            return client.post(path, json.dumps(body), content_type="application/json", **headers)

    return Api()


# --- lifecycle operations ----------------------------------------------------------------


def test_each_operation_counts_ok(trader):
    with Counted(operations, "create", "ok") as created:
        strategy = lifecycle.create(trader, document("Ops"), "yaml")
    with Counted(operations, "update", "ok") as updated:
        strategy = lifecycle.save(trader, strategy, document("Ops renamed"), "yaml", strategy.lock_version)
    with Counted(operations, "activate", "ok") as activated:
        strategy = lifecycle.activate(trader, strategy)
    with Counted(operations, "deactivate", "ok") as deactivated:
        strategy = lifecycle.deactivate(trader, strategy)
    with (
        Counted(operations, "duplicate", "ok") as duplicated,
        Counted(operations, "create", "ok") as created_by_duplicate,
    ):
        copy = lifecycle.duplicate(trader, strategy)
    with Counted(operations, "archive", "ok") as archived:
        strategy = lifecycle.archive(trader, strategy)
    with Counted(operations, "restore", "ok") as restored:
        strategy = lifecycle.restore(trader, strategy)
    with Counted(operations, "update", "ok") as restored_version:
        lifecycle.restore_version(trader, strategy, 1, strategy.lock_version)
    with Counted(operations, "delete", "ok") as deleted:
        lifecycle.delete(trader, copy)

    assert [
        created.delta,
        updated.delta,
        activated.delta,
        deactivated.delta,
        duplicated.delta,
        archived.delta,
        restored.delta,
        restored_version.delta,
        deleted.delta,
    ] == [1] * 9
    assert created_by_duplicate.delta == 0, "a duplicate is not also a create"


def test_refusals_count_by_kind(trader):
    strategy = lifecycle.create(trader, document("Refusals"), "yaml")

    with Counted(operations, "create", "invalid") as invalid, pytest.raises(NameRejected):
        lifecycle.create(trader, document("Refusals"), "yaml")  # the name is taken
    with Counted(operations, "update", "conflict") as conflict, pytest.raises(Conflict):
        lifecycle.save(trader, strategy, document("Refusals 2"), "yaml", strategy.lock_version + 5)
    with Counted(operations, "deactivate", "forbidden") as forbidden, pytest.raises(Refused):
        lifecycle.deactivate(trader, strategy)  # a draft is not active
    draft = lifecycle.create(trader, HALF_TYPED, "yaml")
    with (
        Counted(operations, "activate", "invalid") as not_valid,
        Counted(checks, "syntax_test", "yaml", "invalid") as activation_check,
        pytest.raises(NotValid),
    ):
        lifecycle.activate(trader, draft)

    assert (invalid.delta, conflict.delta, forbidden.delta, not_valid.delta) == (1, 1, 1, 1)
    assert activation_check.delta == 1


def test_a_crash_inside_an_operation_counts_as_error(trader, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(lifecycle, "_add_version", broken)
    with Counted(operations, "create", "error") as errors, pytest.raises(RuntimeError):
        lifecycle.create(trader, document("Crash"), "yaml")
    assert errors.delta == 1


# --- HTTP --------------------------------------------------------------------------------


def test_the_route_label_is_the_url_pattern_name(browser):
    with Counted(requests, "GET", "strategies:list", "200") as listed:
        assert browser.get("/strategies").status_code == 200
    with Counted(requests, "GET", "unmatched", "404") as unmatched:
        assert browser.get("/no/such/page/42").status_code == 404
    assert (listed.delta, unmatched.delta) == (1, 1)


def test_a_known_route_that_answers_404_keeps_its_name(browser):
    with Counted(requests, "GET", "strategies:detail", "404") as missing:
        assert browser.get("/strategies/999999").status_code == 404
    assert missing.delta == 1


def test_api_routes_are_named_by_the_operation_the_method_reached(api):
    with (
        Counted(requests, "POST", "api:create_strategy", "201") as created,
        Counted(requests, "POST", "api:list_strategies", "201") as misnamed,
    ):
        assert (
            api.post("/api/v1/strategies", {"document": document("Via API"), "format": "yaml"}).status_code
            == 201
        )
    with (
        Counted(requests, "POST", "api:validate_document", "200") as validated,
        Counted(checks, "validate", "yaml", "valid") as checked,
    ):
        assert (
            api.post(
                "/api/v1/strategies/validate", {"document": document("Checked"), "format": "yaml"}
            ).status_code
            == 200
        )
    with Counted(checks, "syntax_test", "yaml", "invalid") as tested:
        api.post("/api/v1/strategies/syntax-test", {"document": HALF_TYPED, "format": "yaml"})
    assert (created.delta, misnamed.delta, validated.delta) == (1, 0, 1)
    assert (checked.delta, tested.delta) == (1, 1)


def test_live_validation_records_a_dsl_check(browser):
    with (
        Counted(checks, "validate", "yaml", "invalid") as invalid,
        Counted(requests, "POST", "strategies:live-validate", "200") as served,
    ):
        response = browser.post("/strategies/live/validate", {"document": HALF_TYPED, "format": "yaml"})
    assert response.status_code == 200 and response.json()["valid"] is False
    with Counted(checks, "validate", "yaml", "valid") as valid:
        browser.post("/strategies/live/validate", {"document": document("Live"), "format": "yaml"})
    with Counted(checks, "syntax_test", "yaml", "valid") as syntax:
        browser.post("/strategies/live/syntax-test", {"document": document("Live"), "format": "yaml"})
    assert (invalid.delta, served.delta, valid.delta, syntax.delta) == (1, 1, 1, 1)


def test_requests_in_flight_return_to_where_they_were(browser):
    before = value("trading_strategy_http_requests_in_flight")
    browser.get("/strategies")
    assert value("trading_strategy_http_requests_in_flight") == before


# --- database, auth, poller --------------------------------------------------------------


@pytest.mark.parametrize(
    "sql, statement",
    [
        ("SELECT 1", "select"),
        ("  insert into x values (1)", "insert"),
        ("UPDATE x SET y = 1", "update"),
        ("DELETE FROM x", "delete"),
        ("SAVEPOINT s1", "other"),
        ("WITH a AS (SELECT 1) SELECT * FROM a", "other"),
    ],
)
def test_statements_are_classified(sql, statement):
    assert instrumentation.statement_of(sql) == statement


def test_queries_are_timed(trader):
    with Counted(value, "trading_strategy_db_query_duration_seconds_count", statement="select") as selects:
        list(User.objects.all())
    assert selects.delta >= 1


def test_log_in_attempts_are_counted(client, trader, settings):
    settings.AXES_FAILURE_LIMIT = 2
    count = lambda result: value("trading_strategy_auth_attempts_total", result=result)  # noqa: E731
    with Counted(count, "success") as success:
        client.post("/users/log-in", {"username": trader.email, "password": "correct horse battery"})
    client.logout()
    with Counted(count, "failure") as failure, Counted(count, "locked") as locked:
        client.post("/users/log-in", {"username": trader.email, "password": "wrong"})
    with Counted(count, "locked") as locked_after:
        client.post("/users/log-in", {"username": trader.email, "password": "wrong"})
        client.post("/users/log-in", {"username": trader.email, "password": "wrong"})
    assert (success.delta, failure.delta, locked.delta) == (1, 1, 0)
    assert locked_after.delta == 2


def test_the_poller_reports_memory_and_strategies_by_status(trader):
    lifecycle.create(trader, document("Counted"), "yaml")
    poller.poll_once()
    assert value("trading_strategy_process_resident_memory_bytes") > 10_000_000
    assert value("trading_strategy_strategies", status="draft") >= 1
    assert value("trading_strategy_strategies", status="archived") >= 0


def test_the_poller_records_this_workers_facts():
    poller.poll_once()

    assert value("trading_strategy_process_start_time_seconds") > 1_600_000_000
    assert value("trading_strategy_process_threads", kind="python") >= 1
    assert value("trading_strategy_process_open_fds") >= 3
    assert value("trading_strategy_process_gc_collections", generation="gen0") >= 1


def test_each_request_counts_for_its_worker(browser):
    before = value("trading_strategy_process_requests")
    browser.get("/strategies")
    assert value("trading_strategy_process_requests") == before + 1


# --- the exposition ----------------------------------------------------------------------

ID_LIKE = re.compile(r"^\d+$|@|/|^[0-9a-f]{8}-[0-9a-f]{4}-|^[0-9a-f]{24,}$")
NUMERIC_LABELS = {"le", "status", "pid"}  # bucket edges, HTTP codes, worker processes


def test_every_catalog_metric_is_exposed_with_its_type_and_bounded_labels(browser, api, trader):
    strategy = lifecycle.create(trader, document("Exposed"), "yaml")
    lifecycle.activate(trader, strategy)
    browser.get("/strategies")
    browser.get(f"/strategies/{strategy.pk}")
    browser.get("/nothing/here")
    browser.post("/strategies/live/validate", {"document": HALF_TYPED, "format": "yaml"})
    api.post("/api/v1/strategies/validate", {"document": document("Exposed"), "format": "yaml"})
    preview(document("Exposed"), "yaml", synthetic("BTC/USDT", "4h", 500), "page")
    poller.poll_once()
    metrics.db_pool_connections.labels("max")  # the pool gauges appear only with a pool

    text = exporter.render().decode()
    families = {family.name: family for family in text_string_to_metric_families(text)}

    for name, kind, labels in metrics.CATALOG + metrics.WORKER_FACTS:
        family_name = name[: -len("_total")] if kind == "counter" else name
        assert family_name in families, name
        family = families[family_name]
        assert family.type == kind, name
        for sample in family.samples:
            assert set(sample.labels) - {"le"} == set(labels), (name, sample.labels)

    for family in families.values():
        if not family.name.startswith("trading_strategy_"):
            continue
        for sample in family.samples:
            for label, label_value in sample.labels.items():
                if label in NUMERIC_LABELS:
                    continue
                assert not ID_LIKE.search(label_value), (sample.name, label, label_value)
                assert trader.email not in label_value


def test_the_route_label_never_carries_a_path(browser, trader):
    strategy = lifecycle.create(trader, document("Pathless"), "yaml")
    browser.get(f"/strategies/{strategy.pk}/versions")
    text = exporter.render().decode()
    assert f"/strategies/{strategy.pk}" not in text
    assert 'route="strategies:versions"' in text
