"""Dashboard routes: under /admin/dashboard always, under /dev/dashboard only with DEBUG on.

Both mounts serve the same admin-only views; /dev/dashboard mirrors Phoenix's development
address and does not exist at all in production.
"""

from django.conf import settings
from django.urls import include, path

from . import views
from .access import ADMIN_NAMESPACE, DEV_NAMESPACE

# Both mounts share one application namespace; reversing picks the mount being viewed.
APP_NAMESPACE = "dashboard"


def routes(prefix: str) -> list:
    return [
        path(prefix, views.home, name="home"),
        path(f"{prefix}/live", views.home_live, name="home-live"),
        path(f"{prefix}/metrics", views.metrics, name="metrics"),
        path(f"{prefix}/metrics.json", views.metrics_json, name="metrics-json"),
        path(f"{prefix}/metrics/events", views.metrics_events, name="metrics-events"),
        path(f"{prefix}/requests", views.requests_page, name="requests"),
        path(f"{prefix}/requests/live", views.requests_live, name="requests-live"),
        path(f"{prefix}/strategies", views.strategies, name="strategies"),
        path(f"{prefix}/strategies/live", views.strategies_live, name="strategies-live"),
        path(f"{prefix}/sessions", views.sessions, name="sessions"),
        path(f"{prefix}/sessions/live", views.sessions_live, name="sessions-live"),
        path(f"{prefix}/sessions/unlock", views.unlock, name="unlock"),
    ]


urlpatterns = [
    path("", include((routes("admin/dashboard"), APP_NAMESPACE), namespace=ADMIN_NAMESPACE)),
]
if settings.DEBUG:
    urlpatterns.append(path("", include((routes("dev/dashboard"), APP_NAMESPACE), namespace=DEV_NAMESPACE)))
