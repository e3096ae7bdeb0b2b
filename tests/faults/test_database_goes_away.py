"""The PostgreSQL database becomes unreachable while the server is in use, then returns.

The server reaches PostgreSQL through a TCP proxy the test controls; cutting it is what a
network partition or a database crash does to the app (every connection reset, new ones
refused). Saves run on a thread throughout.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import live_stack
import pytest
import requests
import trader_session

OWNER = "database-fault@example.com"


@pytest.fixture
def server_behind_a_proxy(tmp_path):
    live_stack.require_postgres()
    proxy = live_stack.TcpProxy(live_stack.POSTGRES_HOST, live_stack.POSTGRES_PORT)
    try:
        with live_stack.postgres_database("ts_fault") as database:
            env = live_stack.server_env(tmp_path, live_stack.postgres_url(database, port=proxy.port))
            server = live_stack.Server(tmp_path, env, workers=2)
            try:
                yield server, proxy, database
            finally:
                server.stop()
    finally:
        proxy.close()


def inconsistent_strategies(database: str) -> list[tuple]:
    """Strategies whose versions are not exactly 1..current_version (read directly, not
    through the proxy)."""
    return live_stack.psql(
        database,
        """
        SELECT s.id, s.current_version, count(v.id), max(v.number)
        FROM strategies_strategy s LEFT JOIN strategies_strategyversion v
          ON v.strategy_id = s.id
        GROUP BY s.id, s.current_version
        HAVING max(v.number) IS DISTINCT FROM s.current_version
            OR count(v.id) <> s.current_version""",
    )


def test_an_unreachable_database_turns_ready_to_503_answers_clear_errors_half_writes_nothing_and_service_resumes_by_itself(  # noqa: E501
    server_behind_a_proxy,
):
    server, proxy, database = server_behind_a_proxy
    ids = live_stack.create_users(
        server.env, [OWNER], documents=tuple(live_stack.strategy_document(f"Outage {n}") for n in range(3))
    )[OWNER]
    session = trader_session.log_in(server.url, OWNER)
    token = subprocess.run(
        [sys.executable, "-m", "trading_strategy.cli", "token", "create", "--email", OWNER],
        env=server.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    api = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{server.url}/health/ready", timeout=10).status_code == 200

    # A trader keeps saving (through the editor form) while the database goes away.
    stop = threading.Event()
    outcomes: list[int] = []

    def keep_saving():
        saver = trader_session.log_in(server.url, OWNER)
        n = 0
        while not stop.is_set():
            n += 1
            try:
                response = trader_session.save_through_form(
                    saver,
                    server.url,
                    ids[n % 3],
                    live_stack.strategy_document(f"Outage {n % 3}", entry=f"rsi_14 < {n % 50}"),
                )
                outcomes.append(response.status_code)
            except (requests.RequestException, AssertionError):
                outcomes.append(0)
            time.sleep(0.02)

    saver = threading.Thread(target=keep_saving, daemon=True)
    saver.start()
    live_stack.wait_for(lambda: outcomes.count(302) >= 5, 30, "saves before the outage")

    proxy.cut()
    try:
        ready = live_stack.wait_for(
            lambda: (r := requests.get(f"{server.url}/health/ready", timeout=10)).status_code == 503 and [r],
            10,
            "/health/ready answering 503",
        )
        assert ready[0].json()["checks"]["database"] == "error"
        assert requests.get(f"{server.url}/health/live", timeout=10).status_code == 200

        page = session.get(f"{server.url}/strategies", timeout=60)
        assert 500 <= page.status_code < 600
        assert 'id="error-page"' in page.text
        assert "Traceback" not in page.text and "psycopg" not in page.text

        answer = requests.get(f"{server.url}/api/v1/strategies", headers=api, timeout=60)
        assert answer.status_code == 503
        assert answer.json()["code"] == "service.unavailable"
        assert "Traceback" not in answer.text and "psycopg" not in answer.text

        failed_before = len(outcomes)
        live_stack.wait_for(
            lambda: len(outcomes) >= failed_before + 3, 60, "saves attempted during the outage"
        )
    finally:
        proxy.restore()

    live_stack.wait_for(
        lambda: requests.get(f"{server.url}/health/ready", timeout=10).status_code == 200,
        60,
        "/health/ready answering 200 again",
    )
    recovered = len(outcomes)
    live_stack.wait_for(lambda: outcomes[recovered:].count(302) >= 3, 60, "saves after the outage")
    stop.set()
    saver.join(30)

    assert any(status != 302 for status in outcomes), "no save failed: was the database cut?"
    assert inconsistent_strategies(database) == []
    # Whatever a failed save did, the ones that succeeded are all there.
    saved = live_stack.psql(database, "SELECT sum(current_version) FROM strategies_strategy")
    assert saved[0][0] >= 3 + outcomes.count(302)
    fresh = trader_session.save_through_form(
        session, server.url, ids[0], live_stack.strategy_document("Outage 0", entry="rsi_14 < 7")
    )
    assert fresh.status_code == 302
    # Each worker's pool reconnects on its own schedule (psycopg's back-off after failed
    # attempts), so the worker that did not answer /health/ready may need a few more
    # seconds: every worker must be back by itself within the minute.
    listing = live_stack.wait_for(
        lambda: (
            (r := requests.get(f"{server.url}/api/v1/strategies", headers=api, timeout=30)).status_code == 200
            and r
        ),
        60,
        "the API answering 200 again",
    )
    assert listing.status_code == 200
