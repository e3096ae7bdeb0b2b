"""Rate limits hold across processes: every worker counts into the same budget, in the
file cache of the data directory or in Redis, and concurrent counts are not lost."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys

import live_stack
import pytest
import requests

ATTEMPTS_EACH = 120
LIMIT = 150

# One process's share of the attempts; it prints how many its budget allowed. The window
# is decades long, so the attempts cannot straddle two windows.
_SPENDER = r"""
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trading_strategy.settings")
django.setup()
from trading_strategy.budgets import spend
who, limit, attempts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.stdin.readline()  # start together
print(sum(spend("test", who, limit, window_seconds=10**9) is None for _ in range(attempts)))
"""


def _allowed_together(env: dict) -> int:
    who = secrets.token_hex(8)
    spenders = [
        subprocess.Popen(
            [sys.executable, "-c", _SPENDER, who, str(LIMIT), str(ATTEMPTS_EACH)],
            env=env,
            cwd=live_stack.REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for spender in spenders:
        spender.stdin.write("go\n")
        spender.stdin.flush()
    outputs = [spender.communicate(timeout=120)[0] for spender in spenders]
    assert all(spender.returncode == 0 for spender in spenders), outputs
    return sum(int(output.strip().splitlines()[-1]) for output in outputs)


def test_two_processes_count_into_one_budget_in_the_data_directory(tmp_path):
    env = live_stack.server_env(tmp_path, f"sqlite:///{tmp_path}/db.sqlite3")

    assert _allowed_together(env) == LIMIT


def test_two_processes_count_into_one_budget_in_redis(tmp_path):
    live_stack.require_redis()
    env = live_stack.server_env(tmp_path, f"sqlite:///{tmp_path}/db.sqlite3", redis=live_stack.redis_url())

    assert _allowed_together(env) == LIMIT


def _token(env: dict, email: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "trading_strategy.cli", "token", "create", "--email", email],
        env=env,
        cwd=live_stack.REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip().splitlines()[-1]


def test_two_workers_hold_the_api_validation_rate_together(tmp_path):
    live_stack.require_postgres()
    live_stack.require_redis()
    with live_stack.postgres_database("ts_budget") as database:
        env = live_stack.server_env(
            tmp_path, live_stack.postgres_url(database), redis=live_stack.redis_url(), API_VALIDATE_RATE="10"
        )
        server = live_stack.Server(tmp_path, env, workers=2)
        try:
            live_stack.create_users(server.env, ["budget@example.com"])
            token = _token(server.env, "budget@example.com")
            body = json.dumps({"document": live_stack.strategy_document("Budget"), "format": "yaml"})
            statuses = [
                # A new connection each time, so that both workers take their share.
                requests.post(
                    f"{server.url}/api/v1/strategies/validate",
                    data=body,
                    headers={"Authorization": f"Bearer {token}", "Connection": "close"},
                    timeout=30,
                ).status_code
                for _ in range(40)
            ]
            log = server.log_text()
        finally:
            server.stop()

    assert statuses.count(200) == 10, log[-3000:]
    assert set(statuses) == {200, 429}


@pytest.fixture(autouse=True)
def _no_leftover_redis_url(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
