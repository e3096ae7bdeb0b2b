"""Shared helpers for the monitoring-as-code tests (conftest.py puts this folder on sys.path;
tests import from here: `from monitoring_helpers import ...`).

The engines are the real ones (Debian's prometheus and prometheus-alertmanager packages):
in CI (CI=true) a missing binary fails the test, locally it is a skip that says why.

For end-to-end tests with a running app: `prometheus_config(exporter_port, prometheus_port=...)`
renders monitoring/prometheus/prometheus.yml retargeted to 127.0.0.1 ports with a short
scrape and evaluation interval (the same code `make monitoring` uses), and `free_port()`
finds a port to bind.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
MONITORING = REPO / "monitoring"
RULES_DIR = MONITORING / "prometheus" / "rules"
PROMETHEUS_TESTS_DIR = MONITORING / "prometheus" / "tests"
RUNBOOKS_DIR = REPO / "docs" / "runbooks"
RUNBOOK_BASE = "https://github.com/trading-strategy/trading-strategy/blob/main/docs/runbooks/"

# DESIGN.md's metric table; trading_strategy/observability/metrics.py's CATALOG wins when
# it can be imported.
DESIGN_CATALOG = (
    ("trading_strategy_http_request_duration_seconds", "histogram"),
    ("trading_strategy_http_requests_in_flight", "gauge"),
    ("trading_strategy_strategy_operation_duration_seconds", "histogram"),
    ("trading_strategy_dsl_check_duration_seconds", "histogram"),
    ("trading_strategy_db_query_duration_seconds", "histogram"),
    ("trading_strategy_db_pool_connections", "gauge"),
    ("trading_strategy_db_pool_requests_waiting", "gauge"),
    ("trading_strategy_pubsub_messages_total", "counter"),
    ("trading_strategy_live_subscribers", "gauge"),
    ("trading_strategy_process_resident_memory_bytes", "gauge"),
    ("trading_strategy_event_loop_lag_seconds", "histogram"),
    ("trading_strategy_strategies", "gauge"),
    ("trading_strategy_auth_attempts_total", "counter"),
    ("trading_strategy_build_info", "gauge"),
)


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def catalog() -> list[tuple[str, str]]:
    try:
        from trading_strategy.observability.metrics import CATALOG
    except ImportError:
        return list(DESIGN_CATALOG)
    return [(name, kind) for name, kind, *_ in CATALOG]


def catalog_series() -> set[str]:
    """Every series name the exporter can expose (histograms as their three series)."""
    names = set()
    for name, kind in catalog():
        if kind == "histogram":
            names |= {f"{name}_bucket", f"{name}_count", f"{name}_sum"}
        else:
            names.add(name)
    return names


def rule_groups() -> list[dict]:
    groups = []
    for path in sorted(RULES_DIR.glob("*.yml")):
        groups += yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
    return groups


def alert_rules() -> list[dict]:
    return [rule for group in rule_groups() for rule in group["rules"] if "alert" in rule]


def recording_rules() -> list[dict]:
    return [rule for group in rule_groups() for rule in group["rules"] if "record" in rule]


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_OUR_NAME = re.compile(r"\btrading_strategy[a-zA-Z0-9_:]*")


def metric_names(expr: str) -> set[str]:
    """The trading_strategy* series and recording rules a PromQL expression reads."""
    return set(_OUR_NAME.findall(_STRING.sub('""', expr)))


def require_binary(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{name} is not installed; .ci/run installs Debian's prometheus and "
            "prometheus-alertmanager packages"
        )
    pytest.skip(f"{name} is not installed (apt-get install prometheus prometheus-alertmanager)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
