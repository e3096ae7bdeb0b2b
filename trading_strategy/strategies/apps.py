from django.apps import AppConfig


class StrategiesConfig(AppConfig):
    name = "trading_strategy.strategies"
    label = "strategies"

    def ready(self) -> None:
        # The plumbing below never imports this app: the app tells it what to count.
        from trading_strategy.observability import metrics, poller

        from .events import EVENTS
        from .models import Strategy

        metrics.register_pubsub_events(EVENTS)
        poller.count_strategies_with(Strategy.objects.counts_by_status)
