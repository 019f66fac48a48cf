from django.apps import AppConfig


class PrefectureConfig(AppConfig):
    name = "tsunagu.prefecture"
    verbose_name = "県（専門職派遣・研修・広域の状況）"

    def ready(self):
        from tsunagu.lib import panels

        from . import signals  # noqa: F401
        from .panels import meeting_attendees

        panels.add("meeting.attendees", "prefecture/_meeting_panel.html", context=meeting_attendees)
