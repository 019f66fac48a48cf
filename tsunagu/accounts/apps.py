from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tsunagu.accounts"
    verbose_name = "利用者と権限"

    def ready(self):
        from . import signals  # noqa: F401  (connects the login audit handlers)
