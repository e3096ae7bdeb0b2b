from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The admin dashboard: it reads what observability records, never the reverse."""

    name = "trading_strategy.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from trading_strategy.observability import poller, request_pipeline

        from . import history, recent

        request_pipeline.listen("ops.recent-requests", recent.record_request)
        recent.attach_telemetry()
        poller.every(history.SAMPLE_SECONDS, "ops.metric-history", history.history.sample)
