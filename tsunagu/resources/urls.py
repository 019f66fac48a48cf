from django.urls import path

from . import views

urlpatterns = [
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/new/", views.resource_edit, name="resource_create"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/delete/", views.resource_delete, name="resource_delete"),
    path("resources/<int:pk>/match/", views.resource_match, name="resource_match"),
    path("resources/export.csv", views.resource_export_csv, name="resource_export_csv"),
    path("resources/export.xlsx", views.resource_export_xlsx, name="resource_export_xlsx"),
    path("resources/hsds.json", views.resource_hsds, name="resource_hsds"),
    path("resources/areas/<int:pk>/pdf/", views.resource_area_pdf, name="resource_area_pdf"),
    path("resources/import/", views.resource_import, name="resource_import"),
    path("resources/needs/", views.need_list, name="need_list"),
    path("resources/needs/new/", views.need_edit, name="need_create"),
    path("resources/needs/<int:pk>/", views.need_match, name="need_match"),
    path("resources/needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("resources/match/case/<int:pk>/", views.match_case, name="match_case"),
    path("resources/activities/", views.activity_list, name="activity_list"),
    path("resources/activities/new/", views.activity_create, name="activity_create"),
    path("resources/gaps/", views.gap_list, name="gap_list"),
    path("resources/gaps/issue/", views.gap_issue, name="gap_issue"),
]
