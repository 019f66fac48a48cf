from django.urls import path

from . import job_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/schedule/", views.schedule_matrix_view, name="schedule_matrix"),
    path("reports/meetings/", views.meeting_stats_view, name="meeting_stats"),
    path("reports/schedule.pdf", job_views.schedule_matrix_pdf, name="schedule_pdf"),
    path("reports/schedule/jobs/<uuid:pk>/", job_views.schedule_pdf_job, name="schedule_pdf_job"),
    path(
        "reports/schedule/jobs/<uuid:pk>/download/",
        job_views.schedule_pdf_job_download,
        name="schedule_pdf_job_download",
    ),
]
