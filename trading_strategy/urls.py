"""Root URL configuration: each app owns its routes and is mounted here."""

from django.urls import include, path

from trading_strategy.api.api import api

urlpatterns = [
    path("", include("trading_strategy.observability.urls")),
    path("api/v1/", api.urls),
]
