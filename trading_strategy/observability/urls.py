from django.urls import path

from trading_strategy.observability import health

urlpatterns = [
    path("health", health.summary, name="health"),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
]
