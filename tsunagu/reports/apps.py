from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tsunagu.reports"
    verbose_name = "集計・帳票"
