"""The admin dashboard: who may see it, and that every page shows real, escaped data."""
import asyncio
import importlib
import json
import os
import platform
import sys
import time
import types

import django
import pytest
from django.test import AsyncClient
from django.urls import URLPattern, URLResolver, include, path
from prometheus_client import CollectorRegistry, Histogram

from trading_strategy.accounts.models import User
from trading_strategy.observability import dashboard, dashboard_data, dashboard_urls
from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.models import Status, Strategy

DOCUMENT = """\
name: {name}
trading_pair: BTC/USDT
timeframe: 1h
indicators:
  - type: rsi
    name: rsi_14
    parameters: {{period: 14}}
entry_conditions: rsi_14 < 30
exit_conditions: rsi_14 > 70
stop_conditions: unrealized_pnl_pct < -0.05
position_sizing: {{type: percentage, percentage_of_capital: 0.1}}
risk_parameters: {{max_daily_loss: 0.02, max_drawdown: 0.1}}
"""

# Every dashboard route by name, with what an admin gets from the test client (a WSGI
# handler, where the event stream refuses to hold a thread). A route missing here fails
# test_the_url_list_covers_every_dashboard_route.
DASHBOARD_URLS = {
    "home": 200, "home-live": 200,
    "metrics": 200, "metrics-json": 200, "metrics-events": 501,
    "requests": 200, "requests-live": 200,
    "strategies": 200, "strategies-live": 200,
    "sessions": 200, "sessions-live": 200,
}


def dashboard_url(name, prefix="admin/dashboard"):
    for pattern in dashboard_urls.routes(prefix):
        if pattern.name == name:
            return "/" + str(pattern.pattern)
    raise KeyError(name)


@pytest.fixture(autouse=True)
def quiet_dashboard(settings, tmp_path):
    # No background thread in tests: each test samples and beats when it wants to.
    settings.DASHBOARD_BACKGROUND = False
    settings.DASHBOARD_RUN_DIR = str(tmp_path / "run")
    state = dashboard_data.worker()
    with state.lock:
        state.requests.clear()
        state.operations.clear()
    dashboard_data.history.clear()
    yield
    dashboard_data.history.clear()


@pytest.fixture
def admin(db):
    return User.objects.create_user("admin@example.com", "correct horse battery", role="admin")


@pytest.fixture
def trader(db):
    return User.objects.create_user("trader@example.com", "correct horse battery")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def flatten(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from flatten(entry.url_patterns, inner)
        else:
            assert isinstance(entry, URLPattern)
            yield namespace + entry.name


# ------------------------------------------------------------------------------ access

def test_the_url_list_covers_every_dashboard_route():
    names = set(flatten(dashboard_urls.urlpatterns))
    assert names == {f"dashboard:{name}" for name in DASHBOARD_URLS}


@pytest.mark.django_db
@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_anonymous_gets_404(client, name):
    response = client.get(dashboard_url(name))
    assert response.status_code == 404


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_trader_gets_404(client, trader, name):
    client.force_login(trader)
    response = client.get(dashboard_url(name))
    assert response.status_code == 404


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_admin_gets_the_page(admin_client, name):
    response = admin_client.get(dashboard_url(name))
    assert response.status_code == DASHBOARD_URLS[name]
    if response.status_code == 200:
        assert "no-cache" in response["Cache-Control"]


def test_a_trader_with_the_old_staff_flags_is_still_refused(client, db):
    user = User.objects.create_user("super@example.com", "correct horse battery",
                                    is_superuser=True)
    client.force_login(user)
    assert client.get(dashboard_url("home")).status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [None, "trader"])
def test_event_stream_is_404_for_non_admins_under_asgi(role):
    async def scenario():
        client = AsyncClient()
        if role:
            user = await User.objects.acreate(email=f"{role}@example.com", role=role)
            await client.aforce_login(user)
        response = await client.get(dashboard_url("metrics-events"))
        assert response.status_code == 404
    asyncio.run(scenario())


