from django.apps import AppConfig


class ConfidentialityConfig(AppConfig):
    name = "tsunagu.confidentiality"
    verbose_name = "守秘・個人情報保護"
