from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tsunagu.demo"
    verbose_name = "デモデータ"
