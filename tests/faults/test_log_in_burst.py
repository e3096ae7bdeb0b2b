"""A burst of log-ins against a small database connection pool.

Each log-in waits for its Argon2 hash on a low-priority thread. A log-in that kept its
pooled connection while it waits would drain the pool, and the requests after it would
fail with PoolTimeout (a 500) once DB_POOL_TIMEOUT passes.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import live_stack
import requests
import trader_session

LOG_INS = 12


def _log_in(base_url: str, email: str) -> int:
    session = requests.Session()
    page = session.get(f"{base_url}/users/log-in", timeout=30)
    response = session.post(
        f"{base_url}/users/log-in",
        timeout=30,
        allow_redirects=False,
        data={
            "username": email,
            "password": live_stack.PASSWORD,
            "csrfmiddlewaretoken": trader_session.csrf_from(page.text),
        },
        headers={"Referer": f"{base_url}/users/log-in"},
    )
    if response.status_code != 302:
        return response.status_code
    return session.get(f"{base_url}/strategies", timeout=30).status_code


def test_a_burst_of_log_ins_does_not_drain_a_pool_of_two_connections(tmp_path):
    live_stack.require_postgres()
    with live_stack.postgres_database("ts_fault") as database:
        env = live_stack.server_env(
            tmp_path,
            live_stack.postgres_url(database),
            DB_POOL_MIN_SIZE="1",
            DB_POOL_MAX_SIZE="2",
            DB_POOL_TIMEOUT="1",
        )
        server = live_stack.Server(tmp_path, env, workers=1)
        try:
            emails = [f"burst-{n}@example.com" for n in range(LOG_INS)]
            live_stack.create_users(server.env, emails)
            with ThreadPoolExecutor(LOG_INS) as pool:
                statuses = list(pool.map(lambda email: _log_in(server.url, email), emails))
            log = server.log_text()
        finally:
            server.stop()

    assert statuses == [200] * LOG_INS, log[-3000:]
    assert "PoolTimeout" not in log
