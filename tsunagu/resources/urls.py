from django.urls import path

from . import activity_views, need_views, transfer_views, views

app_name = "resources"

urlpatterns = [
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_edit, name="resource_create"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/delete/", views.resource_delete, name="resource_delete"),
    path("resources/<int:pk>/match/", views.resource_match, name="resource_match"),
    path("resources/export.csv", transfer_views.resource_export_csv, name="resource_export_csv"),
    path("resources/export.xlsx", transfer_views.resource_export_xlsx, name="resource_export_xlsx"),
    path("resources/hsds.json", transfer_views.resource_hsds, name="resource_hsds"),
    path(
        "resources/areas/<int:pk>/pdf/", transfer_views.resource_area_pdf, name="resource_area_pdf"
    ),
    path("resources/import/", transfer_views.resource_import, name="resource_import"),
    path(
        "resources/import/template/",
        transfer_views.resource_import_template,
        name="resource_import_template",
    ),
    path(
        "resources/import/jobs/<uuid:pk>/",
        transfer_views.resource_import_job,
        name="resource_import_job",
    ),
    path("resources/needs/", need_views.need_list, name="need_list"),
    path("resources/needs/new/", need_views.need_edit, name="need_create"),
    path("resources/needs/<int:pk>/", need_views.need_match, name="need_match"),
    path(
        "resources/needs/meetings/",
        need_views.need_meeting_options,
        name="need_meeting_options",
    ),
    path("resources/needs/<int:pk>/edit/", need_views.need_edit, name="need_edit"),
    path("resources/match/case/<int:pk>/", need_views.match_case, name="match_case"),
    path("resources/activities/", activity_views.activity_list, name="activity_list"),
    path("resources/activities/new/", activity_views.activity_create, name="activity_create"),
    path("resources/gaps/", need_views.gap_list, name="gap_list"),
    path("resources/gaps/issue/", need_views.gap_issue, name="gap_issue"),
]
