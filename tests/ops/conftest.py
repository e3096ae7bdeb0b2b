"""Fixtures for the dashboard's tests: an admin, a trader, a dashboard that starts empty, and
other workers of a multiprocess server, faked with the files a real one writes."""

import subprocess
import sys

import pytest
from prometheus_client.mmap_dict import MmapedDict, mmap_key

from trading_strategy.accounts.models import User
from trading_strategy.observability import exporter
from trading_strategy.ops import history, recent, rings
from trading_strategy.ops import urls as dashboard_urls


@pytest.fixture
def quiet_dashboard():
    """No poller runs in tests: each test samples when it wants to, from empty rings and an
    empty chart history."""
    recent.clear()
    history.history.clear()
    yield
    history.history.clear()


@pytest.fixture
def admin(db):
    return User.objects.create_user("admin@example.com", "correct horse battery", role="admin")


@pytest.fixture
def trader(db):
    return User.objects.create_user("trader@example.com", "correct horse battery")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def dashboard_url():
    """The path of a dashboard route by name, under either mount."""

    def url(name, prefix="admin/dashboard"):
        for pattern in dashboard_urls.routes(prefix):
            if pattern.name == name:
                return "/" + str(pattern.pattern)
        raise KeyError(name)

    return url


@pytest.fixture
def other_worker(tmp_path, monkeypatch):
    """`other_worker(pid, recent_requests=[...], **gauges)` writes what a worker of a multiprocess
    server leaves in PROMETHEUS_MULTIPROC_DIR: its per-worker gauges (name without the
    `trading_strategy_process_` prefix) and its ring of recent requests."""
    directory = tmp_path / "multiproc"
    directory.mkdir()
    monkeypatch.setenv(exporter.MULTIPROC_ENV, str(directory))

    def write(pid: int, recent_requests=(), **gauges):
        values = MmapedDict(str(directory / f"gauge_liveall_{pid}.db"))
        try:
            for name, value in gauges.items():
                metric = f"trading_strategy_process_{name}"
                values.write_value(mmap_key(metric, metric, [], [], ""), value, 0.0)
        finally:
            values.close()
        ring = rings.SharedRing(recent.RECENT_REQUESTS, exporter.process_file("requests", pid))
        for entry in recent_requests:
            ring.append(entry)
        return directory

    return write


@pytest.fixture
def live_pid():
    """`live_pid()`: the pid of a process that runs until the test ends."""
    children = []

    def start() -> int:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        children.append(child)
        return child.pid

    yield start
    for child in children:
        child.kill()
        child.wait()
