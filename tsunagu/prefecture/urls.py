from django.urls import path

from . import views

app_name = "prefecture"

urlpatterns = [
    path("prefecture/", views.home, name="pref_home"),
    path("prefecture/advisers/", views.adviser_list, name="pref_adviser_list"),
    path("prefecture/advisers/new/", views.adviser_create, name="pref_adviser_create"),
    path("prefecture/advisers/<int:pk>/edit/", views.adviser_edit, name="pref_adviser_edit"),
    path("prefecture/requests/", views.request_list, name="pref_request_list"),
    path("prefecture/requests/<int:pk>/", views.request_detail, name="pref_request_detail"),
    path("prefecture/requests/<int:pk>/assign/", views.request_assign, name="pref_request_assign"),
    path(
        "prefecture/assignments/<int:pk>/withdraw/",
        views.assignment_withdraw,
        name="pref_assignment_withdraw",
    ),
    path("prefecture/records/", views.records_view, name="pref_records"),
    path("prefecture/records.xlsx", views.records_xlsx, name="pref_records_xlsx"),
    path("prefecture/trainings/", views.training_list, name="pref_training_list"),
    path("prefecture/trainings/new/", views.training_create, name="pref_training_create"),
    path("prefecture/trainings/<int:pk>/", views.training_detail, name="pref_training_detail"),
    path("prefecture/overview/", views.overview_view, name="pref_overview"),
    path("prefecture/members/", views.member_list, name="pref_member_list"),
    path("adviser/", views.adviser_home, name="adviser_home"),
    path("adviser/availability/", views.adviser_availability, name="adviser_availability"),
    path("adviser/assignments/<int:pk>/answer/", views.adviser_answer, name="adviser_answer"),
    path(
        "meetings/<int:pk>/dispatch/",
        views.dispatch_request_create,
        name="dispatch_request_create",
    ),
    path(
        "dispatch-requests/<int:pk>/cancel/",
        views.dispatch_request_cancel,
        name="dispatch_request_cancel",
    ),
]
