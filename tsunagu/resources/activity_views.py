"""The coordinators' (生活支援コーディネーター) activity log."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx, paginate, search
from tsunagu.lib.params import parse_id
from tsunagu.organizations.access import visible_to as directory_visible_to
from tsunagu.organizations.models import Area

from . import access, services
from .choices import ActivityKind
from .forms import (
    ActivityForm,
)
from .models import Activity

VIEW, EDIT = access.VIEW, access.EDIT


# --- Coordinator activities ----------------------------------------------------------------


@member_required(VIEW)
def activity_list(request):
    member = request.member
    rows = access.visible_to(member, Activity).select_related("coordinator", "area")
    rows = search(rows, request.GET.get("q", ""), ["title", "note", "coordinator__name"])
    kind = request.GET.get("kind", "")
    if kind in ActivityKind.values:
        rows = rows.filter(kind=kind)
    area = request.GET.get("area", "")
    if area == "city":
        rows = rows.filter(area__isnull=True)
    elif parse_id(area) is not None:
        rows = rows.filter(area_id=parse_id(area))
    template = (
        "resources/_activity_results.html" if is_htmx(request) else "resources/activity_list.html"
    )
    return render(
        request,
        template,
        {
            "page": paginate(request, rows),
            "q": request.GET.get("q", ""),
            "kind": kind,
            "kinds": ActivityKind.choices,
            "area": area,
            "areas": directory_visible_to(member, Area),
            "may_edit": access.may_edit(member),
        },
    )


@member_required(VIEW)
def activity_create(request):
    member = request.member
    access.require_edit(member)
    activity = Activity(municipality=member.municipality)
    if member.person_id:
        activity.coordinator_id = member.person_id
    form = ActivityForm(request.POST or None, instance=activity, municipality=member.municipality)
    if request.method == "POST" and form.is_valid():
        services.save_activity(activity=form.instance, by=request.user, request=request)
        messages.success(request, "活動を記録しました。")
        return redirect("resources:activity_list")
    return render(
        request,
        "resources/activity_form.html",
        {"form": form, "row": activity, "cancel_url": reverse("resources:activity_list")},
    )
