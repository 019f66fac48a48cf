from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("account/2fa/", views.two_factor, name="two_factor"),
    path("account/2fa/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
    path("switch/", views.switch_membership, name="switch_membership"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/", views.invitation_answer, name="invitation_answer"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
]
