"""The social resource directory: the list with its filters, one resource, its form, and
matching from a resource. Exports and the import are in transfer_views, needs and gaps in
need_views, coordinator activities in activity_views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.urls import reverse

from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx, paginate, search

from . import access, matching, services
from .forms import (
    PlaceFormSet,
    ResourceFilterForm,
    ResourceForm,
)
from .models import Resource, stale_before

VIEW, EDIT = access.VIEW, access.EDIT


# --- Resources -----------------------------------------------------------------------------


def filtered_resources(request):
    """The resources the list shows for the query string, and the bound filter form."""
    member = request.member
    form = ResourceFilterForm(request.GET or None, municipality=member.municipality)
    rows = access.visible_to(member, Resource)
    if form.is_valid():
        data = form.cleaned_data
        rows = search(
            rows,
            data["q"],
            [
                "name",
                "description",
                "provider__name",
                "provider_name",
                "places__name",
                "places__address",
            ],
        )
        if data["area"]:
            # The area's own resources and the whole municipality's (see matching.py).
            rows = rows.filter(matching.serves(data["area"]))
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["weekday"] != "":
            bit = 1 << int(data["weekday"])
            rows = rows.annotate(day_hits=F("weekdays").bitand(bit)).filter(day_hits__gt=0)
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["stale"]:
            rows = rows.filter(
                Q(last_confirmed_on__isnull=True) | Q(last_confirmed_on__lt=stale_before())
            )
    rows = rows.distinct().select_related("provider").prefetch_related("areas", "places")
    return form, rows.order_by("kind", "name", "id")


@member_required(VIEW)
def resource_list(request):
    form, rows = filtered_resources(request)
    template = (
        "resources/_resource_results.html" if is_htmx(request) else "resources/resource_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": paginate(request, rows),
            "may_edit": access.may_edit(request.member),
            "query": request.GET.urlencode(),
        },
    )


@member_required(VIEW)
def resource_detail(request, pk):
    resource = access.resource_for_user(request.member, pk)
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "areas": list(resource.areas.all()),
            "places": list(resource.places.all()),
            "needs_met": resource.needs_met.select_related("area").order_by("-recorded_on")[:20],
            "may_edit": access.may_edit(request.member),
        },
    )


@member_required(VIEW)
def resource_edit(request, pk=None):
    """Create (pk=None) or change a resource with its places; duplicates are refused."""
    member = request.member
    if pk is None:
        access.require_edit(member)
        resource = Resource(municipality=member.municipality)
    else:
        resource = access.resource_for_user(member, pk, write=True)
    form = ResourceForm(request.POST or None, instance=resource, municipality=member.municipality)
    places = PlaceFormSet(request.POST or None, instance=resource, prefix="places")
    if request.method == "POST" and form.is_valid() and places.is_valid():
        kept = [
            f.instance
            for f in places.forms
            if f not in places.deleted_forms
            and f.cleaned_data
            and (f.instance.pk or f.has_changed())
        ]
        try:
            services.save_resource(
                resource=form.instance,
                areas=list(form.cleaned_data["areas"]),
                places=kept,
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"「{resource}」を保存しました。")
            return redirect("resources:resource_detail", pk=resource.pk)
    return render(
        request,
        "resources/resource_form.html",
        {
            "form": form,
            "places": places,
            "row": resource,
            "cancel_url": reverse("resources:resource_detail", args=[pk])
            if pk
            else reverse("resources:resource_list"),
        },
    )


@member_required(VIEW)
def resource_delete(request, pk):
    resource = access.resource_for_user(request.member, pk, write=True)
    if request.method == "POST":
        services.delete_resource(resource=resource, by=request.user, request=request)
        messages.success(request, f"「{resource}」を削除しました。")
        return redirect("resources:resource_list")
    return render(
        request,
        "resources/confirm_delete.html",
        {"row": resource, "cancel_url": reverse("resources:resource_detail", args=[pk])},
    )


@member_required(VIEW)
def resource_match(request, pk):
    """From a resource: the open needs it could meet."""
    resource = access.resource_for_user(request.member, pk)
    needs = matching.needs_for(resource)
    return render(
        request,
        "resources/resource_match.html",
        {
            "resource": resource,
            "needs": needs,
            "linkable": access.cases_in_scope_among(request.member, [n.case_id for n in needs]),
        },
    )
