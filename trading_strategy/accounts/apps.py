from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trading_strategy.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from trading_strategy.accounts.lockout import count_failure

        user_login_failed.connect(count_failure, dispatch_uid="accounts.count_failure")
