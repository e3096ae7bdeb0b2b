"""Redis (the cross-process event bus) goes away while pages are open, then returns.

The server reaches Redis through a TCP proxy the test controls. Live updates stop
gracefully (the stream ends; the list page says "reconnecting"), saves keep working, a
metric counts the broken bus, and live updates resume by themselves when Redis is back.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import live_stack
import pytest
import trader_session

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def server_with_redis_behind_a_proxy(tmp_path):
    live_stack.require_postgres()
    live_stack.require_redis()
    proxy = live_stack.TcpProxy(live_stack.REDIS_HOST, live_stack.REDIS_PORT)
    try:
        with live_stack.postgres_database("ts_fault") as database:
            env = live_stack.server_env(
                tmp_path,
                live_stack.postgres_url(database),
                redis=live_stack.redis_url(host="127.0.0.1", port=proxy.port),
            )
            server = live_stack.Server(tmp_path, env, workers=2)
            try:
                yield server, proxy
            finally:
                server.stop()
    finally:
        proxy.close()


def _errors(server, operation: str) -> float:
    return sum(
        live_stack.metric_values(
            server.metrics(), "trading_strategy_pubsub_errors_total", operation=operation
        )
    )


def _open_until_ready(session, url: str, seconds: float) -> trader_session.EventStream:
    """Reconnect as EventSource does until a stream says `ready`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        stream = trader_session.EventStream(session, url)
        if stream.next_event("ready", deadline=min(deadline, time.monotonic() + 5)) is not None:
            return stream
        stream.close()
        time.sleep(0.5)
    pytest.fail(f"no live-update stream became ready within {seconds} s")


def test_without_redis_live_updates_stop_gracefully_saves_still_work_a_metric_counts_it_and_updates_resume(
    server_with_redis_behind_a_proxy,
):
    server, proxy = server_with_redis_behind_a_proxy
    owner = "redis-fault@example.com"
    (strategy_id,) = live_stack.create_users(
        server.env, [owner], documents=(live_stack.strategy_document("Bus one"),)
    )[owner]
    session = trader_session.log_in(server.url, owner)
    stream = _open_until_ready(session, server.url, 10)

    proxy.cut()
    # The open stream ends instead of staying silently deaf; its client will reconnect.
    assert stream.ended.wait(10), "the stream stayed open on a dead subscription"
    saved = trader_session.save_through_form(
        session, server.url, strategy_id, live_stack.strategy_document("Bus one", entry="rsi_14 < 11")
    )
    assert saved.status_code == 302, saved.text[:500]
    editor = session.get(f"{server.url}/strategies/{strategy_id}/edit", timeout=30)
    assert trader_session.lock_version_from(editor.text) == 2
    # A stream opened meanwhile answers (200, a retry delay) and ends without `ready`.
    meanwhile = trader_session.EventStream(session, server.url)
    assert meanwhile.ended.wait(10)
    assert meanwhile.next_event("ready", deadline=time.monotonic() + 0.1) is None
    assert _errors(server, "publish") >= 1
    assert _errors(server, "subscribe") >= 2
    assert "Traceback" not in server.log_text()

    proxy.restore()
    stream = _open_until_ready(session, server.url, 30)
    try:
        saved = trader_session.save_through_form(
            session, server.url, strategy_id, live_stack.strategy_document("Bus one", entry="rsi_14 < 12")
        )
        assert saved.status_code == 302
        message = stream.next_event(
            "strategy", deadline=time.monotonic() + 2, match=lambda data: data["strategy_id"] == strategy_id
        )
        assert message is not None and message["lock_version"] == 3
    finally:
        stream.close()


def test_the_list_page_says_reconnecting_while_redis_is_away_and_refreshes_again_once_it_returns(
    server_with_redis_behind_a_proxy,
):
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser checks are mandatory in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    server, proxy = server_with_redis_behind_a_proxy
    owner = "redis-fault-page@example.com"
    (strategy_id,) = live_stack.create_users(
        server.env, [owner], documents=(live_stack.strategy_document("Bus page"),)
    )[owner]
    session = trader_session.log_in(server.url, owner)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{server.url}/users/log-in")
            page.fill("input[name=username]", owner)
            page.fill("input[name=password]", live_stack.PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{server.url}/strategies*")
            page.wait_for_selector("#strategy-index[data-live=on]", timeout=10_000)

            proxy.cut()
            page.wait_for_selector("#strategy-index[data-live=reconnecting]", timeout=10_000)
            saved = trader_session.save_through_form(
                session,
                server.url,
                strategy_id,
                live_stack.strategy_document("Bus page renamed", entry="rsi_14 < 13"),
            )
            assert saved.status_code == 302

            proxy.restore()
            page.wait_for_selector("#strategy-index[data-live=on]", timeout=30_000)
            saved = trader_session.save_through_form(
                session,
                server.url,
                strategy_id,
                live_stack.strategy_document("Bus page back", entry="rsi_14 < 14"),
            )
            assert saved.status_code == 302
            # The table reloads on the event, without the page being reloaded.
            page.wait_for_selector("#strategy-table >> text=Bus page back", timeout=5_000)
        finally:
            browser.close()
