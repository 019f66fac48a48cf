from django.contrib import admin
from django.urls import include, path

from tsunagu.health import favicon, healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("tsunagu.accounts.urls")),
    path("", include("tsunagu.audit.urls")),
    path("", include("tsunagu.confidentiality.urls")),
    path("", include("tsunagu.organizations.urls")),
    path("", include("tsunagu.meetings.urls")),
    path("", include("tsunagu.cases.urls")),
    path("", include("tsunagu.centerwork.urls")),
    path("", include("tsunagu.issues.urls")),
    path("", include("tsunagu.resources.urls")),
    path("", include("tsunagu.reports.urls")),
    path("", include("tsunagu.prefecture.urls")),
    path("", include("tsunagu.notifications.urls")),
]

handler400 = "tsunagu.errors.bad_request"
handler403 = "tsunagu.errors.permission_denied"
handler404 = "tsunagu.errors.page_not_found"
handler500 = "tsunagu.errors.server_error"
