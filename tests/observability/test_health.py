"""/health and /health/ready as a load balancer, a monitor and an admin see them."""

import ipaddress
import threading
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connections
from django.db.migrations.recorder import MigrationRecorder

from trading_strategy import settings as settings_module
from trading_strategy.accounts.models import User
from trading_strategy.observability import health

PASSWORD = "correct horse battery"


@pytest.fixture
def admin(db):
    return User.objects.create_user("ops@example.com", PASSWORD, role=User.Role.ADMIN)


@pytest.fixture
def trader(db):
    return User.objects.create_user("trader@example.com", PASSWORD)


@pytest.fixture
def database_unreachable(monkeypatch):
    """Every new connection fails as an unreachable server does, on any engine. The
    checks open a fresh connection each time, so they fail; the test's own connection
    is already open."""

    def refuse(self, conn_params):
        raise OperationalError("connection refused: missing/directory")

    monkeypatch.setattr(type(connections["default"]), "get_new_connection", refuse)


def assert_no_internals(response):
    text = response.content.decode()
    assert "Traceback" not in text and 'File "' not in text
    assert "missing/directory" not in text


def test_health_answers_the_seed_shape(client, db):
    response = client.get("/health")

    assert response.status_code == 200
    body = response.json()
    assert body.keys() == {"status", "timestamp", "checks"}
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "memory": "ok"}
    assert body["timestamp"].endswith("Z") and "T" in body["timestamp"]


def test_ready_answers_ok_when_the_database_answers_and_is_migrated(client, db):
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok"}


@pytest.mark.parametrize("path", ["/health", "/health/ready", "/health/live"])
def test_health_answers_are_never_cached_and_only_read(client, db, path):
    assert "no-cache" in client.get(path)["Cache-Control"]
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_an_unreachable_database_fails_health_and_ready_but_not_live(client, db, database_unreachable):
    summary = client.get("/health")
    ready = client.get("/health/ready")
    live = client.get("/health/live")

    assert summary.status_code == 503
    assert summary.json()["status"] == "error"
    assert summary.json()["checks"] == {"database": "error", "memory": "ok"}
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "error"
    assert live.status_code == 200
    assert_no_internals(summary)
    assert_no_internals(ready)


def test_a_database_that_does_not_answer_in_time_fails_ready_on_time(client, db, settings, monkeypatch):
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 0.2
    release = threading.Event()

    def hangs(timeout, with_migrations):
        release.wait(5)
        return {"vendor": "sqlite", "pending_migrations": []}

    monkeypatch.setattr(health, "_database_round_trip", hangs)
    try:
        started = time.perf_counter()
        response = client.get("/health/ready")
        elapsed = time.perf_counter() - started
    finally:
        release.set()

    assert response.status_code == 503
    assert elapsed < 2
    assert response.json()["checks"] == {"database": "error", "migrations": "error"}


@pytest.mark.django_db(transaction=True)
def test_pending_migrations_make_ready_fail(client, monkeypatch):
    recorder = MigrationRecorder(connections["default"])
    latest = recorder.migration_qs.filter(app="strategies").order_by("-name").first()
    latest.delete()
    try:
        ready = client.get("/health/ready")
        summary = client.get("/health")
    finally:
        recorder.record_applied(latest.app, latest.name)

    assert ready.status_code == 503
    assert ready.json()["checks"] == {"database": "ok", "migrations": "error"}
    # /health is the seed's summary: database and memory only.
    assert summary.status_code == 200
    assert client.get("/health/ready").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_ready_notices_a_migration_unapplied_after_it_once_answered_ok(client):
    assert client.get("/health/ready").status_code == 200
    recorder = MigrationRecorder(connections["default"])
    latest = recorder.migration_qs.filter(app="strategies").order_by("-name").first()
    latest.delete()
    try:
        ready = client.get("/health/ready")
    finally:
        recorder.record_applied(latest.app, latest.name)

    assert ready.status_code == 503
    assert ready.json()["checks"]["migrations"] == "error"


def test_memory_over_the_limit_fails_health(client, db, settings):
    settings.MEMORY_LIMIT_BYTES = 1024

    response = client.get("/health")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "memory": "error"}
    assert client.get("/health/ready").status_code == 200


def test_resident_memory_is_measured():
    assert 1024 * 1024 < health.resident_memory_bytes() < 64 * 1024**3


@pytest.mark.parametrize("path", ["/health", "/health/ready"])
def test_anonymous_and_traders_get_no_details(client, trader, path):
    assert "details" not in client.get(path).json()
    client.force_login(trader)
    assert "details" not in client.get(path).json()


@pytest.mark.parametrize("path", ["/health", "/health/ready"])
def test_a_probe_from_the_details_network_gets_details_without_signing_in(client, db, settings, path):
    settings.HEALTH_DETAILS_NETWORKS = [
        ipaddress.ip_network("10.20.0.0/16"),
        ipaddress.ip_network("fd00::/8"),
    ]

    inside = client.get(path, REMOTE_ADDR="10.20.3.4").json()
    inside_v6 = client.get(path, REMOTE_ADDR="fd00::7").json()
    outside = client.get(path, REMOTE_ADDR="10.21.0.1").json()

    assert inside["details"]["database"]["status"] == "ok"
    assert "details" in inside_v6
    assert "details" not in outside


def test_the_details_networks_setting_reads_addresses_and_networks():
    assert settings_module._networks("") == []
    assert settings_module._networks(" 192.168.1.5, fd00::/8 ") == [
        ipaddress.ip_network("192.168.1.5/32"),
        ipaddress.ip_network("fd00::/8"),
    ]


@pytest.mark.parametrize("value", ["10.0.0.0/33", "not-a-network"])
def test_a_malformed_details_network_stops_start_up_with_its_name(value):
    with pytest.raises(ImproperlyConfigured, match="HEALTH_DETAILS_NETWORKS"):
        settings_module._networks(value)


def test_an_admin_gets_each_checks_detail_and_timing(client, admin, settings):
    settings.MEMORY_LIMIT_BYTES = 1024
    client.force_login(admin)

    details = client.get("/health").json()["details"]

    assert details["database"]["status"] == "ok"
    assert details["database"]["duration_ms"] >= 0
    assert details["database"]["vendor"] == connections["default"].vendor
    assert details["memory"]["status"] == "error"
    assert details["memory"]["limit_bytes"] == 1024
    assert details["memory"]["rss_bytes"] > 1024


def test_an_admin_sees_why_ready_fails_but_no_stack_trace(client, admin, database_unreachable):
    client.force_login(admin)

    response = client.get("/health/ready")

    assert response.status_code == 503
    details = response.json()["details"]
    assert details["database"]["status"] == "error"
    assert details["database"]["error"] == "OperationalError"
    assert_no_internals(response)
