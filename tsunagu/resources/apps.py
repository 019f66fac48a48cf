from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tsunagu.resources"
    verbose_name = "社会資源・生活支援体制整備"
