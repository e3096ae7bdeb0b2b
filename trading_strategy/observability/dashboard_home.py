"""The dashboard's home page: versions, uptime, every live worker and the database."""
from __future__ import annotations

import importlib.metadata
import logging
import os
import platform
import time

import django
from django.conf import settings

from .dashboard_history import DB_POOL_CONNECTIONS, DB_POOL_WAITING, gauge_values
from .dashboard_workers import pool_state, read_heartbeats

logger = logging.getLogger(__name__)


def duration_text(seconds: float) -> str:
    seconds = int(seconds)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "",
             f"{minutes} min" if minutes else "", f"{seconds} s" if not days else ""]
    return " ".join(part for part in parts if part) or "0 s"


def _package_version() -> str:
    try:
        return importlib.metadata.version("trading-strategy")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def database_facts() -> dict:
    from django.db import connection
    database = settings.DATABASES["default"]
    facts = {"vendor": connection.vendor, "display_name": connection.display_name,
             "engine": database["ENGINE"], "version": None,
             "conn_max_age": database.get("CONN_MAX_AGE", 0), "pool": None,
             "pool_metric": None, "pool_waiting_metric": None}
    try:
        facts["version"] = ".".join(str(part) for part in connection.get_database_version())
    except Exception:
        logger.debug("database version unavailable", exc_info=True)
    facts["pool"] = pool_state()
    facts["pool_metric"] = gauge_values(DB_POOL_CONNECTIONS, "state")
    waiting = gauge_values(DB_POOL_WAITING, "state")
    facts["pool_waiting_metric"] = None if waiting is None else sum(waiting.values())
    return facts


def home() -> dict:
    workers = read_heartbeats()
    now = time.time()
    started = min(beat["started_at"] for beat in workers)
    for beat in workers:
        beat["uptime_text"] = duration_text(beat["uptime"])
        beat["heartbeat_age"] = round(now - beat["written_at"], 1)
        beat.pop("requests", None)
        beat.pop("operations", None)
    return {
        "version": _package_version(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "django": django.get_version(),
        "uptime": now - started,
        "uptime_text": duration_text(now - started),
        "started_text": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)),
        "started_at": started,
        "workers": workers,
        "debug": settings.DEBUG,
        "database": database_facts(),
        "multiprocess": bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR")),
    }
