from django.urls import path

from . import views
from .models import Area, Center, Organization, Person


def entry_urls(prefix: str, model, list_view, detail_view):
    name = views.URL_NAMES[model]
    return [
        path(f"{prefix}/", list_view, name=f"{name}_list"),
        path(f"{prefix}/new/", views.edit_entry, {"model": model}, name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/", detail_view, name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", views.edit_entry, {"model": model}, name=f"{name}_edit"),
        path(
            f"{prefix}/<int:pk>/delete/", views.delete_view, {"model": model}, name=f"{name}_delete"
        ),
    ]


app_name = "organizations"

urlpatterns = [
    *entry_urls("areas", Area, views.area_list, views.area_detail),
    *entry_urls("centers", Center, views.center_list, views.center_detail),
    *entry_urls("organizations", Organization, views.organization_list, views.organization_detail),
    *entry_urls("people", Person, views.person_list, views.person_detail),
]
