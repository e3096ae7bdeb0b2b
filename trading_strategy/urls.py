"""Root URL configuration: each app owns its routes and is mounted here."""

from django.urls import include, path

urlpatterns = [
    path("", include("trading_strategy.observability.urls")),
]
