from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tsunagu.audit.services import record
from tsunagu.lib import tabular
from tsunagu.lib.downloads import attachment
from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx, paginate, search
from tsunagu.lib.params import parse_id
from tsunagu.organizations.access import visible_to as directory_visible_to
from tsunagu.organizations.models import Area

from . import access, exports, hsds, importing, matching, services
from .choices import ActivityKind, NeedStatus, ResourceKind
from .forms import (
    ActivityForm,
    ImportForm,
    MatchForm,
    NeedForm,
    PlaceFormSet,
    ResourceFilterForm,
    ResourceForm,
)
from .models import Activity, Need, Resource, stale_before

VIEW, EDIT = access.VIEW, access.EDIT
IMPORT_SESSION_KEY = "resource_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
            return redirect("resource_detail", pk=resource.pk)
    return render(
        request,
        "resources/resource_form.html",
        {
            "form": form,
            "places": places,
            "row": resource,
            "cancel_url": reverse("resource_detail", args=[pk]) if pk else reverse("resource_list"),
        },
    )


@member_required(VIEW)
def resource_delete(request, pk):
    resource = access.resource_for_user(request.member, pk, write=True)
    if request.method == "POST":
        services.delete_resource(resource=resource, by=request.user, request=request)
        messages.success(request, f"「{resource}」を削除しました。")
        return redirect("resource_list")
    return render(
        request,
        "resources/confirm_delete.html",
        {"row": resource, "cancel_url": reverse("resource_detail", args=[pk])},
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


# --- Exports -------------------------------------------------------------------------------


def _log_export(request, kind: str, count: int, **data):
    record(
        "report.exported",
        request=request,
        summary=f"社会資源（{kind}・{count}件）",
        report="resources",
        format=kind,
        count=count,
        **data,
    )


@member_required(VIEW)
def resource_export_csv(request):
    _form, rows = filtered_resources(request)
    rows = list(rows)
    _log_export(request, "csv", len(rows))
    return attachment(exports.to_csv(rows), "text/csv; charset=utf-8", "resources.csv")


@member_required(VIEW)
def resource_export_xlsx(request):
    _form, rows = filtered_resources(request)
    rows = list(rows)
    _log_export(request, "xlsx", len(rows))
    return attachment(exports.to_xlsx(rows), XLSX, "resources.xlsx")


@member_required(VIEW)
def resource_hsds(request):
    """Read-only HSDS 3.0 JSON of the member's municipality: the directory only, no needs,
    cases or people (hsds.py). Any role that reads resources may fetch it."""
    municipality = request.member.municipality
    document = hsds.hsds_document(municipality)
    _log_export(request, "hsds", len(document["services"]))
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    # A file to hand to other systems, not a page: the browser saves it.
    response["Content-Disposition"] = (
        f'attachment; filename="hsds_{municipality.code or municipality.pk}.json"'
    )
    return response


@member_required(VIEW)
def resource_area_pdf(request, pk):
    """資源一覧 of one area, to hand to residents and care managers."""
    area = get_object_or_404(Area, pk=pk, municipality_id=request.member.municipality_id)
    rows = [m.resource for m in matching.resources_for(request.member.municipality, area=area)]
    body = exports.area_list_pdf(request.member.municipality, area, rows)
    _log_export(request, "pdf", len(rows), area=area.pk)
    return attachment(body, "application/pdf", f"resources_area_{area.pk}.pdf")


# --- Import --------------------------------------------------------------------------------


def parse_upload(member, staged: tabular.Staged):
    table = importing.read_table(staged.path, staged.filename)
    return importing.parse_resources(table, municipality=member.municipality)


@member_required(EDIT)
def resource_import(request):
    """Upload → preview with every problem → confirm; parsed again on confirm, since
    resources may have been added in between."""
    form, result = ImportForm(), None
    if request.method == "POST" and request.POST.get("action") == "confirm":
        staged = tabular.staged(request.session, IMPORT_SESSION_KEY)
        if staged is None:
            messages.error(
                request, "確認中のファイルがありません。もう一度アップロードしてください。"
            )
            return redirect("resource_import")
        result = parse_upload(request.member, staged)
        if result.ok:
            count = importing.import_resources(
                result,
                municipality=request.member.municipality,
                by=request.user,
                request=request,
                source=staged.filename,
            )
            tabular.discard(request.session, IMPORT_SESSION_KEY)
            messages.success(request, f"{count}件の社会資源を取り込みました。")
            return redirect("resource_list")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                staged = tabular.stage(
                    request.session, IMPORT_SESSION_KEY, form.cleaned_data["file"]
                )
                result = parse_upload(request.member, staged)
            except tabular.UnreadableFile as error:
                tabular.discard(request.session, IMPORT_SESSION_KEY)
                form.add_error("file", str(error))
    return render(
        request,
        "resources/resource_import.html",
        {
            "form": form,
            "result": result,
            "preview": result.rows[:100] if result is not None else [],
            "columns": exports.COLUMNS,
        },
    )


# --- Needs ---------------------------------------------------------------------------------


@member_required(VIEW)
def need_list(request):
    member = request.member
    rows = access.visible_to(member, Need).select_related("area", "case", "issue", "met_by")
    status = request.GET.get("status", NeedStatus.OPEN)
    if status in NeedStatus.values:
        rows = rows.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in ResourceKind.values:
        rows = rows.filter(kind=kind)
    area = request.GET.get("area", "")
    areas = directory_visible_to(member, Area)
    if parse_id(area) is not None:
        rows = rows.filter(area_id=parse_id(area))
    page = paginate(request, rows)
    template = "resources/_need_results.html" if is_htmx(request) else "resources/need_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "status": status,
            "statuses": NeedStatus.choices,
            "kind": kind,
            "kinds": ResourceKind.choices,
            "area": area,
            "areas": areas,
            "linkable": access.cases_in_scope_among(member, [n.case_id for n in page.object_list]),
            "may_edit": access.may_edit(member),
        },
    )


