from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx, paginate, search

from . import access
from .choices import OrganizationKind, Profession
from .forms import AreaForm, CenterForm, OrganizationForm, PersonForm
from .models import Area, Center, Organization, Person
from .services import InUseError, delete_entry, save_entry

FORMS = {Area: AreaForm, Center: CenterForm, Organization: OrganizationForm, Person: PersonForm}
URL_NAMES = {Area: "area", Center: "center", Organization: "organization", Person: "person"}


def render_list(request, name: str, rows, **context):
    """The list page, or only its results when htmx asks (search as you type)."""
    template = f"organizations/{name}_list.html"
    if is_htmx(request):
        template = f"organizations/_{name}_results.html"
    context.update(
        page=paginate(request, rows),
        q=request.GET.get("q", ""),
        may_edit=access.may_edit(request.member, rows.model),
    )
    return render(request, template, context)


def selected(request, key: str, choices) -> str:
    """A filter value from the query string, ignored unless it is one of the choices."""
    value = request.GET.get(key, "")
    return value if value in {str(choice) for choice in choices} else ""


@member_required("directory.view")
def area_list(request):
    rows = search(
        access.visible_to(request.member, Area), request.GET.get("q", ""), ["name", "description"]
    )
    return render_list(request, "area", rows)


@member_required("directory.view")
def center_list(request):
    areas = access.visible_to(request.member, Area)
    rows = access.visible_to(request.member, Center).select_related("area")
    rows = search(rows, request.GET.get("q", ""), ["name", "operator", "address", "area__name"])
    area = selected(request, "area", areas.values_list("pk", flat=True))
    if area:
        rows = rows.filter(area_id=area)
    return render_list(request, "center", rows, areas=areas, area=area)


@member_required("directory.view")
def organization_list(request):
    rows = access.visible_to(request.member, Organization).select_related("area")
    rows = search(rows, request.GET.get("q", ""), ["name", "address", "office_number"])
    kind = selected(request, "kind", OrganizationKind.values)
    if kind:
        rows = rows.filter(kind=kind)
    return render_list(request, "organization", rows, kinds=OrganizationKind.choices, kind=kind)


@member_required("directory.view")
def person_list(request):
    rows = access.visible_to(request.member, Person).select_related("organization", "center")
    rows = search(
        rows, request.GET.get("q", ""), ["name", "furigana", "organization__name", "center__name"]
    )
    profession = selected(request, "profession", Profession.values)
    if profession:
        rows = rows.filter(profession=profession)
    return render_list(
        request, "person", rows, professions=Profession.choices, profession=profession
    )


@member_required("directory.view")
def area_detail(request, pk):
    area = access.for_user(request.member, Area, pk)
    return render(
        request,
        "organizations/area_detail.html",
        {
            "area": area,
            "centers": area.centers.all(),
            "organizations": area.organizations.all(),
            "may_edit": access.may_edit(request.member, Area),
        },
    )


@member_required("directory.view")
def center_detail(request, pk):
    center = access.for_user(request.member, Center, pk)
    return render(
        request,
        "organizations/center_detail.html",
        {
            "center": center,
            "people": center.people.all(),
            "may_edit": access.may_edit(request.member, Center),
        },
    )


@member_required("directory.view")
def organization_detail(request, pk):
    organization = access.for_user(request.member, Organization, pk)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "people": organization.people.all(),
            "may_edit": access.may_edit(request.member, Organization),
        },
    )


@member_required("directory.view")
def person_detail(request, pk):
    person = access.for_user(request.member, Person, pk)
    return render(
        request,
        "organizations/person_detail.html",
        {
            "person": person,
            "may_edit": access.may_edit(request.member, Person),
        },
    )


@member_required("directory.view")
def edit_entry(request, model, pk=None):
    """Create (pk=None) or change one directory row; the form keeps what was typed on error."""
    if pk is None:
        access.require_edit(request.member, model)
        row = model(municipality=request.member.municipality)
    else:
        row = access.for_user(request.member, model, pk, write=True)
    form = FORMS[model](
        request.POST or None, instance=row, municipality=request.member.municipality
    )
    if request.method == "POST" and form.is_valid():
        save_entry(row=form.instance, by=request.user, request=request)
        messages.success(request, f"「{row}」を保存しました。")
        return redirect(f"organizations:{URL_NAMES[model]}_detail", pk=row.pk)
    return render(
        request,
        "organizations/form.html",
        {
            "form": form,
            "row": row,
            "model_name": model._meta.verbose_name,
            "cancel_url": reverse(f"organizations:{URL_NAMES[model]}_detail", args=[pk])
            if pk
            else reverse(f"organizations:{URL_NAMES[model]}_list"),
        },
    )


@member_required("directory.view")
def delete_view(request, model, pk):
    """Ask first; delete on POST; refuse with a message when the row is still referred to."""
    row = access.for_user(request.member, model, pk, write=True)
    if request.method == "POST":
        try:
            delete_entry(row=row, by=request.user, request=request)
        except InUseError as error:
            messages.error(request, str(error))
            return redirect(f"organizations:{URL_NAMES[model]}_detail", pk=pk)
        messages.success(request, f"「{row}」を削除しました。")
        return redirect(f"organizations:{URL_NAMES[model]}_list")
    return render(
        request,
        "organizations/confirm_delete.html",
        {
            "row": row,
            "model_name": model._meta.verbose_name,
            "cancel_url": reverse(f"organizations:{URL_NAMES[model]}_detail", args=[pk]),
        },
    )
