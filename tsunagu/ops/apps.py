from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OpsConfig(AppConfig):
    name = "tsunagu.ops"
    verbose_name = "運用"

    def ready(self):
        from tsunagu.lib.planner import after_migrate

        # Sent once per installed app; the last app's signal is enough, after every table.
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="tsunagu.ops.optimize")
