from django.contrib import admin

from .models import ReminderSetting


@admin.register(ReminderSetting)
class ReminderSettingAdmin(admin.ModelAdmin):
    list_display = ["meeting_type", "days_before"]
