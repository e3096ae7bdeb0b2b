"""The dashboard's pages show real, escaped data: workers, requests, strategies, sessions."""
import json
import os
import platform
import time

import django
import pytest
from django.db import connection

from trading_strategy.observability import dashboard_requests, dashboard_workers
from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.models import Status, Strategy

from ..documents import strategy_document

pytestmark = pytest.mark.usefixtures("quiet_dashboard")


def test_home_shows_versions_worker_and_database(admin_client, dashboard_url):
    admin_client.get("/strategies")
    page = admin_client.get(dashboard_url("home")).content.decode()
    assert platform.python_version() in page
    assert django.get_version() in page
    assert f'data-pid="{os.getpid()}"' in page
    assert connection.vendor in page
    assert "no pool" in page
    assert 'hx-trigger="every 5s"' in page


def test_home_lists_other_live_workers_from_their_heartbeats(admin_client, dashboard_url):
    dashboard_workers.write_heartbeat()
    directory = dashboard_workers.workers_dir()
    own = json.loads((directory / f"{dashboard_workers.HOST}-{os.getpid()}.json").read_text())
    alive, gone, stale = os.getppid(), 2 ** 22 + 17, os.getppid() + 0
    for pid, written_at, host in [(alive, time.time(), dashboard_workers.HOST),
                                  (gone, time.time(), dashboard_workers.HOST),
                                  (stale, time.time() - 3600, "other-host")]:
        beat = dict(own, pid=pid, host=host, written_at=written_at, requests_served=4242)
        (directory / f"{host}-{pid}.json").write_text(json.dumps(beat))

    page = admin_client.get(dashboard_url("home-live")).content.decode()

    assert f'data-pid="{os.getpid()}"' in page
    assert f'data-pid="{alive}"' in page
    assert f'data-pid="{gone}"' not in page  # no such process on this host
    assert "other-host" not in page  # its heartbeat is an hour old


def test_requests_page_lists_a_request_just_made(admin_client, admin, dashboard_url):
    admin_client.get("/strategies")
    admin_client.get("/no/such/page")

    response = admin_client.get(dashboard_url("requests"))

    rows = response.content.decode()
    assert "strategies:list" in rows and ">200<" in rows
    assert "unmatched" in rows and ">404<" in rows
    assert f"<td>{admin.pk}</td>" in rows
    entry = dashboard_requests.recent_requests()[0]
    assert entry["route"] == "unmatched" and entry["status"] == 404


def test_requests_page_filters_by_status_class(admin_client, dashboard_url):
    admin_client.get("/strategies")
    admin_client.get("/no/such/page")

    page = admin_client.get(dashboard_url("requests-live"), {"status": "4xx"}).content.decode()

    assert "unmatched" in page
    assert "strategies:list" not in page


def test_requests_show_the_request_id_or_a_dash(admin_client, dashboard_url):
    admin_client.get("/strategies")
    entry = dashboard_requests.recent_requests()[0]
    page = admin_client.get(dashboard_url("requests-live")).content.decode()
    if entry["request_id"]:
        assert entry["request_id"] in page
    else:
        assert "<code>—</code>" in page


def test_dashboard_requests_are_counted_but_not_listed(admin_client, dashboard_url):
    before = dashboard_workers.worker().requests_served
    admin_client.get(dashboard_url("home"))
    assert dashboard_workers.worker().requests_served == before + 1
    assert dashboard_requests.recent_requests() == []


def test_requests_from_other_workers_are_merged(admin_client, dashboard_url):
    dashboard_workers.write_heartbeat()
    directory = dashboard_workers.workers_dir()
    own = json.loads((directory / f"{dashboard_workers.HOST}-{os.getpid()}.json").read_text())
    other = os.getppid()
    beat = dict(own, pid=other, written_at=time.time(), requests=[
        {"at": time.time(), "request_id": "abc123", "method": "GET", "route": "strategies:detail",
         "status": 503, "duration": 0.2, "user_id": 7, "pid": other}])
    (directory / f"{dashboard_workers.HOST}-{other}.json").write_text(json.dumps(beat))

    page = admin_client.get(dashboard_url("requests-live"), {"status": "5xx"}).content.decode()

    assert "abc123" in page and "strategies:detail" in page and ">503<" in page


def test_strategies_page_counts_match_the_database(admin_client, trader, dashboard_url):
    for index in range(3):
        lifecycle.create(trader, strategy_document(f"Strategy {index}"), "yaml")
    active = lifecycle.create(trader, strategy_document("Live one"), "yaml")
    lifecycle.activate(trader, active)

    page = admin_client.get(dashboard_url("strategies")).content.decode()

    for status in Status:
        count = Strategy.objects.filter(status=status).count()
        assert f'<dd data-status="{status.value}">{count}</dd>' in page
    assert f'<dd data-status="total">{Strategy.objects.count()}</dd>' in page
    assert "Live one" in page


def test_hostile_strategy_name_is_escaped(admin_client, trader, dashboard_url):
    hostile = '<img src=x onerror=alert(1)>'
    lifecycle.create(trader, strategy_document(json.dumps(hostile)), "yaml")
    assert Strategy.objects.get().name == hostile

    page = admin_client.get(dashboard_url("strategies")).content.decode()

    assert hostile not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_strategies_page_lists_operation_outcomes_from_telemetry(admin_client, trader, dashboard_url):
    if not dashboard_requests.attach_telemetry():
        pytest.skip("telemetry spans are not available")
    strategy = lifecycle.create(trader, strategy_document("Watched <b>"), "yaml")
    with pytest.raises(Exception):
        lifecycle.deactivate(trader, strategy)  # a draft cannot be deactivated

    page = admin_client.get(dashboard_url("strategies-live")).content.decode()

    operations = dashboard_requests.recent_operations()
    assert [entry["operation"] for entry in operations][:2] == ["deactivate", "create"]
    assert operations[1]["result"] == "ok" and operations[0]["result"] != "ok"
    assert "Watched &lt;b&gt;" in page and "Watched <b>" not in page
    failures = page.split('id="recent-failures"')[1]
    assert "deactivate" in failures


def test_sessions_page_counts_active_sessions_and_cache_entries(admin_client, trader, client, dashboard_url):
    from django.core.cache import cache
    cache.set("dashboard-test", 1)

    page = admin_client.get(dashboard_url("sessions")).content.decode()

    assert '<dd data-fact="sessions-active">1</dd>' in page
    assert "LocMemCache" in page
    assert "Not available" in page


def test_heartbeats_of_exited_workers_are_pruned():
    dashboard_workers.write_heartbeat()
    directory = dashboard_workers.workers_dir()
    gone = directory / f"{dashboard_workers.HOST}-{2 ** 22 + 17}.json"
    elsewhere = directory / "other-host-123.json"
    gone.write_text("{}")
    elsewhere.write_text("{}")

    dashboard_workers.prune_heartbeats()

    assert not gone.exists()
    assert elsewhere.exists()  # another host's worker may be alive: only age removes it
    assert (directory / f"{dashboard_workers.HOST}-{os.getpid()}.json").exists()
