from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "trading_strategy.observability"
    label = "observability"
    verbose_name = "Observability"
