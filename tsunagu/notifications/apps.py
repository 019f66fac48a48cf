from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tsunagu.notifications"
    verbose_name = "お知らせ"

    def ready(self):
        from . import receivers

        receivers.connect()
