from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tsunagu.cases"
    verbose_name = "個別事例"

    def ready(self):
        from tsunagu.lib import panels

        # The meeting page's parts that belong to case reviews (the meetings app is below).
        panels.add("meeting.open_actions", "cases/_meeting_open_actions.html")
        panels.add("meeting.closed_actions", "cases/_meeting_closed_actions.html")
        panels.add("meeting.case_count", "cases/_meeting_case_count.html")
        from tsunagu.meetings.signals import meeting_type_changed

        from .services import copy_meeting_type

        meeting_type_changed.connect(copy_meeting_type, dispatch_uid="tsunagu.cases.body")
