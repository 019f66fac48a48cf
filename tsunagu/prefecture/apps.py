from django.apps import AppConfig


class PrefectureConfig(AppConfig):
    name = "tsunagu.prefecture"
    verbose_name = "県（専門職派遣・研修・広域の状況）"

    def ready(self):
        from . import signals  # noqa: F401
