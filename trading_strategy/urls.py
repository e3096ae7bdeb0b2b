"""Root URL configuration: each app owns its routes and is mounted here."""

from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path

from trading_strategy.api.api import api

urlpatterns = [
    path("", include("trading_strategy.observability.urls")),
    path("", include("trading_strategy.accounts.urls")),
    path("", include("trading_strategy.strategies.urls")),
    path("api/v1/", api.urls),
]

# Serves /static/ only when DEBUG is on (`make run`); empty otherwise.
urlpatterns += staticfiles_urlpatterns()
