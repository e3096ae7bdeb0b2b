from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "trading_strategy.observability"
    label = "observability"
    verbose_name = "Observability"

    def ready(self):
        # Metrics: the span handler, the database wrapper and the auth signal receivers.
        from django.conf import settings

        from trading_strategy.observability import instrumentation, telemetry

        telemetry.configure(settings.TELEMETRY_ENABLED, settings.TEST_ONLY_SYNTAX_TEST_DELAY_SECONDS)
        instrumentation.install()
