"""Real servers for the integration, load and fault tests: `trading-strategy serve` on
PostgreSQL (a fresh database per run) and, when asked, Redis; a TCP proxy the tests can cut
to make either unreachable; users created in bulk. Signed-in HTTP sessions are in
trader_session.py beside it.

The conftest.py files of tests/integration, tests/load and tests/faults put this folder on
sys.path; tests import it as `live_stack`. tests/load/run_load.py imports it the same way.

PostgreSQL (127.0.0.1:5432, user postgres) and Redis (127.0.0.1:6379) are required in CI
(CI=true): missing, they fail the test; elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tcp_proxy import TcpProxy  # noqa: F401  (tests reach it as live_stack.TcpProxy)

# tests/, for the strategy document every folder shares; the load script imports this
# module outside pytest.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import documents

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password 42"
POSTGRES_HOST = os.environ.get("TEST_POSTGRES_HOST", "127.0.0.1")
POSTGRES_PORT = int(os.environ.get("TEST_POSTGRES_PORT", "5432"))
POSTGRES_USER = os.environ.get("TEST_POSTGRES_USER", "postgres")
REDIS_HOST = os.environ.get("TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("TEST_REDIS_PORT", "6379"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require(service: str, host: str, port: int) -> None:
    """Fail in CI, skip elsewhere (with the reason printed), when a service is missing."""
    if _reachable(host, port):
        return
    import pytest

    reason = f"{service} is not reachable at {host}:{port}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; it is mandatory in CI")
    pytest.skip(reason)


def require_postgres() -> None:
    require("PostgreSQL", POSTGRES_HOST, POSTGRES_PORT)


def require_redis() -> None:
    require("Redis", REDIS_HOST, REDIS_PORT)


def postgres_url(name: str, *, host: str = POSTGRES_HOST, port: int = POSTGRES_PORT) -> str:
    return f"postgres://{POSTGRES_USER}@{host}:{port}/{name}"


def redis_url(*, host: str = REDIS_HOST, port: int = REDIS_PORT) -> str:
    return f"redis://{host}:{port}/0"


@contextlib.contextmanager
def postgres_database(prefix: str = "ts_it"):
    """A fresh PostgreSQL database for one run, dropped afterwards; yields its name."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = {
        "host": POSTGRES_HOST,
        "port": POSTGRES_PORT,
        "user": POSTGRES_USER,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def psql(name: str, query: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(
        host=POSTGRES_HOST, port=POSTGRES_PORT, user=POSTGRES_USER, dbname=name, autocommit=True
    ) as connection:
        return connection.execute(query, params).fetchall()


def server_env(data_dir: Path, database_url: str, redis: str | None = None, **extra) -> dict:
    env = {
        **os.environ,
        "TRADING_STRATEGY_DATA_DIR": str(data_dir),
        "SECRET_KEY": "integration-secret-key-not-for-production",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        **extra,
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    # As from a shell: the command chooses its settings module itself (pytest set one).
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if redis:
        env["REDIS_URL"] = redis
    else:
        env.pop("REDIS_URL", None)
    return env


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {seconds} s")


def wait_for(predicate, seconds: float, what: str, *, interval: float = 0.2, processes: tuple = ()):
    """Poll until predicate() is truthy and return its value; fail naming `what`, or as
    soon as one of `processes` ((Popen, log path) pairs) has exited, with its log's end."""
    import pytest

    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        for process, log in processes:
            if process.poll() is not None:
                pytest.fail(
                    f"{what}: a process exited ({process.returncode}):\n"
                    f"{Path(log).read_text(errors='replace')[-4000:]}"
                )
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    pytest.fail(f"{what}: not within {seconds} s (last: {last!r})")


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL if the process has not exited within `timeout` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def http_get(url: str, timeout: float = 10) -> tuple[int, str]:
    import urllib.error

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Server:
    """`trading-strategy serve --workers N` on free ports, its log in data_dir/server.log."""

    def __init__(self, data_dir: Path, env: dict, *, workers: int = 1, name: str = "server"):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.workers = workers
        self.env = {**env, "TRADING_STRATEGY_DATA_DIR": str(self.data_dir)}
        if workers > 1:
            # Several workers share live events through Redis only; serve refuses without it.
            self.env.setdefault("REDIS_URL", redis_url())
        self.port = free_port()
        self.metrics_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.metrics_url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        self.log_path = self.data_dir / f"{name}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 (open while the server runs)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "trading_strategy.cli",
                "serve",
                "--port",
                str(self.port),
                "--metrics-port",
                str(self.metrics_port),
                "--workers",
                str(workers),
            ],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
        try:
            wait_until_up(f"{self.url}/health/live", self.process)
            wait_until_up(self.metrics_url, self.process)
        except Exception:
            self.stop()
            raise

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def metrics(self) -> str:
        status, body = http_get(self.metrics_url)
        assert status == 200, (status, body[:500])
        return body

    def resident_memory_bytes(self) -> int:
        """The exporter's trading_strategy_process_resident_memory_bytes, summed over the
        live workers."""
        return int(sum(metric_values(self.metrics(), "trading_strategy_process_resident_memory_bytes")))

    def log_text(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self):
        stop(self.process)
        self._log.close()


_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)")


def metric_values(exposition: str, name: str, **labels: str) -> list[float]:
    """The values of every sample named `name` whose labels include `labels`."""
    values = []
    for line in exposition.splitlines():
        match = _SAMPLE.match(line)
        if not match or match.group(1) != name:
            continue
        label_text = match.group(2) or ""
        if all(f'{key}="{value}"' in label_text for key, value in labels.items()):
            values.append(float(match.group(3)))
    return values


_SETUP_SCRIPT = r"""
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trading_strategy.settings")
django.setup()
from django.contrib.auth.hashers import make_password
from trading_strategy.accounts.models import User
from trading_strategy.strategies import lifecycle

spec = json.load(sys.stdin)
hashed = make_password(spec["password"])  # one Argon2 hash for all: seconds, not minutes
users = User.objects.bulk_create(
    [User(email=email, password=hashed, role="trader") for email in spec["emails"]])
ids = {}
for user in User.objects.filter(email__in=spec["emails"]):
    for document in spec["documents"]:
        strategy = lifecycle.create(user, document.replace("{email}", user.email), "yaml")
        ids.setdefault(user.email, []).append(strategy.pk)
print(json.dumps(ids))
"""


def create_users(
    env: dict, emails: list[str], *, documents: tuple[str, ...] = (), password: str = PASSWORD
) -> dict[str, list[int]]:
    """Create trader accounts (and, for each, one strategy per document; `{email}` in a
    document is replaced by the owner's address) in one Django process against env's
    DATABASE_URL (migrated already). Returns each e-mail's strategy ids."""
    import json

    completed = subprocess.run(
        [sys.executable, "-c", _SETUP_SCRIPT],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        input=json.dumps({"emails": emails, "password": password, "documents": list(documents)}),
    )
    if completed.returncode != 0:
        raise RuntimeError(f"creating users failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def strategy_document(name: str, *, entry: str = "rsi_14 < 30") -> str:
    """A valid YAML strategy, laid out as a person types it (tests/documents.py)."""
    return documents.strategy_document(name, entry=entry, block=True)
