"""The real server with two workers: one exporter in the master sees every worker's counts.

Starts `trading-strategy serve --workers 2` the way an operator would, sends N requests
from several threads until both workers have served some, then scrapes the exporter.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families

STARTUP_TIMEOUT_SECONDS = 40
BATCH = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int | None, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, b""


def pids_with_samples(directory: Path, needle: str) -> set[int]:
    """Which worker pids wrote a histogram sample whose key contains `needle`."""
    pids = set()
    for path in directory.glob("histogram_*.db"):
        pid = int(path.stem.rsplit("_", 1)[1])
        for key, value, *_ in MmapedDict.read_all_values_from_file(str(path)):
            if needle in key and value > 0:
                pids.add(pid)
                break
    return pids


def start_server(tmp_path, workers: int):
    app_port, metrics_port = free_port(), free_port()
    multiproc = tmp_path / "multiproc"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "METRICS_HOST", "PROMETHEUS_MULTIPROC_DIR"}
    }
    env.update(
        TRADING_STRATEGY_DATA_DIR=str(tmp_path / "data"),
        DEBUG="false",
        SECRET_KEY="test-multiworker-key",
        PROMETHEUS_MULTIPROC_DIR=str(multiproc),
        # Several workers share live events through Redis; serve refuses them without it.
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    command = [
        str(Path(sys.executable).with_name("trading-strategy")),
        "serve",
        "--workers",
        str(workers),
        "--port",
        str(app_port),
        "--metrics-port",
        str(metrics_port),
    ]
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
            # Ready when both workers answer; the probe path matches no route, so it never
            # counts under the route the test measures.
            while time.monotonic() < deadline and process.poll() is None:
                if (
                    fetch(f"http://127.0.0.1:{app_port}/__probe")[0] == 404
                    and len(list(multiproc.glob("gauge_liveall_*.db"))) >= workers
                ):
                    break
                time.sleep(0.2)
            else:
                pytest.fail(f"server did not start:\n{log_path.read_text()}")
            yield app_port, metrics_port, multiproc, log_path, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def server(tmp_path):
    yield from start_server(tmp_path, 2)


@pytest.fixture
def one_worker(tmp_path):
    yield from start_server(tmp_path, 1)


def scrape(metrics_port: int) -> dict:
    status, body = fetch(f"http://127.0.0.1:{metrics_port}/metrics")
    assert status == 200
    return {family.name: family for family in text_string_to_metric_families(body.decode())}


def route_count(families: dict, route: str) -> float:
    return sum(
        sample.value
        for sample in families["trading_strategy_http_request_duration_seconds"].samples
        if sample.name.endswith("_count") and sample.labels.get("route") == route
    )


def memory_pids(families: dict) -> set[str]:
    return {
        sample.labels["pid"] for sample in families["trading_strategy_process_resident_memory_bytes"].samples
    }


def test_two_workers_one_exporter_exact_counts(server):
    from django.urls import resolve

    app_port, metrics_port, multiproc, log_path, _ = server
    route = resolve("/health/live").view_name
    url = f"http://127.0.0.1:{app_port}/health/live"
    sent = 0
    with ThreadPoolExecutor(max_workers=12) as pool:
        for _ in range(10):
            statuses = list(pool.map(lambda _: fetch(url)[0], range(BATCH)))
            assert statuses == [200] * BATCH
            sent += BATCH
            if len(pids_with_samples(multiproc, f'"{route}"')) >= 2:
                break
    assert len(pids_with_samples(multiproc, f'"{route}"')) == 2, (
        "both workers should have served some requests"
    )

    status, body = fetch(f"http://127.0.0.1:{metrics_port}/metrics")
    assert status == 200, log_path.read_text()
    families = {family.name: family for family in text_string_to_metric_families(body.decode())}

    counted = sum(
        sample.value
        for sample in families["trading_strategy_http_request_duration_seconds"].samples
        if sample.name.endswith("_count") and sample.labels.get("route") == route
    )
    assert counted == sent

    memory = families["trading_strategy_process_resident_memory_bytes"].samples
    assert len({sample.labels["pid"] for sample in memory}) == 2
    assert all(sample.value > 10_000_000 for sample in memory)
    assert "trading_strategy_build_info" in families

    # Only on the loopback interface: the exporter is not reachable on another address.
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {
        "127.0.0.1"
    }
    for address in addresses:
        with socket.socket() as probe:
            probe.settimeout(1)
            assert probe.connect_ex((address, metrics_port)) != 0


def test_one_worker_works_the_same(one_worker):
    app_port, metrics_port, _, _, _ = one_worker
    for _ in range(25):
        assert fetch(f"http://127.0.0.1:{app_port}/health/live")[0] == 200
    families = scrape(metrics_port)
    assert route_count(families, "health-live") == 25
    assert len(memory_pids(families)) == 1


def test_a_killed_worker_keeps_its_counts_and_loses_its_live_gauges(server):
    app_port, metrics_port, multiproc, _, _ = server
    url = f"http://127.0.0.1:{app_port}/health/live"
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(lambda _: fetch(url)[0], range(BATCH))) == {200}
    before = scrape(metrics_port)
    victim = int(sorted(memory_pids(before))[0])
    os.kill(victim, signal.SIGKILL)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = {int(path.stem.rsplit("_", 1)[1]) for path in multiproc.glob("gauge_liveall_*.db")}
        if victim not in pids and len(pids) == 2:
            break
        time.sleep(0.2)
    after = scrape(metrics_port)
    assert str(victim) not in memory_pids(after)
    assert route_count(after, "health-live") == route_count(before, "health-live") == BATCH


def test_port_zero_turns_the_exporter_off():
    from trading_strategy.observability import exporter

    assert exporter.start(listen_port=0) is None
