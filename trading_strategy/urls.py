"""Root URL configuration: each app owns its routes and is mounted here."""

from django.urls import include, path

from trading_strategy.api.api import api
from trading_strategy.strategies import urls as strategy_urls

urlpatterns = [
    path("", include("trading_strategy.observability.urls")),
    path("", include("trading_strategy.accounts.urls")),
    # One "strategies" namespace: the editor's routes first, then the other strategy pages.
    path(
        "",
        include(
            (
                [
                    path("strategies/", include("trading_strategy.strategies.editor_urls")),
                    *strategy_urls.urlpatterns,
                ],
                strategy_urls.app_name,
            )
        ),
    ),
    path("", include("trading_strategy.datasets.urls")),
    path("api/v1/", api.urls),
    # /admin/dashboard (and /dev/dashboard with DEBUG on): admins only, 404 for others.
    path("", include("trading_strategy.ops.urls")),
]
