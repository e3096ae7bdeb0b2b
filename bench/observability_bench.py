"""What the metrics cost: live validation with instrumentation on and off, and scrape time.

Runs the real Django stack in-process (middleware, sessions, ORM) on a fresh SQLite file,
with prometheus_client in multiprocess mode as under gunicorn (values in mmap'd files),
and prints from one run:

- POST /strategies/live/validate with a 10-indicator document, instrumentation on vs off
  (`telemetry.set_enabled`, the switch behind TELEMETRY_ENABLED=false: the middleware, the
  database wrapper and the spans all stop measuring, and span handlers such as the
  logging one are not called), alternating request by request so that drift hits both
  sides alike; target: at most 5 % overhead.
- the time to render the whole catalog after realistic traffic (pages, API, live checks,
  lifecycle operations, 404s), over this process's files and over the same files copied
  for 4 workers, as the exporter in the gunicorn master reads them; target: < 20 ms.

No pass/fail: `make bench` prints the figures.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ["TRADING_STRATEGY_DATA_DIR"] = tempfile.mkdtemp(prefix="observability-bench-")
os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="observability-bench-prom-")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ["DJANGO_SETTINGS_MODULE"] = "trading_strategy.settings"
for budget in ("API_VALIDATE_RATE", "STRATEGY_SAVE_RATE", "EDITOR_LIVE_RATE"):
    os.environ.setdefault(budget, "1000000")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from dsl_bench import strategy as bench_strategy  # noqa: E402

from trading_strategy.accounts.models import ApiToken, User  # noqa: E402
from trading_strategy.dsl import to_yaml  # noqa: E402
from trading_strategy.observability import exporter, poller, telemetry  # noqa: E402
from trading_strategy.strategies import lifecycle  # noqa: E402

ROUNDS = 12
PER_ROUND = 40
SCRAPES = 50


def p95(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(request, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = request()
        samples.append(time.perf_counter() - start)
        assert response.status_code < 400, (response.status_code, response.content[:300])
    return samples


def traffic(user, browser: Client, api: Client, ten: str):
    """A mix like a busy hour: pages, API calls, live checks, operations, mistakes."""
    body = json.dumps({"document": ten, "format": "yaml"})
    for i in range(30):
        strategy = lifecycle.create(user, to_yaml({**bench_strategy(3), "name": f"T {i}"}), "yaml")
        browser.get("/strategies")
        browser.get(f"/strategies/{strategy.pk}")
        browser.get(f"/strategies/{strategy.pk}/versions")
        browser.get(f"/strategies/{strategy.pk}/edit")
        browser.post("/strategies/live/syntax-test", {"document": ten, "format": "yaml"})
        browser.get(f"/no/such/page/{i}")
        api.get("/api/v1/strategies")
        api.post("/api/v1/strategies/validate", body, content_type="application/json")
        api.post("/api/v1/strategies/syntax-test", body, content_type="application/json")
        lifecycle.activate(user, strategy)
        if i % 3 == 0:
            strategy = lifecycle.deactivate(user, strategy)
            strategy = lifecycle.archive(user, strategy)
            lifecycle.restore(user, strategy)
        if i % 5 == 0:
            lifecycle.duplicate(user, strategy)
        browser.post("/users/log-in", {"username": "nobody@example.com", "password": "x"})
    poller.poll_once()


def main():
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False  # the failed log-ins above must not lock the bench out
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench@example.com", "a long enough password 42")
    _, token = ApiToken.issue(user, "bench")
    browser = Client()
    browser.force_login(user)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    ten = to_yaml(bench_strategy(10))

    def live_validate():
        return browser.post("/strategies/live/validate", {"document": ten, "format": "yaml"})

    print("Observability benchmark: in-process Django on SQLite, prometheus_client in multiprocess mode")
    print(f"  span handlers attached: {', '.join(telemetry.attached())}\n")
    timed(live_validate, 20)  # warm-up, both paths
    telemetry.set_enabled(False)
    timed(live_validate, 20)
    samples = {True: [], False: []}
    # On and off alternate request by request, so that drift (other processes, caches,
    # the growing session table) hits both sides alike.
    for number in range(ROUNDS * PER_ROUND * 2):
        state = number % 2 == (number // 2) % 2
        telemetry.set_enabled(state)
        samples[state].extend(timed(live_validate, 1))
    telemetry.set_enabled(True)
    on, off = statistics.median(samples[True]), statistics.median(samples[False])
    print(f"  POST /strategies/live/validate, 10 indicators ({ROUNDS * PER_ROUND} each)")
    print(f"    instrumentation off  median {off * 1000:7.3f} ms  p95 {p95(samples[False]) * 1000:7.3f} ms")
    print(f"    instrumentation on   median {on * 1000:7.3f} ms  p95 {p95(samples[True]) * 1000:7.3f} ms")
    print(f"    overhead             {(on / off - 1) * 100:+6.2f} %  (target <= 5 %)\n")

    traffic(user, browser, api, ten)
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    for workers in (1, 4):
        if workers > 1:
            for path in list(directory.glob(f"*_{os.getpid()}.db")):
                for fake in range(1, workers):
                    shutil.copy(
                        path, path.with_name(path.name.replace(f"_{os.getpid()}.db", f"_{900000 + fake}.db"))
                    )
        registry = exporter.registry()
        body = exporter.render(registry)
        scrapes = []
        for _ in range(SCRAPES):
            start = time.perf_counter()
            exporter.render(registry)
            scrapes.append(time.perf_counter() - start)
        series = sum(1 for line in body.decode().splitlines() if line and line[0] != "#")
        print(
            f"  scrape of the full catalog, {workers} worker(s)' files: {series} series, "
            f"{len(body) / 1024:.0f} KiB  median {statistics.median(scrapes) * 1000:6.2f} ms"
            f"  p95 {p95(scrapes) * 1000:6.2f} ms  (target < 20 ms)"
        )
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
