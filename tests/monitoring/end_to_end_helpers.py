"""Helpers of test_end_to_end.py: a PostgreSQL database of its own, the real server, a real
Prometheus, a cookie-keeping HTTP client, and Prometheus's HTTP API.

Standard library (urllib) plus psycopg, which the app already needs for PostgreSQL.
"""

from __future__ import annotations

import http.cookiejar
import json
import math
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from tcp_proxy import TcpProxy

POSTGRES_ADMIN_URL = os.environ.get("MONITORING_E2E_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
PASSWORD = "a long enough password 42"


def _mandatory(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"the monitoring end-to-end test is mandatory in CI: {reason}")
    pytest.skip(reason)


# --- PostgreSQL ----------------------------------------------------------------------------


def _admin_connection():
    import psycopg

    parts = urllib.parse.urlsplit(POSTGRES_ADMIN_URL)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=parts.path.lstrip("/") or "postgres",
        autocommit=True,
        connect_timeout=3,
    )


@contextmanager
def fresh_postgres_database():
    """Create a database for this run and yield a DATABASE_URL that reaches it through a
    TCP proxy the test can cut (an outage, as the app sees one) and the proxy itself; drop
    the database afterwards."""
    try:
        admin = _admin_connection()
    except Exception as error:
        _mandatory(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error}")
    name = f"monitoring_e2e_{uuid.uuid4().hex[:12]}"
    parts = urllib.parse.urlsplit(POSTGRES_ADMIN_URL)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    user = parts.username or "postgres"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield (parts._replace(netloc=f"{user}@127.0.0.1:{proxy.port}", path=f"/{name}").geturl(), proxy)
        finally:
            proxy.close()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- processes -------------------------------------------------------------------------------


def start_app(
    tmp_path: Path, *, app_port: int, metrics_port: int, database_url: str, extra_env: dict[str, str]
) -> tuple[subprocess.Popen, dict, Path]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            # As from a shell: the command chooses its settings module itself.
            "DJANGO_SETTINGS_MODULE",
            "METRICS_HOST",
            "PROMETHEUS_MULTIPROC_DIR",
            "REDIS_URL",
            "TELEMETRY_ENABLED",
        }
    }
    env.update(
        TRADING_STRATEGY_DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=database_url,
        SECRET_KEY="monitoring-end-to-end-key",
        DEBUG="false",
        # Two workers share live events through Redis; serve refuses them without it.
        REDIS_URL="redis://127.0.0.1:6379/0",
        **extra_env,
    )
    log_path = tmp_path / "serve.log"
    log = open(log_path, "wb")  # noqa: SIM115 (open while the server runs)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trading_strategy.cli",
            "serve",
            "--workers",
            "2",
            "--port",
            str(app_port),
            "--metrics-port",
            str(metrics_port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return process, env, log_path


def cli(env: dict, *args: str, stdin: str = "") -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "trading_strategy.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def start_prometheus(binary: str, config: Path, port: int, tmp_path: Path):
    log_path = tmp_path / "prometheus.log"
    log = open(log_path, "wb")  # noqa: SIM115 (open while Prometheus runs)
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
            f"--web.external-url=http://127.0.0.1:{port}/",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return process, log_path


# --- HTTP ------------------------------------------------------------------------------------


class Client:
    """A browser-like client: cookies, the CSRF token, no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict | None = None,
        json_body=None,
        headers: dict | None = None,
        timeout: float = 15,
    ):
        data, headers = None, dict(headers or {})
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            return None, str(error).encode()

    def csrf_cookie(self) -> str:
        return next((cookie.value for cookie in self.cookies if cookie.name == "csrftoken"), "")

    def form_token(self, path: str) -> str:
        status, body = self.request("GET", path)
        assert status == 200, (path, status)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert found, f"no CSRF field on {path}"
        return found.group(1).decode()

    def log_in(self, email: str, password: str) -> int | None:
        token = self.form_token("/users/log-in")
        status, _ = self.request(
            "POST",
            "/users/log-in",
            form={"csrfmiddlewaretoken": token, "username": email, "password": password},
            headers={"Referer": self.base + "/users/log-in"},
        )
        return status

    def live(self, endpoint: str, document: str, fmt: str = "yaml"):
        return self.request(
            "POST",
            f"/strategies/live/{endpoint}",
            form={"document": document, "format": fmt},
            headers={"X-CSRFToken": self.csrf_cookie(), "Referer": self.base + "/strategies/new"},
        )


class Api:
    def __init__(self, base: str, token: str):
        self.client = Client(base)
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body=None):
        status, raw = self.client.request(method, "/api/v1" + path, json_body=body, headers=self.headers)
        try:
            return status, json.loads(raw or b"null")
        except ValueError:
            return status, None


# --- Prometheus's HTTP API -----------------------------------------------------------------------


class PrometheusApi:
    def __init__(self, base: str):
        self.base = base

    def get(self, path: str, **params) -> dict | None:
        url = f"{self.base}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = json.loads(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            return None
        return body["data"] if body.get("status") == "success" else None

    def query(self, expr: str) -> list[dict]:
        data = self.get("/api/v1/query", query=expr)
        return data["result"] if data else []

    def has_number(self, expr: str) -> bool:
        """At least one series whose current value is a number (not NaN, not missing)."""
        return any(not math.isnan(float(series["value"][1])) for series in self.query(expr))

    def rule_groups(self) -> list[dict]:
        data = self.get("/api/v1/rules")
        return data["groups"] if data else []

    def alerts(self) -> list[dict]:
        data = self.get("/api/v1/alerts")
        return data["alerts"] if data else []

    def alert_state(self, name: str) -> str | None:
        states = [alert["state"] for alert in self.alerts() if alert["labels"].get("alertname") == name]
        return "firing" if "firing" in states else (states[0] if states else None)


# --- the dashboard ---------------------------------------------------------------------------------

GRAFANA_VARIABLES = {
    "$__rate_interval": "1m",
    "$__interval": "15s",
    "$__range": "5m",
    "${__rate_interval}": "1m",
    "${__interval}": "15s",
    "${__range}": "5m",
}


def dashboard_queries(path: Path) -> list[tuple[str, str]]:
    """(panel title, PromQL) for every target of every panel, Grafana variables replaced."""
    model = json.loads(path.read_text(encoding="utf-8"))
    variables = dict(GRAFANA_VARIABLES)
    for variable in model.get("templating", {}).get("list", []):
        # A template variable becomes a match-anything regex, as "All" would.
        for form in (f"${variable['name']}", f"${{{variable['name']}}}"):
            variables[form] = ".*"
    queries = []
    panels = list(model["panels"])
    while panels:
        panel = panels.pop(0)
        panels += panel.get("panels", [])  # collapsed rows hold their panels
        for target in panel.get("targets", []):
            expr = target["expr"]
            for name in sorted(variables, key=len, reverse=True):
                expr = expr.replace(name, variables[name])
            queries.append((panel["title"], expr))
    return queries
