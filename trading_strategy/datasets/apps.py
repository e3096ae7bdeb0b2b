from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "trading_strategy.datasets"
    label = "datasets"
