"""Rate limits that hold across workers: fixed-window counts in the shared cache.

    wait = spend("api-validate", token_digest, settings.API_VALIDATE_RATE)
    if wait is not None:
        ...answer 429 with Retry-After: wait

The default cache is Redis when REDIS_URL is set, else the file cache in the data
directory (file_cache.py): either way every worker counts into the same number, and
cache.add then cache.incr counts atomically. A burst across a window's edge can reach twice
the limit; one counter per key and window is all the cache holds.
"""

from __future__ import annotations

import hashlib
import math
import time

import structlog
from django.conf import settings
from django.core.cache import cache

log = structlog.get_logger(__name__)

MINUTE = 60


def _key(scope: str, who: str, window_seconds: int, now: float) -> str:
    # Hashed: `who` may be an e-mail or an address, and cache keys take neither safely.
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    return f"budget:{scope}:{digest}:{int(now // window_seconds)}"


def spend(scope: str, who: str, limit: int, window_seconds: int = MINUTE) -> int | None:
    """Count one use of `who`'s budget in `scope`. None while the window's count is within
    `limit`, else the whole seconds until the window ends (for Retry-After)."""
    now = time.time()
    key = _key(scope, who, window_seconds, now)
    try:
        # Kept past the window's end, so the key cannot expire between add and incr.
        cache.add(key, 0, timeout=2 * window_seconds)
        count = cache.incr(key)
    except Exception as error:
        # A cache that is down (Redis gone) must not take the application with it: the
        # budget is not enforced until it is back, and the log says so.
        log.warning("budget.unavailable", scope=scope, error_type=type(error).__name__)
        return None
    return None if count <= limit else seconds_left(window_seconds, now)


def spend_save(user_id: int) -> int | None:
    """One create or update of a strategy, through the API or the editor: one budget per
    user, settings.STRATEGY_SAVE_RATE a minute. Each stores a version, so this bounds how
    fast an account grows."""
    return spend("strategy-save", str(user_id), settings.STRATEGY_SAVE_RATE)


def used(scope: str, who: str, window_seconds: int = MINUTE) -> int:
    """How much of `who`'s budget the current window has spent, without spending any."""
    try:
        return cache.get(_key(scope, who, window_seconds, time.time()), 0)
    except Exception as error:
        log.warning("budget.unavailable", scope=scope, error_type=type(error).__name__)
        return 0


def seconds_left(window_seconds: int, now: float | None = None) -> int:
    """Whole seconds until the current window ends, at least one."""
    now = time.time() if now is None else now
    return max(1, math.ceil(window_seconds - now % window_seconds))
