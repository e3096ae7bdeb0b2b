from django.urls import path

from trading_strategy.observability import health

urlpatterns = [
    path("health/live", health.live, name="health-live"),
]
