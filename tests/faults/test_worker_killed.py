"""A worker is killed (SIGKILL) while traders are saving and creating strategies.

Traders on threads save through the editor form and create through the API, each with a
document nobody else writes; every change the server acknowledged must be in the
database afterwards, versions complete, and the exporter (in the gunicorn master) must
keep answering and counting while gunicorn replaces the worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import live_stack
import requests
import trader_session

TRADERS = 4


def _requests_counted(server) -> float:
    return sum(
        live_stack.metric_values(server.metrics(), "trading_strategy_http_request_duration_seconds_count")
    )


def test_killing_a_worker_under_load_loses_no_acknowledged_save_or_strategy_and_the_exporter_keeps_reporting(
    tmp_path,
):
    live_stack.require_postgres()
    with live_stack.postgres_database("ts_fault") as database:
        env = live_stack.server_env(tmp_path, live_stack.postgres_url(database))
        server = live_stack.Server(tmp_path, env, workers=2)
        try:
            emails = [f"worker-kill-{n}@example.com" for n in range(TRADERS)]
            ids = live_stack.create_users(
                server.env, emails, documents=(live_stack.strategy_document("Kept {email}"),)
            )
            acknowledged_saves: list[tuple[int, str]] = []
            acknowledged_creates: list[int] = []
            stop = threading.Event()

            def trade(n: int, email: str):
                strategy_id = ids[email][0]
                token = subprocess.run(
                    [sys.executable, "-m", "trading_strategy.cli", "token", "create", "--email", email],
                    env=server.env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.strip()
                session = trader_session.log_in(server.url, email)
                step = 0
                while not stop.is_set():
                    step += 1
                    entry = f"rsi_14 < {step % 90} and rsi_14 > {n}"
                    document = live_stack.strategy_document(f"Kept {email}", entry=entry)
                    try:
                        if step % 4:
                            response = trader_session.save_through_form(
                                session, server.url, strategy_id, document
                            )
                            if response.status_code == 302:
                                acknowledged_saves.append((strategy_id, entry))
                        else:
                            response = requests.post(
                                f"{server.url}/api/v1/strategies",
                                timeout=30,
                                headers={"Authorization": f"Bearer {token}"},
                                json={
                                    "document": live_stack.strategy_document(f"New {n} {step}"),
                                    "format": "yaml",
                                },
                            )
                            if response.status_code == 201:
                                acknowledged_creates.append(response.json()["id"])
                    except (requests.RequestException, AssertionError):
                        pass  # a request cut by the kill was never acknowledged

            threads = [
                threading.Thread(target=trade, args=(n, email), daemon=True) for n, email in enumerate(emails)
            ]
            for thread in threads:
                thread.start()
            live_stack.wait_for(lambda: len(acknowledged_saves) >= 20, 60, "saves before the kill")
            counted_before = _requests_counted(server)
            victims = server.worker_pids()
            assert len(victims) == 2
            os.kill(victims[0], signal.SIGKILL)
            live_stack.wait_for(
                lambda: len(set(server.worker_pids()) - set(victims)) >= 1, 30, "a replacement worker"
            )
            after_kill = len(acknowledged_saves)
            live_stack.wait_for(
                lambda: len(acknowledged_saves) >= after_kill + 20, 60, "saves after the kill"
            )
            stop.set()
            for thread in threads:
                thread.join(60)

            # The exporter answered throughout; the dead worker's counts stay counted.
            assert _requests_counted(server) >= counted_before
            live_stack.wait_for(
                lambda: (
                    len(
                        live_stack.metric_values(
                            server.metrics(), "trading_strategy_process_resident_memory_bytes"
                        )
                    )
                    == 2
                ),
                30,
                "memory reported for the two live workers",
            )
            assert server.process.poll() is None

            versions = set(
                live_stack.psql(
                    database,
                    """
                SELECT v.strategy_id, substring(v.document from 'entry_conditions: ([^\n]*)')
                FROM strategies_strategyversion v""",
                )
            )
            lost = [save for save in acknowledged_saves if save not in versions]
            assert lost == [], f"{len(lost)} acknowledged saves are missing"
            stored = {row[0] for row in live_stack.psql(database, "SELECT id FROM strategies_strategy")}
            assert set(acknowledged_creates) <= stored
            assert (
                live_stack.psql(
                    database,
                    """
                SELECT s.id FROM strategies_strategy s
                LEFT JOIN strategies_strategyversion v ON v.strategy_id = s.id
                GROUP BY s.id, s.current_version
                HAVING max(v.number) IS DISTINCT FROM s.current_version
                    OR count(v.id) <> s.current_version""",
                )
                == []
            )
        finally:
            server.stop()
