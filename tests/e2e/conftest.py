"""Browser tests: a real server (gunicorn + uvicorn, as in production) on a free port, and
Debian's Chromium driven by Playwright.

In CI (CI=true) a missing Chromium fails the run; elsewhere these tests are skipped with
the reason printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The server helpers the integration, load and fault tests use too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "integration"))
from live_stack import free_port, stop, wait_until_up

from .. import documents

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "a long enough password 42"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"browser tests are mandatory in CI: {reason}")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(pytest.mark.skip(reason=reason))


class Server:
    def __init__(self, url: str, env: dict):
        self.url = url
        self.env = env

    def cli(self, *args: str, stdin: str = "") -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "trading_strategy.cli", *args],
            input=stdin,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return completed.stdout

    def create_user(self, email: str) -> str:
        self.cli("createuser", "--email", email, "--password-stdin", stdin=PASSWORD + "\n")
        return email


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("e2e-data")
    port = free_port()
    env = {
        **os.environ,
        "TRADING_STRATEGY_DATA_DIR": str(data),
        "SECRET_KEY": "e2e-secret-key-not-for-production",
        "DEBUG": "false",
        "METRICS_PORT": "0",
    }
    env.pop("DATABASE_URL", None)  # one server process per run: its own SQLite file
    log = open(data / "server.log", "w")  # noqa: SIM115 (the server writes to it until the fixture stops it)
    process = subprocess.Popen(
        [sys.executable, "-m", "trading_strategy.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health/live", process, seconds=60)
        yield Server(f"http://127.0.0.1:{port}", env)
    finally:
        stop(process)
        log.close()


# Per module, not per session: while Playwright's sync API runs, the main thread has a
# running event loop, and every later test that crosses sync and async code would fail.
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def no_policy_violations(browser, monkeypatch):
    """Fails a test whose pages broke the Content-Security-Policy (an inline script or
    style the browser refused), in every context the test opens."""
    refused = []
    open_context = browser.new_context

    def new_context(*args, **kwargs):
        context = open_context(*args, **kwargs)
        context.on(
            "console",
            lambda message: (
                refused.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return context

    monkeypatch.setattr(browser, "new_context", new_context)
    yield
    assert not refused, refused


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def screenshots() -> Path:
    path = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_in(page, server: Server, email: str):
    page.goto(f"{server.url}/users/log-in")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{server.url}/strategies*")


# --- helpers shared by the browser scenarios -------------------------------------------

_LABELS_USED: set[str] = set()


def unique_email(label: str) -> str:
    """A fresh account per test: the tests share one server (with a fresh database per run)
    and must not see each other. Stable addresses keep the screenshots stable."""
    assert label not in _LABELS_USED, f"e-mail label {label!r} is already used by a test"
    _LABELS_USED.add(label)
    return f"e2e-{label}@example.com"


def strategy_document(
    name: str, *, timeframe: str = "1h", entry: str = "rsi_14 < 30", exit: str = "rsi_14 > 70"
) -> str:
    """A valid YAML strategy (given the defaults), one key per line so lines are known:
    line 1 name, line 3 timeframe, line 9 entry, line 10 exit."""
    return documents.strategy_document(name, timeframe=timeframe, entry=entry, exit=exit, block=True)


def validation_seq(page) -> int:
    return int(page.get_attribute("#validation-state", "data-seq") or 0)


def wait_validated(page, after_seq: int, timeout: float = 1000):
    """Until the editor shows the answer to the latest text (a response newer than
    `after_seq`, and no request still pending)."""
    page.wait_for_function(
        "seq => { const s = document.getElementById('validation-state');"
        " return s.dataset.state === 'done' && Number(s.dataset.seq) > seq; }",
        arg=after_seq,
        timeout=timeout,
    )


def create_strategy(page, server: Server, document: str) -> int:
    """Save a new strategy through the editor; a valid one lands on its detail page."""
    import re

    page.goto(f"{server.url}/strategies/new")
    page.fill("#document", document)
    page.click("#save")
    page.wait_for_url(re.compile(r".*/strategies/\d+(/edit)?$"))
    return int(re.search(r"/strategies/(\d+)", page.url).group(1))
