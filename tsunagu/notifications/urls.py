from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path(
        "notifications/settings/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "notifications/reminders/",
        views.reminder_settings,
        name="notification_reminder_settings",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.notification_unsubscribe,
        name="notification_unsubscribe",
    ),
]
