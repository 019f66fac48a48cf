from django.apps import AppConfig


class CenterworkConfig(AppConfig):
    name = "tsunagu.centerwork"
    verbose_name = "センター業務と市の確認"

    def ready(self):
        from tsunagu.lib import panels

        panels.add("case.origin", "centerwork/_case_origin.html")
