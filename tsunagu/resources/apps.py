from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tsunagu.resources"
    verbose_name = "社会資源・生活支援体制整備"

    def ready(self):
        from tsunagu.lib import panels

        panels.add(
            "case.links",
            "resources/_case_links.html",
            context=lambda page: {} if "resources.view" in page.get("can", ()) else None,
        )
