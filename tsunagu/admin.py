from django.contrib import admin


class SuperuserAdminSite(admin.AdminSite):
    """Django's admin, for superusers only: municipal roles use the app's own pages."""

    site_header = "つなぐ 管理サイト（システム管理者用）"
    site_title = "つなぐ 管理"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
