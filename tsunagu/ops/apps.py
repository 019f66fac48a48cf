from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "tsunagu.ops"
    verbose_name = "運用"
