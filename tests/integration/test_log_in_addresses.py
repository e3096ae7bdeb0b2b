"""Against a real `serve`: a stranger guessing from 127.0.0.2 locks the
account out from 127.0.0.2 only; its owner on 127.0.0.1 still logs in."""

from __future__ import annotations

import live_stack
import requests
import trader_session
from requests.adapters import HTTPAdapter

OWNER = "owner@example.com"


class FromAddress(HTTPAdapter):
    """Connections from a chosen loopback address (Linux routes all of 127/8 to lo)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _log_in(session: requests.Session, base_url: str, password: str) -> int:
    page = session.get(f"{base_url}/users/log-in", timeout=30)
    return session.post(
        f"{base_url}/users/log-in",
        data={
            "username": OWNER,
            "password": password,
            "csrfmiddlewaretoken": trader_session.csrf_from(page.text),
        },
        headers={"Referer": f"{base_url}/users/log-in"},
        allow_redirects=False,
        timeout=30,
    ).status_code


def test_a_stranger_elsewhere_cannot_lock_the_owner_out(tmp_path):
    env = live_stack.server_env(tmp_path, f"sqlite:///{tmp_path}/db.sqlite3", AXES_FAILURE_LIMIT="3")
    server = live_stack.Server(tmp_path, env, workers=1)
    try:
        live_stack.create_users(server.env, [OWNER])
        stranger = requests.Session()
        stranger.mount("http://", FromAddress("127.0.0.2"))
        guesses = [_log_in(stranger, server.url, "a wrong guess") for _ in range(4)]

        owner = _log_in(requests.Session(), server.url, live_stack.PASSWORD)
        log = server.log_text()
    finally:
        server.stop()

    assert guesses == [200, 200, 429, 429], log[-3000:]
    assert owner == 302
