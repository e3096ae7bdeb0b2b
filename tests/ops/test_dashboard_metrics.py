"""The Metrics page's charts: rates, ratios and p95s computed from registry samples."""

import time

import pytest
from prometheus_client import CollectorRegistry, Histogram

from trading_strategy.ops import history as dashboard_history
from trading_strategy.ops import views

pytestmark = pytest.mark.usefixtures("quiet_dashboard")


@pytest.fixture
def private_registry(monkeypatch):
    registry = CollectorRegistry()
    monkeypatch.setattr(dashboard_history, "collect_families", registry.collect)
    return registry


def test_metrics_json_has_a_series_for_every_catalog_chart(admin_client, private_registry, dashboard_url):
    http = Histogram(
        "trading_strategy_http_request_duration_seconds",
        "",
        ["method", "route", "status"],
        buckets=(0.1, 0.5, 1.0),
        registry=private_registry,
    )
    dsl = Histogram(
        "trading_strategy_dsl_check_duration_seconds",
        "",
        ["check", "format", "result"],
        buckets=(0.1, 0.5, 1.0),
        registry=private_registry,
    )
    ops = Histogram(
        "trading_strategy_strategy_operation_duration_seconds",
        "",
        ["operation", "result"],
        buckets=(0.1, 1.0),
        registry=private_registry,
    )
    db_queries = Histogram(
        "trading_strategy_db_query_duration_seconds",
        "",
        ["statement"],
        buckets=(0.01, 0.1),
        registry=private_registry,
    )
    now = time.time()
    dashboard_history.history.sample(now - 10)
    for _ in range(19):
        http.labels("GET", "strategies:list", "200").observe(0.05)
    http.labels("GET", "strategies:list", "500").observe(0.7)
    dsl.labels("validate", "yaml", "valid").observe(0.2)
    dsl.labels("syntax_test", "yaml", "valid").observe(0.3)
    ops.labels("create", "ok").observe(0.05)
    ops.labels("create", "error").observe(0.05)
    db_queries.labels("select").observe(0.005)
    dashboard_history.history.sample(now - 5)

    payload = admin_client.get(dashboard_url("metrics-json")).json()

    charts = {chart["id"]: chart for chart in payload["charts"]}
    assert list(charts) == [chart.id for chart in dashboard_history.CHARTS]
    assert len(payload["timestamps"]) >= 1
    first = {
        chart_id: {s["name"]: s["values"][0] for s in chart["series"]} for chart_id, chart in charts.items()
    }
    assert first["request_rate"]["all"] == pytest.approx(20 / 5)
    # 19 of 20 at or below 0.1 s: the 95th percentile is the 19th, at the bucket's edge.
    assert first["latency_p95_by_route"]["strategies:list"] == pytest.approx(0.1)
    assert 0.1 < first["validation_p95"]["yaml"] <= 0.5
    assert 0.1 < first["syntax_test_p95"]["yaml"] <= 0.5
    assert first["error_ratio"]["HTTP 5xx"] == pytest.approx(1 / 20)
    assert first["error_ratio"]["failed operations"] == pytest.approx(1 / 2)
    assert 0 < first["db_query_p95"]["select"] <= 0.01
    assert all(chart["available"] for chart in charts.values())


def test_metrics_page_loads_the_vendored_chart_library_and_no_inline_script(admin_client, dashboard_url):
    page = admin_client.get(dashboard_url("metrics")).content.decode()
    assert "/static/vendor/uPlot.iife.min.js" in page
    assert "/static/js/dashboard.js" in page
    assert 'data-json-url="/admin/dashboard/metrics.json"' in page
    assert "<script>" not in page and " on" + "load=" not in page and "style=" not in page
    for chart in dashboard_history.CHARTS:
        assert f'data-chart="{chart.id}"' in page


def test_no_dashboard_template_has_inline_script_style_or_handlers():
    from pathlib import Path

    folder = Path(views.__file__).parent / "templates" / "dashboard"
    for template in folder.glob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and "<style" not in text and "style=" not in text, template
        assert "hx-on" not in text and " onclick=" not in text and "|safe" not in text, template


def test_chart_history_survives_and_is_bounded(private_registry):
    http = Histogram(
        "trading_strategy_http_request_duration_seconds",
        "",
        ["method", "route", "status"],
        registry=private_registry,
    )
    start = time.time() - 2000
    for step in range(400):
        http.labels("GET", "x", "200").observe(0.01)
        dashboard_history.history.sample(start + step * dashboard_history.SAMPLE_SECONDS)
    payload = dashboard_history.history.series()
    span = payload["timestamps"][-1] - payload["timestamps"][0]
    assert span <= dashboard_history.HISTORY_SECONDS
    rate = payload["charts"][0]["series"][0]["values"]
    assert rate[-1] == pytest.approx(1 / dashboard_history.SAMPLE_SECONDS)


def test_a_counter_reset_is_not_a_negative_rate():
    assert dashboard_history._delta(3, 10) == 3


@pytest.mark.parametrize(
    "buckets, expected",
    [
        ({"0.1": 0, "0.5": 0, "+Inf": 0}, None),
        ({"0.1": 100, "0.5": 100, "+Inf": 100}, 0.095),
        ({"0.1": 0, "0.5": 100, "+Inf": 100}, 0.1 + 0.4 * 0.95),
        ({"0.1": 0, "0.5": 0, "+Inf": 10}, 0.5),
    ],
)
def test_quantile_matches_prometheus_histogram_quantile(buckets, expected):
    value = dashboard_history.quantile(0.95, buckets)
    assert value == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize("path", ["/static/js/dashboard.js", "/static/css/dashboard.css"])
def test_the_dashboards_script_and_stylesheet_are_served_from_the_ops_app(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
