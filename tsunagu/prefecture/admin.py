from django.contrib import admin

from .models import AdviserProfile, Prefecture, PrefectureMembership, Training


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__"]


@admin.register(PrefectureMembership)
class PrefectureMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "prefecture", "role", "association", "is_active"]
    list_filter = ["prefecture", "role"]
    raw_id_fields = ["user"]


@admin.register(AdviserProfile)
class AdviserProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "profession", "association", "prefecture", "is_active"]
    list_filter = ["prefecture", "profession"]
    raw_id_fields = ["user"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "held_on", "prefecture"]
