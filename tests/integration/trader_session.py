"""A trader's side of the live stack over HTTP, as a browser would be: signed in through
the log-in form, saving through the editor form, reading the live event stream.

Imported beside live_stack (the same folder on sys.path) as `trader_session`.
"""

from __future__ import annotations

import re
import threading
import time

from live_stack import PASSWORD

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_LOCK_INPUT = re.compile(r'name="lock_version" value="(\d*)"')


def csrf_from(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def lock_version_from(html: str) -> int:
    match = _LOCK_INPUT.search(html)
    assert match and match.group(1), "the editor has no lock_version"
    return int(match.group(1))


def log_in(base_url: str, email: str, password: str = PASSWORD):
    """A requests session signed in through the log-in form, as a browser would be."""
    import requests

    session = requests.Session()
    page = session.get(f"{base_url}/users/log-in", timeout=30)
    page.raise_for_status()
    response = session.post(
        f"{base_url}/users/log-in",
        timeout=30,
        allow_redirects=False,
        data={"username": email, "password": password, "csrfmiddlewaretoken": csrf_from(page.text)},
        headers={"Referer": f"{base_url}/users/log-in"},
    )
    assert response.status_code == 302, (response.status_code, response.text[:500])
    return session


def save_through_form(
    session, base_url: str, strategy_id: int, document: str, lock_version: int | None = None
):
    """POST the editor form as the Save button does; lock_version defaults to the one the
    editor page shows now."""
    page = session.get(f"{base_url}/strategies/{strategy_id}/edit", timeout=30)
    page.raise_for_status()
    if lock_version is None:
        lock_version = lock_version_from(page.text)
    return session.post(
        f"{base_url}/strategies/{strategy_id}/edit",
        timeout=30,
        allow_redirects=False,
        data={
            "csrfmiddlewaretoken": csrf_from(page.text),
            "document": document,
            "format": "yaml",
            "lock_version": str(lock_version),
            "intent": "save",
        },
        headers={"Referer": f"{base_url}/strategies/{strategy_id}/edit"},
    )


class EventStream:
    """Reads /strategies/events as the signed-in user (an HTTP client reading the stream,
    as EventSource does) on a thread; `next_event()` waits for the next message."""

    def __init__(self, session, base_url: str):
        import queue

        self.messages: queue.Queue = queue.Queue()
        self.response = session.get(
            f"{base_url}/strategies/events",
            stream=True,
            timeout=(10, 60),
            headers={"Accept": "text/event-stream"},
        )
        assert self.response.status_code == 200, self.response.status_code
        self.ended = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True, name="sse-reader")
        self._thread.start()

    def _read(self):
        import json

        event, data = None, []
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line is None:
                    continue
                if line == "":
                    if event:
                        payload = "\n".join(data)
                        self.messages.put((event, json.loads(payload) if payload else None))
                    event, data = None, []
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except Exception:
            pass
        finally:
            self.ended.set()

    def next_event(self, name: str, *, deadline: float, match=lambda data: True):
        """The first `name` message (whose data satisfies `match`) before the monotonic
        `deadline`, or None."""
        import queue

        while (left := deadline - time.monotonic()) > 0:
            try:
                event, data = self.messages.get(timeout=left)
            except queue.Empty:
                return None
            if event == name and match(data):
                return data
        return None

    def close(self):
        self.response.close()
