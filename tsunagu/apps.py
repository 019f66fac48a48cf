from django.contrib.admin.apps import AdminConfig


class TsunaguAdminConfig(AdminConfig):
    default_site = "tsunagu.admin.SuperuserAdminSite"
