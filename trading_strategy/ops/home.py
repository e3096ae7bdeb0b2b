"""The dashboard's home page: versions, uptime, every live worker and the database."""

from __future__ import annotations

import logging
import platform
import time

import django
from django.conf import settings

from trading_strategy.accounts.email_backends import UnsentEmailBackend
from trading_strategy.observability import exporter, metrics, poller

from .history import DB_POOL_CONNECTIONS, DB_POOL_WAITING, gauge_values
from .workers import workers as live_workers

logger = logging.getLogger(__name__)

UNSENT_EMAIL_BACKEND = f"{UnsentEmailBackend.__module__}.{UnsentEmailBackend.__qualname__}"


def duration_text(seconds: float) -> str:
    seconds = int(seconds)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    parts = [
        f"{days} d" if days else "",
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
        f"{seconds} s" if not days else "",
    ]
    return " ".join(part for part in parts if part) or "0 s"


def database_facts() -> dict:
    from django.db import connection

    database = settings.DATABASES["default"]
    facts = {
        "vendor": connection.vendor,
        "display_name": connection.display_name,
        "engine": database["ENGINE"],
        "version": None,
        "conn_max_age": database.get("CONN_MAX_AGE", 0),
        "pool": None,
        "pool_metric": None,
        "pool_waiting_metric": None,
    }
    try:
        facts["version"] = ".".join(str(part) for part in connection.get_database_version())
    except Exception:
        logger.debug("database version unavailable", exc_info=True)
    try:
        facts["pool"] = poller.pool_state()
    except Exception:  # a pool that cannot open yet is a fact for the page, not an error
        logger.debug("pool state unavailable", exc_info=True)
    facts["pool_metric"] = gauge_values(DB_POOL_CONNECTIONS, "state")
    waiting = gauge_values(DB_POOL_WAITING, "state")
    facts["pool_waiting_metric"] = None if waiting is None else sum(waiting.values())
    return facts


def home() -> dict:
    workers = live_workers()
    now = time.time()
    started = min((row["started_at"] for row in workers if row["started_at"]), default=now)
    for row in workers:
        row["uptime_text"] = duration_text(row["uptime"]) if row["uptime"] is not None else "—"
    return {
        "version": metrics.version(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "django": django.get_version(),
        "uptime": now - started,
        "uptime_text": duration_text(now - started),
        "started_text": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)),
        "started_at": started,
        "workers": workers,
        "debug": settings.DEBUG,
        "database": database_facts(),
        "multiprocess": bool(exporter.multiprocess_dir()),
        "email_unsent": settings.EMAIL_BACKEND == UNSENT_EMAIL_BACKEND,
    }
