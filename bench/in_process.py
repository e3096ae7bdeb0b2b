"""The web application's Django, set up in a benchmark's own process: a throw-away data
directory (so a fresh SQLite file), no rate limit to run into (a benchmark saves and
checks far faster than a person), and one log line per request left out, which would
measure the terminal rather than the server."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def set_up(name: str) -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ["TRADING_STRATEGY_DATA_DIR"] = tempfile.mkdtemp(prefix=f"{name}-")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "trading_strategy.settings"
    for budget in ("API_VALIDATE_RATE", "STRATEGY_SAVE_RATE", "EDITOR_LIVE_RATE"):
        os.environ.setdefault(budget, "1000000")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
