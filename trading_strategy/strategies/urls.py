from django.urls import path

from trading_strategy.strategies import streams, views

app_name = "strategies"

urlpatterns = [
    path("", views.home, name="home"),
    path("strategies", views.strategy_list, name="list"),
    path("strategies/events", streams.strategy_events, name="events"),
    path("strategies/<int:strategy_id>", views.strategy_detail, name="detail"),
    path("strategies/<int:strategy_id>/versions", views.version_list, name="versions"),
    path("strategies/<int:strategy_id>/versions/diff", views.version_diff, name="diff"),
    path("strategies/<int:strategy_id>/versions/<int:number>", views.version_detail, name="version"),
    path(
        "strategies/<int:strategy_id>/versions/<int:number>/restore",
        views.restore_version,
        name="restore_version",
    ),
    *(
        path(
            f"strategies/<int:strategy_id>/{operation}",
            views.change_strategy,
            {"operation": operation},
            name=operation,
        )
        for operation in views.OPERATIONS
    ),
]
