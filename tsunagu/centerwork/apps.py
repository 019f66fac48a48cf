from django.apps import AppConfig


class CenterworkConfig(AppConfig):
    name = "tsunagu.centerwork"
    verbose_name = "センター業務と市の確認"
