"""`make monitoring` (monitoring/run_local.py): both engines start from the system binaries
with the repository's configuration, answer on the printed URLs, and stop on Ctrl-C."""

import json
import signal
import subprocess
import sys
import time
import urllib.request

from monitoring_helpers import MONITORING, free_port, require_binary


def get(url):
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status, response.read().decode()


def wait_ready(url, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            if get(url)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} not ready in {seconds} s")


def test_make_monitoring_starts_both_and_stops_on_ctrl_c(tmp_path):
    require_binary("prometheus")
    require_binary("prometheus-alertmanager")
    prometheus_port, alertmanager_port = free_port(), free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(MONITORING / "run_local.py"),
            "--exporter",
            f"127.0.0.1:{free_port()}",
            "--prometheus-port",
            str(prometheus_port),
            "--alertmanager-port",
            str(alertmanager_port),
            "--data",
            str(tmp_path / "monitoring"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"PATH": "/usr/bin:/bin", "MEMORY_LIMIT_BYTES": "3000000000"},
    )
    try:
        wait_ready(f"http://127.0.0.1:{prometheus_port}/-/ready", process)
        wait_ready(f"http://127.0.0.1:{alertmanager_port}/-/ready", process)
        _, body = get(f"http://127.0.0.1:{prometheus_port}/api/v1/rules")
        rules = {
            rule["name"]: rule for group in json.loads(body)["data"]["groups"] for rule in group["rules"]
        }
        assert "SlowSyntaxTest" in rules and "TargetDown" in rules
        limit = rules["trading_strategy:memory_limit_bytes"]["query"]
        assert float(limit.removeprefix("vector(").removesuffix(")")) == 3e9
        deadline = time.monotonic() + 15  # service discovery runs shortly after start
        while time.monotonic() < deadline:
            _, body = get(f"http://127.0.0.1:{prometheus_port}/api/v1/alertmanagers")
            if f"127.0.0.1:{alertmanager_port}" in body:
                break
            time.sleep(0.2)
        assert f"127.0.0.1:{alertmanager_port}" in body
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{prometheus_port}/" in output
    assert f"http://127.0.0.1:{alertmanager_port}/" in output
    assert "Prometheus and Alertmanager stopped." in output
    assert (tmp_path / "monitoring" / "prometheus" / "data").is_dir()
    for port in (prometheus_port, alertmanager_port):
        try:
            get(f"http://127.0.0.1:{port}/-/ready")
        except OSError:
            continue
        raise AssertionError(f"port {port} still answers after Ctrl-C")