@pytest.mark.django_db(transaction=True)
def test_event_stream_sends_metrics_to_an_admin_under_asgi():
    async def scenario():
        user = await User.objects.acreate(email="admin@example.com", role="admin")
        client = AsyncClient()
        await client.aforce_login(user)
        response = await client.get(dashboard_url("metrics-events"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        chunks = aiter(response.streaming_content)
        first = await asyncio.wait_for(anext(chunks), 5)
        assert (first.decode() if isinstance(first, bytes) else first).startswith("retry:")
        second = await asyncio.wait_for(anext(chunks), 5)
        second = second.decode() if isinstance(second, bytes) else second
        assert second.startswith("event: metrics\ndata: ")
        payload = json.loads(second.removeprefix("event: metrics\ndata: ").strip())
        assert [chart["id"] for chart in payload["charts"]] == [c.id for c in dashboard_data.CHARTS]
        await chunks.aclose()
    asyncio.run(scenario())


def dev_urlconf():
    module = types.ModuleType("dashboard_dev_test_urls")
    from trading_strategy import urls
    # The whole site (pages link to it) plus the dev mount, as DEBUG would have built it.
    module.urlpatterns = [
        *urls.urlpatterns,
        path("", include((dashboard_urls.routes("dev/dashboard"), "dashboard"),
                         namespace=dashboard.DEV_NAMESPACE)),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def test_dev_dashboard_does_not_exist_without_debug(admin_client):
    assert admin_client.get("/dev/dashboard").status_code == 404
    assert not any(name.startswith("dev-dashboard:")
                   for name in flatten(dashboard_urls.urlpatterns))


def test_dev_dashboard_is_mounted_with_debug_on(settings):
    settings.DEBUG = True
    try:
        importlib.reload(dashboard_urls)
        names = set(flatten(dashboard_urls.urlpatterns))
    finally:
        settings.DEBUG = False
        importlib.reload(dashboard_urls)
    assert names == ({f"dashboard:{name}" for name in DASHBOARD_URLS}
                     | {f"dev-dashboard:{name}" for name in DASHBOARD_URLS})


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_dev_dashboard_with_debug_on_is_admin_only(settings, client, admin, trader, name):
    settings.DEBUG = True
    settings.ROOT_URLCONF = dev_urlconf()
    url = dashboard_url(name, "dev/dashboard")
    assert client.get(url).status_code == 404
    client.force_login(trader)
    assert client.get(url).status_code == 404
    client.force_login(admin)
    assert client.get(url).status_code == DASHBOARD_URLS[name]


def test_dev_routes_refuse_even_admins_once_debug_is_off(settings, admin_client):
    # Defence in depth: a dev route mounted while DEBUG was on answers 404 after it is off.
    settings.ROOT_URLCONF = dev_urlconf()
    settings.DEBUG = False
    assert admin_client.get("/dev/dashboard").status_code == 404
    assert admin_client.get("/admin/dashboard").status_code == 200


def test_dev_pages_link_within_the_dev_mount(settings, admin_client):
    settings.DEBUG = True
    settings.ROOT_URLCONF = dev_urlconf()
    page = admin_client.get("/dev/dashboard").content.decode()
    assert 'href="/dev/dashboard/metrics"' in page
    assert 'hx-get="/dev/dashboard/live"' in page


# ------------------------------------------------------------------------------ pages

def test_home_shows_versions_worker_and_database(admin_client):
    admin_client.get("/strategies")
    page = admin_client.get(dashboard_url("home")).content.decode()
    assert platform.python_version() in page
    assert django.get_version() in page
    assert f'data-pid="{os.getpid()}"' in page
    assert "sqlite" in page
    assert "no pool" in page
    assert 'hx-trigger="every 5s"' in page


def test_home_lists_other_live_workers_from_their_heartbeats(admin_client):
    dashboard_data.write_heartbeat()
    directory = dashboard_data.workers_dir()
    own = json.loads((directory / f"{dashboard_data.HOST}-{os.getpid()}.json").read_text())
    alive, gone, stale = os.getppid(), 2 ** 22 + 17, os.getppid() + 0
    for pid, written_at, host in [(alive, time.time(), dashboard_data.HOST),
                                  (gone, time.time(), dashboard_data.HOST),
                                  (stale, time.time() - 3600, "other-host")]:
        beat = dict(own, pid=pid, host=host, written_at=written_at, requests_served=4242)
        (directory / f"{host}-{pid}.json").write_text(json.dumps(beat))

    page = admin_client.get(dashboard_url("home-live")).content.decode()

    assert f'data-pid="{os.getpid()}"' in page
    assert f'data-pid="{alive}"' in page
    assert f'data-pid="{gone}"' not in page  # no such process on this host
    assert "other-host" not in page  # its heartbeat is an hour old


def test_requests_page_lists_a_request_just_made(admin_client, admin):
    admin_client.get("/strategies")
    admin_client.get("/no/such/page")

    response = admin_client.get(dashboard_url("requests"))

    rows = response.content.decode()
    assert "strategies:list" in rows and ">200<" in rows
    assert "unmatched" in rows and ">404<" in rows
    assert f"<td>{admin.pk}</td>" in rows
    entry = dashboard_data.recent_requests()[0]
    assert entry["route"] == "unmatched" and entry["status"] == 404


def test_requests_page_filters_by_status_class(admin_client):
    admin_client.get("/strategies")
    admin_client.get("/no/such/page")

    page = admin_client.get(dashboard_url("requests-live"), {"status": "4xx"}).content.decode()

    assert "unmatched" in page
    assert "strategies:list" not in page


def test_requests_show_the_request_id_or_a_dash(admin_client):
    admin_client.get("/strategies")
    entry = dashboard_data.recent_requests()[0]
    page = admin_client.get(dashboard_url("requests-live")).content.decode()
    if entry["request_id"]:
        assert entry["request_id"] in page
    else:
        assert "<code>—</code>" in page


def test_dashboard_requests_are_counted_but_not_listed(admin_client):
    before = dashboard_data.worker().requests_served
    admin_client.get(dashboard_url("home"))
    assert dashboard_data.worker().requests_served == before + 1
    assert dashboard_data.recent_requests() == []


def test_requests_from_other_workers_are_merged(admin_client):
    dashboard_data.write_heartbeat()
    directory = dashboard_data.workers_dir()
    own = json.loads((directory / f"{dashboard_data.HOST}-{os.getpid()}.json").read_text())
    other = os.getppid()
    beat = dict(own, pid=other, written_at=time.time(), requests=[
        {"at": time.time(), "request_id": "abc123", "method": "GET", "route": "strategies:detail",
         "status": 503, "duration": 0.2, "user_id": 7, "pid": other}])
    (directory / f"{dashboard_data.HOST}-{other}.json").write_text(json.dumps(beat))

    page = admin_client.get(dashboard_url("requests-live"), {"status": "5xx"}).content.decode()

    assert "abc123" in page and "strategies:detail" in page and ">503<" in page


def test_strategies_page_counts_match_the_database(admin_client, trader):
    for index in range(3):
        lifecycle.create(trader, DOCUMENT.format(name=f"Strategy {index}"), "yaml")
    active = lifecycle.create(trader, DOCUMENT.format(name="Live one"), "yaml")
    lifecycle.activate(trader, active)

    page = admin_client.get(dashboard_url("strategies")).content.decode()

    for status in Status:
        count = Strategy.objects.filter(status=status).count()
        assert f'<dd data-status="{status.value}">{count}</dd>' in page
    assert f'<dd data-status="total">{Strategy.objects.count()}</dd>' in page
    assert "Live one" in page


def test_hostile_strategy_name_is_escaped(admin_client, trader):
    hostile = '<img src=x onerror=alert(1)>'
    lifecycle.create(trader, DOCUMENT.format(name=json.dumps(hostile)), "yaml")
    assert Strategy.objects.get().name == hostile

    page = admin_client.get(dashboard_url("strategies")).content.decode()

    assert hostile not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_strategies_page_lists_operation_outcomes_from_telemetry(admin_client, trader):
    if not dashboard_data.attach_telemetry():
        pytest.skip("telemetry spans are not available")
    strategy = lifecycle.create(trader, DOCUMENT.format(name="Watched <b>"), "yaml")
    with pytest.raises(Exception):
        lifecycle.deactivate(trader, strategy)  # a draft cannot be deactivated

    page = admin_client.get(dashboard_url("strategies-live")).content.decode()

    operations = dashboard_data.recent_operations()
    assert [entry["operation"] for entry in operations][:2] == ["deactivate", "create"]
    assert operations[1]["result"] == "ok" and operations[0]["result"] != "ok"
    assert "Watched &lt;b&gt;" in page and "Watched <b>" not in page
    failures = page.split('id="recent-failures"')[1]
    assert "deactivate" in failures


def test_sessions_page_counts_active_sessions_and_cache_entries(admin_client, trader, client):
    from django.core.cache import cache
    cache.set("dashboard-test", 1)

    page = admin_client.get(dashboard_url("sessions")).content.decode()

    assert '<dd data-fact="sessions-active">1</dd>' in page
    assert "LocMemCache" in page
    assert "Not available" in page


# ------------------------------------------------------------------------------ metrics

@pytest.fixture
def private_registry(monkeypatch):
    registry = CollectorRegistry()
    monkeypatch.setattr(dashboard_data, "collect_families", registry.collect)
    return registry


def test_metrics_json_has_a_series_for_every_catalog_chart(admin_client, private_registry):
    http = Histogram("trading_strategy_http_request_duration_seconds", "", ["method", "route", "status"],
                     buckets=(0.1, 0.5, 1.0), registry=private_registry)
    dsl = Histogram("trading_strategy_dsl_check_duration_seconds", "", ["check", "format", "result"],
                    buckets=(0.1, 0.5, 1.0), registry=private_registry)
    ops = Histogram("trading_strategy_strategy_operation_duration_seconds", "", ["operation", "result"],
                    buckets=(0.1, 1.0), registry=private_registry)
    db_queries = Histogram("trading_strategy_db_query_duration_seconds", "", ["statement"],
                           buckets=(0.01, 0.1), registry=private_registry)
    now = time.time()
    dashboard_data.history.sample(now - 10)
    for _ in range(19):
        http.labels("GET", "strategies:list", "200").observe(0.05)
    http.labels("GET", "strategies:list", "500").observe(0.7)
    dsl.labels("validate", "yaml", "valid").observe(0.2)
    dsl.labels("syntax_test", "yaml", "valid").observe(0.3)
    ops.labels("create", "ok").observe(0.05)
    ops.labels("create", "error").observe(0.05)
    db_queries.labels("select").observe(0.005)
    dashboard_data.history.sample(now - 5)

    payload = admin_client.get(dashboard_url("metrics-json")).json()

    charts = {chart["id"]: chart for chart in payload["charts"]}
    assert list(charts) == [chart.id for chart in dashboard_data.CHARTS]
    assert len(payload["timestamps"]) >= 1
    first = {chart_id: {s["name"]: s["values"][0] for s in chart["series"]}
             for chart_id, chart in charts.items()}
    assert first["request_rate"]["all"] == pytest.approx(20 / 5)
    # 19 of 20 at or below 0.1 s: the 95th percentile is the 19th, at the bucket's edge.
    assert first["latency_p95_by_route"]["strategies:list"] == pytest.approx(0.1)
    assert 0.1 < first["validation_p95"]["yaml"] <= 0.5
    assert 0.1 < first["syntax_test_p95"]["yaml"] <= 0.5
    assert first["error_ratio"]["HTTP 5xx"] == pytest.approx(1 / 20)
    assert first["error_ratio"]["failed operations"] == pytest.approx(1 / 2)
    assert 0 < first["db_query_p95"]["select"] <= 0.01
    assert all(chart["available"] for chart in charts.values())


def test_metrics_page_loads_the_vendored_chart_library_and_no_inline_script(admin_client):
    page = admin_client.get(dashboard_url("metrics")).content.decode()
    assert "/static/vendor/uPlot.iife.min.js" in page
    assert "/static/js/dashboard.js" in page
    assert 'data-json-url="/admin/dashboard/metrics.json"' in page
    assert "<script>" not in page and " on" + "load=" not in page and "style=" not in page
    for chart in dashboard_data.CHARTS:
        assert f'data-chart="{chart.id}"' in page


def test_no_dashboard_template_has_inline_script_style_or_handlers():
    from pathlib import Path
    folder = Path(dashboard_data.__file__).parent / "templates" / "dashboard"
    for template in folder.glob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and "<style" not in text and "style=" not in text, template
        assert "hx-on" not in text and " onclick=" not in text and "|safe" not in text, template


def test_chart_history_survives_and_is_bounded(private_registry):
    http = Histogram("trading_strategy_http_request_duration_seconds", "", ["method", "route", "status"],
                     registry=private_registry)
    start = time.time() - 2000
    for step in range(400):
        http.labels("GET", "x", "200").observe(0.01)
        dashboard_data.history.sample(start + step * dashboard_data.SAMPLE_SECONDS)
    payload = dashboard_data.history.series()
    span = payload["timestamps"][-1] - payload["timestamps"][0]
    assert span <= dashboard_data.HISTORY_SECONDS
    rate = payload["charts"][0]["series"][0]["values"]
    assert rate[-1] == pytest.approx(1 / dashboard_data.SAMPLE_SECONDS)


def test_a_counter_reset_is_not_a_negative_rate():
    assert dashboard_data._delta(3, 10) == 3


@pytest.mark.parametrize("buckets, expected", [
    ({"0.1": 0, "0.5": 0, "+Inf": 0}, None),
    ({"0.1": 100, "0.5": 100, "+Inf": 100}, 0.095),
    ({"0.1": 0, "0.5": 100, "+Inf": 100}, 0.1 + 0.4 * 0.95),
    ({"0.1": 0, "0.5": 0, "+Inf": 10}, 0.5),
])
def test_quantile_matches_prometheus_histogram_quantile(buckets, expected):
    value = dashboard_data.quantile(0.95, buckets)
    assert value == (None if expected is None else pytest.approx(expected))


def test_heartbeats_of_exited_workers_are_pruned():
    dashboard_data.write_heartbeat()
    directory = dashboard_data.workers_dir()
    gone = directory / f"{dashboard_data.HOST}-{2 ** 22 + 17}.json"
    elsewhere = directory / "other-host-123.json"
    gone.write_text("{}")
    elsewhere.write_text("{}")

    dashboard_data.prune_heartbeats()

    assert not gone.exists()
    assert elsewhere.exists()  # another host's worker may be alive: only age removes it
    assert (directory / f"{dashboard_data.HOST}-{os.getpid()}.json").exists()
