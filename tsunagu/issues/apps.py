from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "tsunagu.issues"
    verbose_name = "地域課題・施策"

    def ready(self):
        from tsunagu.lib import panels

        from .panels import meeting_discussions

        panels.add(
            "meeting.content", "issues/_meeting_discussions.html", context=meeting_discussions
        )
        panels.add("review.links", "issues/_review_links.html")
