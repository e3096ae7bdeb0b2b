"""The dashboard's pages show real, escaped data: workers, requests, strategies, sessions."""

import json
import os
import platform
import re
import time

import django
import pytest
from django.db import connection

from trading_strategy.observability import exporter
from trading_strategy.ops import recent, workers
from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.errors import LifecycleError
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
    if connection.settings_dict.get("OPTIONS", {}).get("pool"):
        assert re.search(r'data-fact="db-pool">\s*\d+ open, \d+ idle, max \d+, \d+ waiting', page)
    else:
        assert "no pool: one connection per thread" in page
    assert 'hx-trigger="every 5s"' in page


def test_home_lists_other_live_workers_from_the_metric_registry(
    admin_client, dashboard_url, other_worker, live_pid
):
    alive, gone, exited = live_pid(), 2**22 + 17, live_pid()
    for pid in (alive, gone, exited):
        other_worker(
            pid, requests=4242, resident_memory_bytes=50 * 2**20, start_time_seconds=time.time() - 3600
        )
    exporter.mark_process_dead(exited)

    page = admin_client.get(dashboard_url("home-live")).content.decode()

    assert f'data-pid="{os.getpid()}"' in page
    assert f'data-pid="{alive}"' in page
    assert f'data-pid="{gone}"' not in page  # no such process on this host
    assert f'data-pid="{exited}"' not in page  # the master dropped its series at its exit
    row = page.split(f'data-pid="{alive}"')[1].split("</tr>")[0]
    assert ">4242<" in row and "50.0\xa0MB" in row and "1 h" in row


def test_requests_page_lists_a_request_just_made(admin_client, admin, dashboard_url):
    admin_client.get("/strategies")
    admin_client.get("/no/such/page")

    response = admin_client.get(dashboard_url("requests"))

    rows = response.content.decode()
    assert "strategies:list" in rows and ">200<" in rows
    assert "unmatched" in rows and ">404<" in rows
    assert f"<td>{admin.pk}</td>" in rows
    entry = recent.recent_requests()[0]
    assert entry["route"] == "unmatched" and entry["status"] == 404


def test_requests_page_filters_by_status_class(admin_client, dashboard_url):
    admin_client.get("/strategies")
    admin_client.get("/no/such/page")

    page = admin_client.get(dashboard_url("requests-live"), {"status": "4xx"}).content.decode()

    assert "unmatched" in page
    assert "strategies:list" not in page


def test_requests_show_the_request_id_or_a_dash(admin_client, dashboard_url):
    admin_client.get("/strategies")
    entry = recent.recent_requests()[0]
    page = admin_client.get(dashboard_url("requests-live")).content.decode()
    if entry["request_id"]:
        assert entry["request_id"] in page
    else:
        assert "<code>—</code>" in page


def test_dashboard_requests_are_counted_but_not_listed(admin_client, dashboard_url):
    before = workers.current()["requests_served"]
    admin_client.get(dashboard_url("home"))
    assert workers.current()["requests_served"] == before + 1
    assert recent.recent_requests() == []


def test_requests_from_other_workers_are_merged(admin_client, dashboard_url, other_worker):
    other = os.getppid()
    other_worker(
        other,
        recent_requests=[
            {
                "at": time.time(),
                "request_id": "abc123",
                "method": "GET",
                "route": "strategies:detail",
                "status": 503,
                "duration": 0.2,
                "user_id": 7,
                "pid": other,
            }
        ],
    )

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
    hostile = "<img src=x onerror=alert(1)>"
    lifecycle.create(trader, strategy_document(json.dumps(hostile)), "yaml")
    assert Strategy.objects.get().name == hostile

    page = admin_client.get(dashboard_url("strategies")).content.decode()

    assert hostile not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_strategies_page_lists_operation_outcomes_from_telemetry(admin_client, trader, dashboard_url):
    strategy = lifecycle.create(trader, strategy_document("Watched <b>"), "yaml")
    with pytest.raises(LifecycleError):
        lifecycle.deactivate(trader, strategy)  # a draft cannot be deactivated

    page = admin_client.get(dashboard_url("strategies-live")).content.decode()

    operations = recent.recent_operations()
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
    assert "SharedFileCache" in page
    assert 'data-fact="cache-entries">1</td>' in page
    assert "Not available" in page


def test_the_files_of_an_exited_worker_go_with_its_live_gauges(other_worker):
    gone, alive = 2**22 + 17, os.getppid()
    directory = other_worker(gone, recent_requests=[{"at": 1.0}], open_fds=9)
    other_worker(alive, recent_requests=[{"at": 2.0}], open_fds=9)

    exporter.mark_process_dead(gone)

    assert not list(directory.glob(f"*_{gone}.*"))
    assert exporter.process_files("requests") == {
        alive: directory / f"requests_{alive}{exporter.PROCESS_FILE_SUFFIX}"
    }
    assert (directory / f"gauge_liveall_{alive}.db").exists()


def test_home_warns_that_e_mails_cannot_be_sent_without_smtp(admin_client, dashboard_url, settings):
    settings.EMAIL_BACKEND = "trading_strategy.accounts.email_backends.UnsentEmailBackend"
    warned = admin_client.get(dashboard_url("home")).content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    configured = admin_client.get(dashboard_url("home")).content.decode()

    assert 'data-fact="email-unsent"' in warned
    assert 'data-fact="email-unsent"' not in configured
