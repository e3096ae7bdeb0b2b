"""Server time of the web application's busiest requests, against a trivial baseline.

Runs the real Django stack in-process (middleware, sessions, templates, ORM) on a fresh
SQLite file, for a user who owns 10,000 strategies, and prints from one run the median
and p95 of each request and its ratio to a trivial authenticated view measured beside it.
No pass/fail: `make bench` prints the figures.
"""

from __future__ import annotations

import json
import statistics
import time

from in_process import set_up

set_up("web-bench")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from dsl_bench import strategy as bench_strategy  # noqa: E402

from trading_strategy.accounts.models import ApiToken, User  # noqa: E402
from trading_strategy.dsl import to_yaml  # noqa: E402
from trading_strategy.strategies import lifecycle  # noqa: E402
from trading_strategy.strategies.models import Strategy, StrategyVersion  # noqa: E402

OWNED = 10_000
# Dumped once: the timed save should measure the server, not the YAML writer.
EDITED = to_yaml({**bench_strategy(3), "name": "Edited"})


def timed(request, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = request()
        samples.append(time.perf_counter() - start)
        assert response.status_code < 400, (response.status_code, response.content[:300])
    return samples


def p95(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def seed() -> tuple[User, str, Strategy]:
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench@example.com", "a long enough password 42")
    document = to_yaml(bench_strategy(3))
    Strategy.objects.bulk_create(
        Strategy(
            owner=user,
            name=f"Strategy {i:05d}",
            document=document,
            is_valid=True,
            trading_pair="BTC/USDT",
            timeframe="1h",
        )
        for i in range(OWNED)
    )
    StrategyVersion.objects.bulk_create(
        StrategyVersion(strategy=s, number=1, document=document, format="yaml", author=user, is_valid=True)
        for s in Strategy.objects.only("pk")
    )
    editable = lifecycle.create(user, EDITED, "yaml")
    _, raw = ApiToken.issue(user, "bench")
    return user, raw, editable


def main():
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user, token, editable = seed()
    browser = Client()
    browser.force_login(user)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    form = {"document": to_yaml(bench_strategy(10)), "format": "yaml"}
    ten = json.dumps(form)
    edits = iter(range(1, 10_000))

    def save():
        current = Strategy.objects.get(pk=editable.pk)
        edited = EDITED.replace("name: Edited", f"name: Edited {next(edits)}", 1)
        body = {"document": edited, "format": "yaml", "lock_version": current.lock_version}
        return api.put(f"/api/v1/strategies/{editable.pk}", json.dumps(body), content_type="application/json")

    cases = [
        ("trivial authenticated view", lambda: browser.get("/bench/trivial"), 200),
        ("strategy list, first page of 50", lambda: browser.get("/strategies"), 100),
        ("save that creates a version (API PUT)", save, 100),
        (
            "POST /strategies/live/validate (editor), 10 ind.",
            lambda: browser.post("/strategies/live/validate", form),
            200,
        ),
        (
            "POST /api/v1/strategies/validate, 10 indicators",
            lambda: api.post("/api/v1/strategies/validate", ten, content_type="application/json"),
            200,
        ),
    ]
    print(f"Web benchmark: in-process Django on SQLite, a user owning {OWNED:,} strategies\n")
    baseline = None
    with override_settings(ROOT_URLCONF="bench_urls"):
        for label, request, repeat in cases:
            timed(request, 5)  # warm-up
            samples = timed(request, repeat)
            median = statistics.median(samples)
            baseline = baseline or median
            print(
                f"  {label:48s} median {median * 1000:7.2f} ms  p95 "
                f"{p95(samples) * 1000:7.2f} ms  x{median / baseline:5.1f} trivial"
            )


if __name__ == "__main__":
    main()
