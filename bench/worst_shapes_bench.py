"""Server time of every entry point for each worst-shape document (tests/worst_shapes.py).

Runs the real Django stack in-process (middleware, sessions, templates, ORM) on a fresh
SQLite file, calls each entry point of tests/entry_points.py with each shape, and prints
the median and the fastest server time of a few calls (the request alone, not the
strategy stored beforehand for a page to show), the answer's size and what it adds to the
document it shows back. Beside each shape, the DSL's `validate` alone on it, timed in the
same run: on a shared machine whose load moves, it tells the entry point's own cost from
the language's. The target is under 250 ms and under 256 KiB added per answer. No
pass/fail: `make bench` prints the figures.

    python bench/worst_shapes_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from in_process import set_up

set_up("worst-shapes-bench")

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from tests.entry_points import ENTRY_POINTS, Visitor  # noqa: E402
from tests.worst_shapes import WORST_SHAPES  # noqa: E402
from trading_strategy.accounts.models import ApiToken, User  # noqa: E402
from trading_strategy.dsl import validate  # noqa: E402
from trading_strategy.strategies.models import Strategy  # noqa: E402

TARGET_MS = 250


def visitor() -> Visitor:
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("worst-shapes@example.com", "a long enough password 42")
    client = Client()
    client.force_login(user)
    _, token = ApiToken.issue(user, "bench")
    return Visitor(user, client, token, Path(tempfile.mkdtemp(prefix="worst-shapes-files-")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trader = visitor()
    width = max(map(len, WORST_SHAPES))
    print(
        f"{'shape':{width}} {'entry point':17} {'median ms':>9} {'min ms':>7} {'KiB':>6} {'added KiB':>9}"
        "  diagnostics"
    )
    slowest: tuple[float, str] = (0.0, "")
    for shape, make in WORST_SHAPES.items():
        text, fmt = make()
        alone = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            validate(text, fmt)
            alone.append(time.perf_counter() - started)
        print(
            f"{shape:{width}} {'(dsl validate)':17} {statistics.median(alone) * 1000:9.1f} "
            f"{min(alone) * 1000:7.1f}"
        )
        for name, entry_point in ENTRY_POINTS.items():
            answers = []
            for _ in range(args.repeat):
                answers.append(entry_point(trader, text, fmt))
                # Each call stores under the same name; the next one needs it free.
                Strategy.objects.filter(owner=trader.user).delete()
            milliseconds = statistics.median(answer.seconds for answer in answers) * 1000
            fastest = min(answer.seconds for answer in answers) * 1000
            last = answers[-1]
            mark = "" if milliseconds < TARGET_MS else "  over target"
            print(
                f"{shape:{width}} {name:17} {milliseconds:9.1f} {fastest:7.1f} {len(last.body) / 1024:6.0f} "
                f"{last.own_size / 1024:9.0f}  {last.diagnostics}{mark}"
            )
            slowest = max(slowest, (milliseconds, f"{shape} / {name}"))
    print(f"slowest: {slowest[1]} at {slowest[0]:.1f} ms (target {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
