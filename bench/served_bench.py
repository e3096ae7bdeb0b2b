"""The ASGI path every served request takes: our handler against Django's stock one.

Sends the same requests through both ASGI applications in-process (no socket, no uvicorn),
interleaved so that both see the same machine, on a fresh SQLite file, for a signed-in
user with 3 strategies: a no-op async view, the log-in page, the list, the editor and a
live validation. Prints each one's median per handler and the ratio ours / stock, from
one run. No pass/fail: `make bench` prints the figures.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ["TRADING_STRATEGY_DATA_DIR"] = tempfile.mkdtemp(prefix="served-bench-")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ["DJANGO_SETTINGS_MODULE"] = "trading_strategy.settings"
os.environ["ALLOWED_HOSTS"] = "localhost,testserver"
os.environ.setdefault("LOG_LEVEL", "WARNING")

from django.core.handlers.asgi import ASGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from dsl_bench import strategy as bench_strategy  # noqa: E402

from trading_strategy.accounts.models import User  # noqa: E402
from trading_strategy.asgi import application  # noqa: E402  (sets Django up)
from trading_strategy.dsl import to_yaml  # noqa: E402
from trading_strategy.strategies import lifecycle  # noqa: E402

REPEAT = 300


def seed() -> tuple[dict[str, str], int, str]:
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench@example.com", "a long enough password 42")
    created = [
        lifecycle.create(user, to_yaml({**bench_strategy(3), "name": f"Bench {n}"}), "yaml") for n in range(3)
    ]
    browser = Client()
    browser.force_login(user)
    page = browser.get(f"/strategies/{created[0].pk}/edit")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    cookies = {name: morsel.value for name, morsel in browser.cookies.items()}
    return cookies, created[0].pk, csrf.group(1)


def request(app, method: str, path: str, headers: list, body: bytes = b""):
    async def call():
        messages, received = [], []

        async def receive():
            if not received:
                received.append(True)
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()

        async def send(message):
            messages.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("localhost", 80),
        }
        await app(scope, receive, send)
        return messages[0]["status"]

    return call


def main():
    cookies, strategy_id, csrf = seed()
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items()).encode()
    base = [(b"host", b"localhost"), (b"cookie", cookie)]
    form = urlencode(
        {"document": to_yaml(bench_strategy(10)), "format": "yaml", "strategy_id": strategy_id}
    ).encode()
    post = base + [
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"x-csrftoken", csrf.encode()),
        (b"accept", b"application/json"),
        (b"referer", f"http://localhost/strategies/{strategy_id}/edit".encode()),
    ]
    cases = [
        ("GET /health/live (async, no-op)", "GET", "/health/live", base, b""),
        ("GET /users/log-in", "GET", "/users/log-in", [(b"host", b"localhost")], b""),
        ("GET /strategies (list)", "GET", "/strategies", base, b""),
        ("GET /strategies/[id]/edit", "GET", f"/strategies/{strategy_id}/edit", base, b""),
        ("POST /strategies/live/validate, 10 ind.", "POST", "/strategies/live/validate", post, form),
    ]
    stock = ASGIHandler()
    print("Served path: our ASGI handler against Django's stock ASGIHandler, in-process, SQLite\n")
    print(f"  {'request':42s} {'stock':>10s} {'ours':>10s} {'ours / stock':>13s}")
    apps = (("stock", stock), ("ours", application))
    for label, method, path, headers, body in cases:
        samples = asyncio.run(measure(apps, label, method, path, headers, body))
        stock_ms = statistics.median(samples["stock"]) * 1000
        ours_ms = statistics.median(samples["ours"]) * 1000
        print(f"  {label:42s} {stock_ms:7.2f} ms {ours_ms:7.2f} ms {ours_ms / stock_ms:12.2f}x")


async def measure(apps, label, method, path, headers, body) -> dict[str, list[float]]:
    """Seconds per request of each app, the apps taking turns so that load drift hits both."""
    samples: dict[str, list[float]] = {name: [] for name, _ in apps}
    for _ in range(20):  # warm-up
        for _, app in apps:
            await request(app, method, path, headers, body)()
    for _ in range(REPEAT):
        for name, app in apps:
            started = time.perf_counter()
            status = await request(app, method, path, headers, body)()
            samples[name].append(time.perf_counter() - started)
            assert status == 200, (label, name, status)
    return samples


if __name__ == "__main__":
    main()
