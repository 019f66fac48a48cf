from django.urls import path

from . import calendar_views, import_views, pledge_views, prepare_views, views

app_name = "meetings"

urlpatterns = [
    path("meeting-types/", views.meeting_type_list, name="meeting_type_list"),
    path("meeting-types/new/", views.meeting_type_edit, name="meeting_type_create"),
    path("meeting-types/presets/", views.meeting_type_load_preset, name="meeting_type_preset"),
    path("meeting-types/<int:pk>/", views.meeting_type_detail, name="meeting_type_detail"),
    path("meeting-types/<int:pk>/edit/", views.meeting_type_edit, name="meeting_type_edit"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_edit, name="meeting_create"),
    path("meetings/import/", import_views.meeting_import, name="meeting_import"),
    path("meetings/series/", prepare_views.meeting_series, name="meeting_series"),
    path("meetings/<int:pk>/copy/", prepare_views.meeting_copy, name="meeting_copy"),
    path("meetings/<int:pk>/handouts/", prepare_views.meeting_handouts, name="meeting_handouts"),
    path(
        "meetings/<int:pk>/handouts/<int:handout_pk>/",
        prepare_views.handout_download,
        name="handout_download",
    ),
    path(
        "meetings/<int:pk>/handouts/<int:handout_pk>/delete/",
        prepare_views.handout_delete,
        name="handout_delete",
    ),
    path(
        "meetings/<int:pk>/handouts/policy/",
        prepare_views.meeting_handout_policy,
        name="meeting_handout_policy",
    ),
    path(
        "meetings/<int:pk>/handouts/plan/",
        prepare_views.meeting_handout_plan,
        name="meeting_handout_plan",
    ),
    path(
        "meetings/import/template/",
        import_views.meeting_import_template,
        name="meeting_import_template",
    ),
    path(
        "meetings/import/jobs/<uuid:pk>/",
        import_views.meeting_import_job,
        name="meeting_import_job",
    ),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path(
        "meetings/<int:pk>/attendance/<int:attendance_pk>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/status/", views.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/pledge/", pledge_views.meeting_pledge, name="meeting_pledge"),
    path(
        "meetings/<int:pk>/pledge/paper/",
        pledge_views.meeting_pledge_paper,
        name="meeting_pledge_paper",
    ),
    path(
        "meetings/<int:pk>/pledge.pdf", pledge_views.meeting_pledge_pdf, name="meeting_pledge_pdf"
    ),
    path(
        "meetings/<int:pk>/pledges/<int:pledge_pk>/scan/",
        pledge_views.pledge_scan,
        name="pledge_scan",
    ),
    path("plans/", views.plan, name="plan"),
    path("calendar/", calendar_views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
]
