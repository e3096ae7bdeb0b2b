"""What one trader does, for `locust --headless` (run through tests/load/run_load.py).

Each simulated user signs in through the log-in form as its own account (created
beforehand by run_load.py: LOAD_EMAIL_TEMPLATE with n = 0 .. LOAD_USER_COUNT-1), then
over and over: lists their strategies, opens one in the editor, types (a burst of live
validations, as the editor sends them after its 300 ms debounce), runs Test syntax and
saves through the editor form with the lock_version the page gave it.

LOAD_PACE sets how fast a trader acts (PACES below): "human" (the default, what the
latency targets are measured at) or "stress" (no reading time at all, for capacity).

Every answer is checked: a wrong status or body counts as a failure in locust's figures.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

import gevent
from locust import HttpUser, events, task

EMAIL_TEMPLATE = os.environ.get("LOAD_EMAIL_TEMPLATE", "load-{n}@example.com")
USER_COUNT = int(os.environ.get("LOAD_USER_COUNT", "100"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "a long enough password 42")
TYPING_BURST = int(os.environ.get("LOAD_TYPING_BURST", "5"))

# Seconds, drawn uniformly. "human": a trader glances at the list before opening a
# strategy and reads the editor before typing ("read"); the editor validates 300 ms after
# the last keystroke, so a few characters typed and a pause give one validation every
# 0.8-1.8 s ("typing"); a short pause after saving ("round"). About 0.7 requests a second
# per trader. "stress": no reading, a validation every 0.3-0.6 s, 0.5-2 s after saving:
# about 2.6 requests a second per trader, far above what a person does.
PACES = {
    "human": {"read": (1.0, 3.0), "typing": (0.8, 1.8), "round": (1.0, 3.0)},
    "stress": {"read": (0.0, 0.0), "typing": (0.3, 0.6), "round": (0.5, 2.0)},
}
PACE = PACES[os.environ.get("LOAD_PACE", "human")]

# Every request's start (epoch seconds), name, time (ms) and outcome, the moment the last
# user had signed in, and each save the server acknowledged (strategy id, document),
# written to LOAD_SAMPLES when the run ends: run_load.py splits the run into the sign-in
# ramp and the steady state there, and checks that every acknowledged save was kept.
SAMPLES = os.environ.get("LOAD_SAMPLES")
_samples: list[tuple] = []
_signed_in_at: list[float] = []
_saved: list[tuple[int, str]] = []

_next_user = itertools.count()
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_LOCK = re.compile(r'name="lock_version" value="(\d+)"')
_STRATEGY_LINK = re.compile(r'href="/strategies/(\d+)"')
_ENTRY = re.compile(r"^entry_conditions: .*$", re.MULTILINE)
_DOCUMENT = re.compile(r'<textarea[^>]*name="document"[^>]*>(.*?)</textarea>', re.DOTALL)


@events.request.add_listener
def _record(request_type, name, response_time, exception, start_time=None, **kwargs):
    _samples.append((start_time, f"{request_type} {name}", response_time, exception is None))


@events.quitting.add_listener
def _write_samples(environment, **kwargs):
    if SAMPLES:
        with open(SAMPLES, "w") as out:
            everyone = sorted(_signed_in_at)[USER_COUNT - 1] if len(_signed_in_at) >= USER_COUNT else None
            json.dump({"all_signed_in_at": everyone, "samples": _samples, "saved": _saved}, out)


def _unescape(html: str) -> str:
    import html as html_module

    return html_module.unescape(html).lstrip("\n")


class Trader(HttpUser):
    def wait_time(self):
        return random.uniform(*PACE["round"])

    def on_start(self):
        self.email = EMAIL_TEMPLATE.format(n=next(_next_user) % USER_COUNT)
        self.signed_in = False
        self.log_in()

    def log_in(self):
        page = self.client.get("/users/log-in", name="/users/log-in")
        token = _CSRF.search(page.text)
        with self.client.post(
            "/users/log-in",
            name="/users/log-in [submit]",
            allow_redirects=False,
            catch_response=True,
            data={
                "username": self.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/users/log-in"},
        ) as response:
            if response.status_code != 302:
                response.failure(f"log-in answered {response.status_code}")
            else:
                self.signed_in = True
                _signed_in_at.append(time.time())

    @task
    def edit_a_strategy(self):
        if not self.signed_in:  # a failed log-in counted once; try again, as a person would
            self.log_in()
            return
        with self.client.get("/strategies", name="/strategies", catch_response=True) as response:
            ids = [int(i) for i in _STRATEGY_LINK.findall(response.text)]
            if response.status_code != 200 or not ids:
                response.failure(
                    f"list answered {response.status_code} with {len(ids)} strategies {response.error or ''}"
                )
                return
        strategy_id = random.choice(ids)
        self.pause("read")
        edit_url = f"/strategies/{strategy_id}/edit"
        with self.client.get(edit_url, name="/strategies/[id]/edit", catch_response=True) as response:
            csrf, lock = _CSRF.search(response.text), _LOCK.search(response.text)
            document = _DOCUMENT.search(response.text)
            if response.status_code != 200 or not (csrf and lock and document):
                response.failure(f"editor answered {response.status_code} without its form")
                return
        csrf, lock_version = csrf.group(1), lock.group(1)
        self.pause("read")
        document = _unescape(document.group(1))
        headers = {"X-CSRFToken": csrf, "Accept": "application/json", "Referer": f"{self.host}{edit_url}"}

        # Typing: each keystroke pause past the debounce sends the whole text again.
        threshold = random.randint(10, 40)
        for keystroke in range(TYPING_BURST):
            typed = _ENTRY.sub(f"entry_conditions: rsi_14 < {threshold + keystroke}", document)
            with self.client.post(
                "/strategies/live/validate",
                name="/strategies/live/validate",
                headers=headers,
                catch_response=True,
                data={"document": typed, "format": "yaml", "strategy_id": strategy_id},
            ) as response:
                if response.status_code != 200 or "valid" not in response.text:
                    response.failure(f"live validation answered {response.status_code}")
            self.pause("typing")

        with self.client.post(
            "/strategies/live/syntax-test",
            name="/strategies/live/syntax-test",
            headers=headers,
            catch_response=True,
            data={"document": typed, "format": "yaml", "strategy_id": strategy_id},
        ) as response:
            if response.status_code != 200:
                response.failure(f"Test syntax answered {response.status_code}")

        with self.client.post(
            edit_url,
            name="/strategies/[id]/edit [save]",
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": f"{self.host}{edit_url}"},
            data={
                "csrfmiddlewaretoken": csrf,
                "document": typed,
                "format": "yaml",
                "lock_version": lock_version,
                "intent": "save",
            },
        ) as response:
            if response.status_code != 302:
                response.failure(f"save answered {response.status_code}")
            else:
                _saved.append((strategy_id, typed))

    def pause(self, kind: str):
        low, high = PACE[kind]
        if high:
            gevent.sleep(random.uniform(low, high))
