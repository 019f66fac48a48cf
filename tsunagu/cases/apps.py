from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tsunagu.cases"
    verbose_name = "個別事例"

    def ready(self):
        from tsunagu.meetings.signals import meeting_type_changed

        from .services import copy_meeting_type

        meeting_type_changed.connect(copy_meeting_type, dispatch_uid="tsunagu.cases.body")
