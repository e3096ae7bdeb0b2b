"""The logs of the real server: gunicorn with a uvicorn worker, as `trading-strategy serve`
runs it, writing to a file the way a supervisor would collect them."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

STARTUP_TIMEOUT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers  # names match in any case
    except urllib.error.HTTPError as error:
        return error.code, error.headers
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, {}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Requests against a running server, then its whole log once it has stopped."""
    directory = tmp_path_factory.mktemp("served")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "LOG_FORMAT", "LOG_LEVEL", "PROMETHEUS_MULTIPROC_DIR"}
    }
    env.update(
        TRADING_STRATEGY_DATA_DIR=str(directory / "data"), DEBUG="false", SECRET_KEY="test-served-logs-key"
    )
    command = [
        str(Path(sys.executable).with_name("trading-strategy")),
        "serve",
        "--port",
        str(port),
        "--metrics-port",
        "0",
    ]
    log_path = directory / "serve.log"
    base = f"http://127.0.0.1:{port}"
    answers = {}
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
            while fetch(f"{base}/health/live")[0] != 200:
                assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
            answers["missing"] = fetch(f"{base}/no/such/page", {"X-Request-ID": "served-404"})
            answers["ready"] = fetch(f"{base}/health/ready", {"X-Request-ID": "served-ready"})
            answers["events"] = fetch(f"{base}/strategies/events", {"X-Request-ID": "bad id with spaces"})
        finally:
            server.terminate()
            try:
                server.wait(timeout=STARTUP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                server.kill()
                raise
    lines = []
    for text in log_path.read_text().splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return answers, lines, log_path.read_text()


def test_the_worker_writes_json_lines_with_the_request_context(served):
    answers, lines, _ = served
    status, headers = answers["missing"]

    assert status == 404 and headers["X-Request-ID"] == "served-404"
    mine = [line for line in lines if line.get("request_id") == "served-404"]
    assert {line["logger"] for line in mine} == {"trading_strategy.request", "django.request"}
    assert all(line["route"] == "unmatched" for line in mine)


def test_an_insane_request_id_is_replaced_by_the_server(served):
    answers, lines, text = served
    status, headers = answers["events"]

    assert status == 401
    replaced = headers["X-Request-ID"]
    assert replaced != "bad id with spaces" and "bad id with spaces" not in text
    finished = [
        line for line in lines if line.get("request_id") == replaced and line["event"] == "request.finished"
    ]
    assert finished and finished[0]["route"] == "strategies:events"


def test_the_servers_own_lines_are_json_too(served):
    answers, lines, _ = served

    assert answers["ready"][0] == 200
    loggers = {line["logger"] for line in lines}
    assert {"uvicorn.error", "gunicorn.error"} <= loggers
    # The master's lines too, written before any worker has set Django up.
    assert any(line["event"].startswith("Booting worker") for line in lines)
    assert all({"timestamp", "level", "event", "pid"} <= line.keys() for line in lines)
