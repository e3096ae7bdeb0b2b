from django.apps import AppConfig


class StrategiesConfig(AppConfig):
    name = "trading_strategy.strategies"
    label = "strategies"
