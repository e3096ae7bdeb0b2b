"""What one rate-limit count (cache.add, then cache.incr) costs in each cache that every
worker on a machine can share without Redis: the file cache in the data directory
(trading_strategy.file_cache, the default) and Django's database cache on SQLite, with
Redis beside them when one answers on 127.0.0.1:6379.

Prints the median and p95 per count and each one's ratio to the file cache. No pass/fail.
"""

from __future__ import annotations

import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="cache-bench-"))
os.environ["TRADING_STRATEGY_DATA_DIR"] = str(DATA)
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ["DJANGO_SETTINGS_MODULE"] = "trading_strategy.settings"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402

COUNTS = 2000
KEYS = 50  # counters alive at once, as for fifty tokens in one window

settings.CACHES = {
    "file": settings.CACHES["default"],
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "bench_cache"},
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    },
}


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def measure(alias: str) -> list[float]:
    cache = caches[alias]
    times = []
    for n in range(COUNTS):
        key = f"bench:{n % KEYS}:{time.time_ns() // 10**12}"
        start = time.perf_counter()
        cache.add(key, 0, timeout=120)
        cache.incr(key)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    aliases = ["file", "database"] + (["redis"] if _redis_answers() else [])
    results = {alias: measure(alias) for alias in aliases}
    baseline = statistics.median(results["file"])
    print(f"one count (add + incr), {COUNTS} counts over {KEYS} keys")
    for alias, times in results.items():
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"  {alias:<9} median {median:7.3f} ms   p95 {p95:7.3f} ms   x{median / baseline:5.2f} of file")


if __name__ == "__main__":
    main()