@member_required(VIEW)
def need_edit(request, pk=None):
    member = request.member
    if pk is None:
        access.require_edit(member)
        need = Need(municipality=member.municipality, recorded_by_id=member.person_id)
    else:
        need = access.need_for_user(member, pk, write=True)
    form = NeedForm(request.POST or None, instance=need, member=member)
    if request.method == "POST" and form.is_valid():
        services.save_need(need=form.instance, by=request.user, request=request)
        messages.success(request, "ニーズを保存しました。")
        return redirect("need_match", pk=need.pk)
    return render(
        request,
        "resources/need_form.html",
        {
            "form": form,
            "row": need,
            "cancel_url": reverse("need_match", args=[pk]) if pk else reverse("need_list"),
        },
    )


@member_required(VIEW)
def need_match(request, pk):
    """From a need: resources of its kind, in or near its area, on the days it wants."""
    need = get_object_or_404(
        access.visible_to(request.member, Need).select_related(
            "area",
            "case",
            "meeting__meeting_type",
            "meeting__center",
            "recorded_by",
            "issue",
            "met_by",
        ),
        pk=pk,
    )
    matches = matching.resources_for(
        request.member.municipality, area=need.area, kind=need.kind, weekdays=need.weekdays
    )
    return render(
        request,
        "resources/need_match.html",
        {
            "need": need,
            "matches": matches,
            "case_linkable": bool(access.cases_in_scope_among(request.member, [need.case_id])),
            "may_edit": access.may_edit(request.member),
            # The same rule as the gap list, so the page never offers what the list lacks.
            "gap": matching.gap_at(request.member.municipality, need.area, need.kind)
            if need.status == NeedStatus.OPEN
            else None,
            "may_raise": access.may_edit(request.member) and request.member.may("issues.edit"),
        },
    )


@member_required(VIEW)
def match_case(request, pk):
    """From a case: resources near the case's area (its center's area) of the kind and on
    the days asked. The case is fetched through cases.access (404 outside the member's
    scope); only its code, center and area are used, never its content, so no pledge."""
    case = access.case_area_for_user(request.member, pk)
    form = MatchForm(request.GET or None)
    kind, days = "", 0
    if form.is_valid():
        kind, days = form.cleaned_data["kind"], form.cleaned_data["days"]
    area = case.center.area
    matches = (
        matching.resources_for(request.member.municipality, area=area, kind=kind, weekdays=days)
        if area is not None
        else []
    )
    return render(
        request,
        "resources/case_match.html",
        {"case": case, "area": area, "form": form, "matches": matches},
    )


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
        return redirect("activity_list")
    return render(
        request,
        "resources/activity_form.html",
        {"form": form, "row": activity, "cancel_url": reverse("activity_list")},
    )


# --- Gaps ----------------------------------------------------------------------------------


@member_required(VIEW)
def gap_list(request):
    table = matching.gap_table(request.member.municipality)
    return render(
        request,
        "resources/gap_list.html",
        {
            "table": table,
            "gaps": table.gaps(),
            "may_raise": access.may_edit(request.member) and request.member.may("issues.edit"),
        },
    )


@require_POST
@member_required(EDIT)
def gap_issue(request):
    """One action: the gap at (area, kind) becomes a community issue (or joins its issue)."""
    member = request.member
    if not member.may("issues.edit"):
        raise PermissionDenied("地域課題を登録する権限がありません。")
    area = get_object_or_404(
        Area, pk=parse_id(request.POST.get("area")) or 0, municipality_id=member.municipality_id
    )
    kind = request.POST.get("kind", "")
    if kind not in ResourceKind.values:
        messages.error(request, "種別を選んでください。")
        return redirect("gap_list")
    try:
        issue, created = services.open_gap_issue(
            municipality=member.municipality, area=area, kind=kind, by=request.user, request=request
        )
    except services.NoGap as error:
        messages.error(request, " ".join(error.messages))
        return redirect("gap_list")
    if created:
        messages.success(request, f"地域課題「{issue}」を登録しました。")
    else:
        messages.info(request, f"この不足のニーズを地域課題「{issue}」に結び付けました。")
    return redirect("gap_list")
