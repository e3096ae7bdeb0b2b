from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "trading_strategy.observability"
    label = "observability"
    verbose_name = "Observability"

    def ready(self):
        # Metrics: the span handler, the database wrapper and the auth signal receivers.
        from trading_strategy.observability import instrumentation

        instrumentation.install()
