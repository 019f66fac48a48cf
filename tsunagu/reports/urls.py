from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/schedule/", views.schedule_matrix_view, name="schedule_matrix"),
    path("reports/meetings/", views.meeting_stats_view, name="meeting_stats"),
]
