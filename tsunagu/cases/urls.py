from django.urls import path

from . import agenda_views, document_views, room_views, screening_views, views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/export.xlsx", document_views.case_list_xlsx, name="case_list_xlsx"),
    path("cases/<int:pk>/sheet.pdf", document_views.case_sheet_pdf, name="case_sheet_pdf"),
    path(
        "reviews/<int:pk>/record.pdf", document_views.meeting_record_pdf, name="meeting_record_pdf"
    ),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/autosave/", views.case_autosave, name="case_autosave"),
    path("cases/<int:pk>/move/", views.case_move, name="case_move"),
    path("cases/<int:pk>/delete/", views.case_delete, name="case_delete"),
    path("cases/<int:pk>/agenda/", views.case_put_on_agenda, name="case_put_on_agenda"),
    path("reviews/<int:pk>/", views.review_record, name="review_record"),
    path("meetings/<int:pk>/agenda/", agenda_views.meeting_agenda, name="meeting_agenda"),
    path(
        "meetings/<int:pk>/agenda/<int:review_pk>/remove/",
        agenda_views.agenda_remove,
        name="agenda_remove",
    ),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("follow-ups/<int:pk>/", views.follow_up_record, name="follow_up_record"),
    # 会議モード (the meeting room), its presenter screen, closing and the 会議録
    path("meetings/<int:pk>/room/", room_views.meeting_room, name="meeting_room"),
    path(
        "meetings/<int:pk>/room/screen/", room_views.meeting_room_screen, name="meeting_room_screen"
    ),
    path("meetings/<int:pk>/room/state/", room_views.meeting_room_state, name="meeting_room_state"),
    path("meetings/<int:pk>/room/close/", room_views.room_close, name="room_close"),
    path(
        "meetings/<int:pk>/room/attendance/<int:attendance_pk>/present/",
        room_views.room_present,
        name="room_present",
    ),
    path(
        "meetings/<int:pk>/room/attendance/<int:attendance_pk>/sign/",
        room_views.room_sign,
        name="room_sign",
    ),
    path(
        "meetings/<int:pk>/minutes.pdf", room_views.meeting_minutes_pdf, name="meeting_minutes_pdf"
    ),
    path(
        "meetings/<int:pk>/minutes.pdf/make/",
        room_views.meeting_minutes_pdf_make,
        name="meeting_minutes_pdf_make",
    ),
    path(
        "meetings/minutes-jobs/<uuid:pk>/",
        room_views.meeting_minutes_job,
        name="meeting_minutes_job",
    ),
    path(
        "meetings/minutes-jobs/<uuid:pk>/download/",
        room_views.meeting_minutes_job_download,
        name="meeting_minutes_job_download",
    ),
    path(
        "meetings/<int:pk>/minutes.docx",
        room_views.meeting_minutes_docx,
        name="meeting_minutes_docx",
    ),
    path("reviews/<int:pk>/room/timer/", room_views.room_timer, name="room_timer"),
    path("reviews/<int:pk>/room/policy/", room_views.room_policy, name="room_policy"),
    path("reviews/<int:pk>/room/advice/", room_views.room_advice_add, name="room_advice_add"),
    path("reviews/<int:pk>/room/actions/", room_views.room_action_add, name="room_action_add"),
    path("room/advice/<int:pk>/", room_views.room_advice, name="room_advice"),
    path("room/actions/<int:pk>/", room_views.room_action, name="room_action"),
    path("screening/", screening_views.screening_page, name="screening"),
    path("screening/result.xlsx", screening_views.screening_xlsx, name="screening_xlsx"),
    path("screening/template/", screening_views.screening_template, name="screening_template"),
    path("screening/to-case/", screening_views.screening_to_case, name="screening_to_case"),
]
