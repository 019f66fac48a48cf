from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "tsunagu.issues"
    verbose_name = "地域課題・施策"
