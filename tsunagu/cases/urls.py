from django.urls import path

from . import agenda_views, document_views, screening_views, views

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
    path("screening/", screening_views.screening_page, name="screening"),
    path("screening/result.xlsx", screening_views.screening_xlsx, name="screening_xlsx"),
    path("screening/template/", screening_views.screening_template, name="screening_template"),
    path("screening/to-case/", screening_views.screening_to_case, name="screening_to_case"),
]
