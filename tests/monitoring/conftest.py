"""Fixtures for tests/monitoring; the helpers themselves are in monitoring_helpers.py."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The TCP proxy the end-to-end proof cuts to take the database away, shared with tests/faults.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "integration"))

from monitoring_helpers import MONITORING, load_module


@pytest.fixture(scope="session")
def run_local():
    return load_module("monitoring_run_local", MONITORING / "run_local.py")


@pytest.fixture(scope="session")
def render_config():
    return load_module("alertmanager_render_config", MONITORING / "alertmanager" / "render_config.py")


@pytest.fixture
def prometheus_config(tmp_path, run_local):
    """Render prometheus.yml for a test: the app's exporter at 127.0.0.1:exporter_port,
    1 s scrapes and rule evaluations by default; returns the configuration's path."""

    def render(
        exporter_port,
        *,
        prometheus_port,
        alertmanager_port=None,
        scrape_interval="1s",
        evaluation_interval="1s",
        memory_limit_bytes=None,
    ) -> Path:
        return run_local.render_prometheus_config(
            tmp_path / "prometheus",
            exporter=f"127.0.0.1:{exporter_port}",
            alertmanager=f"127.0.0.1:{alertmanager_port}" if alertmanager_port else None,
            prometheus=f"127.0.0.1:{prometheus_port}",
            scrape_interval=scrape_interval,
            evaluation_interval=evaluation_interval,
            memory_limit_bytes=memory_limit_bytes,
        )

    return render


@pytest.fixture
def alertmanager_config(tmp_path, render_config):
    """The Alertmanager template rendered with example receivers; returns its path."""
    path = tmp_path / "alertmanager" / "alertmanager.yml"
    assert render_config.main(["--example", str(path)]) == 0
    return path
