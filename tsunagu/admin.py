from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse


class SuperuserAdminSite(admin.AdminSite):
    """Django's admin, for superusers only: municipal roles use the app's own pages."""

    site_header = "つなぐ 管理サイト（システム管理者用）"
    site_title = "つなぐ 管理"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def login(self, request, extra_context=None):
        # One login page for everyone, with its lockout and two-factor step.
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index")))

    login.login_required = False
