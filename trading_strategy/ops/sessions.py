"""The dashboard's Sessions & caches page: session counts and what each cache backend can
tell about itself."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def sessions_and_caches() -> dict:
    from django.contrib.sessions.models import Session
    from django.core.cache import caches
    from django.utils import timezone

    engine = settings.SESSION_ENGINE
    sessions: dict[str, Any] = {"engine": engine, "active": None, "expired": None}
    if engine in ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"):
        now = timezone.now()
        sessions["active"] = Session.objects.filter(expire_date__gt=now).count()
        sessions["expired"] = Session.objects.filter(expire_date__lte=now).count()
    cache_rows = []
    for alias, config in settings.CACHES.items():
        # Typed loosely: each branch below reads the internals of the backend it names.
        cache: Any = caches[alias]
        row: dict[str, Any] = {
            "alias": alias,
            "backend": config["BACKEND"],
            "location": config.get("LOCATION", ""),
            "entries": None,
            "max_entries": getattr(cache, "_max_entries", None),
            "timeout": config.get("TIMEOUT", 300),
            "details": {},
            "unavailable": "",
        }
        backend = str(config["BACKEND"]).rsplit(".", 1)[-1]
        if backend == "LocMemCache":
            with cache._lock:
                row["entries"] = len(cache._cache)
            row["unavailable"] = (
                "hits, misses and memory are not counted by this backend; "
                "each worker has its own cache, so this is this worker's."
            )
        elif backend == "RedisCache":
            try:
                info = cache._cache.get_client().info()
                row["entries"] = sum(
                    value.get("keys", 0)
                    for key, value in info.items()
                    if key.startswith("db") and isinstance(value, dict)
                )
                row["details"] = {
                    key: info.get(key)
                    for key in ("used_memory_human", "keyspace_hits", "keyspace_misses", "connected_clients")
                }
            except Exception as error:
                row["unavailable"] = f"Redis did not answer: {type(error).__name__}"
        elif backend in ("SharedFileCache", "FileBasedCache"):
            row["entries"] = len(cache._list_cache_files())
            row["unavailable"] = "hits and misses are not counted by this backend."
        elif backend == "DatabaseCache":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(cache._table)}")
                row["entries"] = cursor.fetchone()[0]
            row["unavailable"] = "hits and misses are not counted by this backend."
        else:
            row["unavailable"] = "this backend exposes no statistics."
        cache_rows.append(row)
    return {"sessions": sessions, "caches": cache_rows}
