"""The editor's routes, mounted under `strategies/` in the `strategies` namespace, before
the other strategy pages."""
from django.urls import path

from trading_strategy.strategies import editor_views as views

urlpatterns = [
    path("new", views.new_strategy, name="new"),
    path("<int:strategy_id>/edit", views.edit_strategy, name="edit"),
    path("live/validate", views.live_validate, name="live-validate"),
    path("live/syntax-test", views.live_syntax_test, name="live-syntax-test"),
    path("live/convert", views.live_convert, name="live-convert"),
    path("live/indicator", views.live_indicator, name="live-indicator"),
    path("live/catalog", views.live_catalog, name="live-catalog"),
    path("live/autosave", views.live_autosave, name="live-autosave"),
    path("live/autosave/discard", views.live_autosave_discard, name="live-autosave-discard"),
    path("live/conflict", views.live_conflict, name="live-conflict"),
]
