"""Two app instances on different ports sharing one PostgreSQL database and one Redis:
live updates cross instances, conflicting saves are caught whichever instance they reach,
and one Prometheus scrapes both exporters for the dashboard.

Real processes throughout (`trading-strategy serve`, PostgreSQL, Redis, Prometheus); in CI
a missing one fails the test.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import live_stack
import pytest
import trader_session

MONITORING_TESTS = Path(__file__).resolve().parents[1] / "monitoring"
sys.path.insert(0, str(MONITORING_TESTS))

from monitoring_helpers import MONITORING, load_module, require_binary  # noqa: E402

OWNER = "several-instances@example.com"


@pytest.fixture(scope="module")
def instances(tmp_path_factory):
    live_stack.require_postgres()
    live_stack.require_redis()
    data = tmp_path_factory.mktemp("several-instances")
    with live_stack.postgres_database() as database:
        env = live_stack.server_env(data, live_stack.postgres_url(database), redis=live_stack.redis_url())
        # A migrates the new database; B then starts on a migrated one, as a second
        # instance behind a load balancer would.
        a = live_stack.Server(data / "a", env, workers=2, name="a")
        b = None
        try:
            b = live_stack.Server(data / "b", env, workers=1, name="b")
            ids = live_stack.create_users(
                a.env,
                [OWNER],
                documents=(
                    live_stack.strategy_document("Crossing one"),
                    live_stack.strategy_document("Crossing two"),
                ),
            )
            yield a, b, ids[OWNER], database
        finally:
            for server in (a, b):
                if server is not None:
                    server.stop()


def test_a_save_on_one_instance_shows_in_a_list_open_on_the_other_within_two_seconds(instances):
    a, b, (strategy_id, _), _ = instances
    on_a = trader_session.log_in(a.url, OWNER)
    on_b = trader_session.log_in(b.url, OWNER)
    stream = trader_session.EventStream(on_b, b.url)
    try:
        assert stream.next_event("ready", deadline=time.monotonic() + 10) is not None
        saved = trader_session.save_through_form(
            on_a, a.url, strategy_id, live_stack.strategy_document("Crossing one", entry="rsi_14 < 21")
        )
        assert saved.status_code == 302, saved.text[:500]
        message = stream.next_event(
            "strategy", deadline=time.monotonic() + 2, match=lambda data: data["strategy_id"] == strategy_id
        )
        assert message is not None, "no live update reached instance B within 2 s"
        assert message["event"] == "updated"
        assert message["by"] == OWNER
    finally:
        stream.close()


def test_conflicting_saves_through_the_two_instances_are_detected(instances):
    a, b, (_, strategy_id), _ = instances
    on_a = trader_session.log_in(a.url, OWNER)
    on_b = trader_session.log_in(b.url, OWNER)
    page_b = on_b.get(f"{b.url}/strategies/{strategy_id}/edit", timeout=30)
    seen_by_b = trader_session.lock_version_from(page_b.text)

    first = trader_session.save_through_form(
        on_a, a.url, strategy_id, live_stack.strategy_document("Crossing two", entry="rsi_14 < 22")
    )
    assert first.status_code == 302
    second = trader_session.save_through_form(
        on_b,
        b.url,
        strategy_id,
        live_stack.strategy_document("Crossing two", entry="rsi_14 < 23"),
        lock_version=seen_by_b,
    )
    assert second.status_code == 409
    assert 'id="conflict' in second.text

    # The API on either instance refuses a stale lock_version the same way.
    token = subprocess.run(
        [sys.executable, "-m", "trading_strategy.cli", "token", "create", "--email", OWNER],
        env=a.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    import requests

    api = requests.put(
        f"{a.url}/api/v1/strategies/{strategy_id}",
        timeout=30,
        headers={"Authorization": f"Bearer {token}"},
        json={
            "document": live_stack.strategy_document("Crossing two", entry="rsi_14 < 24"),
            "format": "yaml",
            "lock_version": seen_by_b,
        },
    )
    assert api.status_code == 409, api.text
    assert api.json()["code"] == "strategy.conflict"
    current = requests.get(
        f"{b.url}/api/v1/strategies/{strategy_id}", timeout=30, headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert current["lock_version"] == seen_by_b + 1
    assert "rsi_14 < 22" in current["document"]


def _prometheus_query(port: int, expr: str, at: float | None = None):
    query = {"query": expr}
    if at is not None:
        query["time"] = f"{at:.3f}"
    status, body = live_stack.http_get(
        f"http://127.0.0.1:{port}/api/v1/query?{urllib.parse.urlencode(query)}"
    )
    assert status == 200, body
    return json.loads(body)["data"]["result"]


def test_one_prometheus_scrapes_both_exporters_and_the_dashboard_adds_them_up(instances, tmp_path):
    a, b, _, _ = instances
    binary = require_binary("prometheus")
    run_local = load_module("monitoring_run_local", MONITORING / "run_local.py")
    port = live_stack.free_port()
    exporters = [f"127.0.0.1:{a.metrics_port}", f"127.0.0.1:{b.metrics_port}"]
    config = run_local.render_prometheus_config(
        tmp_path / "prometheus",
        exporter=exporters,
        alertmanager=None,
        prometheus=f"127.0.0.1:{port}",
        scrape_interval="1s",
        evaluation_interval="1s",
    )
    log = tmp_path / "prometheus.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={config}",
                f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        trader_session.log_in(a.url, OWNER)
        trader_session.log_in(b.url, OWNER)

        def both_up():
            result = _prometheus_query(port, 'up{job="trading-strategy"} == 1')
            return {sample["metric"]["instance"] for sample in result} == set(exporters)

        live_stack.wait_for(
            both_up, 60, "both exporters scraped and up", interval=0.5, processes=((process, log),)
        )

        # The dashboard's memory panel: the per-instance recording rule, summed.
        def per_instance_memory():
            result = _prometheus_query(port, "trading_strategy:process_resident_memory_bytes:sum")
            return result if {s["metric"]["instance"] for s in result} == set(exporters) else None

        first = live_stack.wait_for(
            per_instance_memory,
            60,
            "the memory rule has a series per instance",
            interval=0.5,
            processes=((process, log),),
        )
        at = float(first[0]["value"][0])  # one evaluation instant for both queries
        per_instance = _prometheus_query(port, "trading_strategy:process_resident_memory_bytes:sum", at)
        dashboard = _prometheus_query(port, "sum(trading_strategy:process_resident_memory_bytes:sum)", at)
        assert len(per_instance) == 2
        assert float(dashboard[0]["value"][1]) == pytest.approx(
            sum(float(sample["value"][1]) for sample in per_instance)
        )
        assert all(float(sample["value"][1]) > 10 * 2**20 for sample in per_instance)

        # The log-in panel's counter reaches Prometheus from both instances.
        def logins_by_instance():
            result = _prometheus_query(
                port,
                "sum by (instance) (trading_strategy_auth_attempts_total"
                '{job="trading-strategy", result="success"})',
            )
            counts = {s["metric"]["instance"]: float(s["value"][1]) for s in result}
            return counts if set(counts) == set(exporters) and min(counts.values()) >= 1 else None

        live_stack.wait_for(
            logins_by_instance,
            30,
            "successful log-ins counted on both instances",
            interval=0.5,
            processes=((process, log),),
        )
    finally:
        live_stack.stop(process)
