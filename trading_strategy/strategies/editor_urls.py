"""The editor's routes, mounted under `strategies/` in the `strategies` namespace, before
the other strategy pages."""

from django.urls import path

from trading_strategy.strategies import editor_views, live_views

urlpatterns = [
    path("new", editor_views.new_strategy, name="new"),
    path("<int:strategy_id>/edit", editor_views.edit_strategy, name="edit"),
    path("live/validate", live_views.live_validate, name="live-validate"),
    path("live/syntax-test", live_views.live_syntax_test, name="live-syntax-test"),
    path("live/convert", live_views.live_convert, name="live-convert"),
    path("live/preview", live_views.live_preview, name="live-preview"),
    path("live/indicator", live_views.live_indicator, name="live-indicator"),
    path("live/catalog", live_views.live_catalog, name="live-catalog"),
    path("live/autosave", live_views.live_autosave, name="live-autosave"),
    path("live/autosave/discard", live_views.live_autosave_discard, name="live-autosave-discard"),
    path("live/conflict", live_views.live_conflict, name="live-conflict"),
]
