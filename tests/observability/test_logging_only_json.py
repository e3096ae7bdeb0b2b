"""With LOG_FORMAT=json, every line the server writes is JSON: its start (migrations), a
static file served under ASGI, a page, a password reset that has nowhere to send its
e-mail, and its stop. A plain line would break `jq` and every log shipper reading it."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

from trading_strategy.observability.exporter import MULTIPROC_ENV

STARTUP_TIMEOUT_SECONDS = 60
EMAIL = "reset-me@example.com"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _create_user(env: dict) -> None:
    subprocess.run(
        [sys.executable, "-m", "trading_strategy.cli", "createuser", "--email", EMAIL, "--password-stdin"],
        input="a long enough password 42\n",
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def _exercise(base: str) -> None:
    session = requests.Session()
    assert session.get(f"{base}/static/css/app.css", timeout=10).status_code == 200
    assert session.get(f"{base}/static/vendor/htmx.min.js", timeout=10).status_code == 200
    assert session.get(f"{base}/no/such/page", timeout=10).status_code == 404
    form = session.get(f"{base}/users/reset-password", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    reset = session.post(
        f"{base}/users/reset-password",
        data={"email": EMAIL, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/users/reset-password"},
        timeout=30,
    )
    assert reset.status_code == 200 and reset.url.endswith("/users/reset-password/sent")


def test_every_line_of_the_servers_output_is_json(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "LOG_LEVEL", "EMAIL_HOST", MULTIPROC_ENV}
    }
    env.update(
        TRADING_STRATEGY_DATA_DIR=str(tmp_path / "data"),
        DEBUG="false",
        SECRET_KEY="test-only-json-key",
        LOG_FORMAT="json",
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    command = [str(Path(sys.executable).with_name("trading-strategy")), "serve", "--port", str(port)]
    command += ["--metrics-port", "0"]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
            while True:
                assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
                try:
                    if requests.get(f"{base}/health/live", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.2)
            _create_user(env)
            _exercise(base)
        finally:
            server.terminate()
            server.wait(timeout=STARTUP_TIMEOUT_SECONDS)

    lines = log_path.read_text().splitlines()
    not_json = []
    for line in lines:
        try:
            json.loads(line)
        except ValueError:
            not_json.append(line)
    assert not not_json, "\n".join(not_json[:20])
    events = [json.loads(line)["event"] for line in lines]
    assert "database.migrated" in events and "email.not_sent" in events
