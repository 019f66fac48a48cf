from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "seq",
        "at",
        "action",
        "actor_username",
        "municipality_id",
        "target_type",
        "target_id",
        "ip_address",
    ]
    list_filter = ["action"]
    search_fields = ["actor_username", "action", "summary", "target_id"]

    # The log is append-only, also for superusers.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
