from django.urls import path

from . import report_views, views

app_name = "centerwork"

urlpatterns = [
    path("business/", views.business_home, name="business_home"),
    path("business/consultations/", views.consultation_list, name="consultation_list"),
    path("business/consultations/new/", views.consultation_create, name="consultation_create"),
    path("business/consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path(
        "business/consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"
    ),
    path(
        "business/consultations/<int:pk>/to-case/",
        views.consultation_to_case,
        name="consultation_to_case",
    ),
    path("business/import/", views.business_import, name="business_import"),
    path(
        "business/import/template/",
        views.business_import_template,
        name="business_import_template",
    ),
    path("business/import/jobs/<uuid:pk>/", views.business_import_job, name="business_import_job"),
    path("business/events/", views.event_list, name="event_list"),
    path("business/outreach/", views.outreach, name="outreach"),
    path("business/volunteers/", views.volunteer_list, name="volunteer_list"),
    *[
        path(f"business/{prefix}/<int:pk>/{action}/", view, {"kind": kind}, name=f"{kind}_{action}")
        for kind, prefix in [
            ("event", "events"),
            ("visit", "outreach/visits"),
            ("volunteer", "volunteers"),
            ("activity", "volunteers/activities"),
        ]
        for action, view in [("edit", views.record_edit), ("delete", views.record_delete)]
    ],
    path("business/coordinators/", views.coordinator_check, name="coordinator_check"),
    path("business/guidance/", views.guidance_list, name="guidance_list"),
    path("business/monthly/", report_views.monthly_overview, name="monthly_overview"),
    path("business/monthly.xlsx", report_views.monthly_xlsx, name="monthly_xlsx"),
    path("business/monthly.pdf", report_views.monthly_pdf, name="monthly_pdf"),
    path("business/monthly.pdf/make/", report_views.monthly_pdf_make, name="monthly_pdf_make"),
    path("business/monthly/jobs/<uuid:pk>/", report_views.monthly_pdf_job, name="monthly_pdf_job"),
    path(
        "business/monthly/jobs/<uuid:pk>/download/",
        report_views.monthly_pdf_job_download,
        name="monthly_pdf_job_download",
    ),
    path("business/annual/", report_views.annual_overview, name="annual_overview"),
    path("business/submissions/open/", report_views.submission_open, name="submission_open"),
    path(
        "business/submissions/<int:pk>/", report_views.submission_detail, name="submission_detail"
    ),
    path(
        "business/submissions/<int:pk>/report.pdf",
        report_views.submission_pdf,
        name="submission_pdf",
    ),
    path("business/settings/", report_views.business_settings, name="business_settings"),
]
