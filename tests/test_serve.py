"""Start the real server the way an operator would and wait for it to answer."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

STARTUP_TIMEOUT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@contextlib.contextmanager
def served(tmp_path: Path, env: dict[str, str], port: int, ready_url: str):
    """`trading-strategy serve --port port`, yielded once `ready_url` answers 200 and
    stopped (SIGTERM) when the block ends."""
    # The console script sits beside the interpreter running the tests, in the same venv.
    command = [str(Path(sys.executable).with_name("trading-strategy")), "serve", "--port", str(port)]
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
            status = None
            while status != 200 and server.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
                status = get_status(ready_url)
            assert status == 200, f"{ready_url} did not answer in time:\n{log_path.read_text()}"
            yield server
        finally:
            server.terminate()
            try:
                server.wait(timeout=STARTUP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                server.kill()
                raise


def test_serve_migrates_answers_and_keeps_an_idle_connection_open(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(TRADING_STRATEGY_DATA_DIR=str(tmp_path / "data"), DEBUG="false", SECRET_KEY="test-serve-key")

    with served(tmp_path, env, port, f"http://127.0.0.1:{port}/health/live") as server:
        assert_idle_connection_stays_open(port)

    assert server.returncode == 0, (tmp_path / "serve.log").read_text()
    assert (tmp_path / "data" / "db.sqlite3").exists(), "migrate should create the SQLite database"


def assert_idle_connection_stays_open(port: int, pause: float = 3.0):
    """A person pauses for seconds between requests; their browser's keep-alive connection
    must still be open afterwards, or the next request races the server closing it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        for _ in range(2):
            connection.request("GET", "/health/live")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            assert response.getheader("Connection", "").lower() != "close"
            time.sleep(pause)
    finally:
        connection.close()


def test_without_metrics_port_serve_takes_the_exporters_port_from_metrics_port(tmp_path):
    port, metrics_port = free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "METRICS_HOST", "PROMETHEUS_MULTIPROC_DIR"}
    }
    env.update(
        TRADING_STRATEGY_DATA_DIR=str(tmp_path / "data"),
        SECRET_KEY="test-serve-key",
        METRICS_PORT=str(metrics_port),
    )
    # Served means the exporter answered on METRICS_PORT.
    with served(tmp_path, env, port, f"http://127.0.0.1:{metrics_port}/metrics"):
        pass
