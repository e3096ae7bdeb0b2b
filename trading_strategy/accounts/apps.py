from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trading_strategy.accounts"
    label = "accounts"
