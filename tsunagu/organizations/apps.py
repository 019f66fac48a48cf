from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "tsunagu.organizations"
    verbose_name = "市町村・センター・関係機関"
