from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tsunagu.meetings"
    verbose_name = "会議体・地域ケア会議"
