"""Needs (ニーズ) and matching them, from a need or from a case, and the gaps between the
needs recorded and the resources there are."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx, paginate
from tsunagu.lib.params import parse_id
from tsunagu.organizations.access import visible_to as directory_visible_to
from tsunagu.organizations.models import Area

from . import access, matching, services
from .choices import NeedStatus, ResourceKind
from .forms import (
    MatchForm,
    NeedForm,
)
from .models import Need

VIEW, EDIT = access.VIEW, access.EDIT


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
        return redirect("resources:need_match", pk=need.pk)
    return render(
        request,
        "resources/need_form.html",
        {
            "form": form,
            "row": need,
            "cancel_url": reverse("resources:need_match", args=[pk])
            if pk
            else reverse("resources:need_list"),
        },
    )


@member_required(VIEW)
def need_meeting_options(request):
    """The need form's meeting list again, for the 圏域 and search typed (htmx): the
    choice made stays when it is still listed."""
    member = request.member
    access.require_edit(member)
    form = NeedForm(
        instance=Need(municipality=member.municipality),
        member=member,
        initial={"area": request.GET.get("area"), "meeting": request.GET.get("meeting")},
        meeting_search=request.GET.get("meeting_q", ""),
    )
    return render(request, "resources/_need_meeting_select.html", {"field": form["meeting"]})


@member_required(VIEW)
def need_match(request, pk):
    """From a need: resources of its kind, in or near its area, on the days it wants."""
    need = access.need_for_matching(request.member, pk)
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
    """One action: the gap at (area, kind) becomes a community issue (or joins its issue).
    Offered on a need's page too; the user goes back there (`need`), where the need now
    links to the issue, not to the gap list they did not come from."""
    member = request.member
    if not member.may("issues.edit"):
        raise PermissionDenied("地域課題を登録する権限がありません。")
    area = access.area_of(member, parse_id(request.POST.get("area")) or 0)
    need_id = parse_id(request.POST.get("need"))
    # need_match checks the need is the member's to see; nothing of it is read here.
    back = (
        reverse("resources:need_match", args=[need_id])
        if need_id
        else reverse("resources:gap_list")
    )
    kind = request.POST.get("kind", "")
    if kind not in ResourceKind.values:
        messages.error(request, "種別を選んでください。")
        return redirect(back)
    try:
        issue, created = services.open_gap_issue(
            municipality=member.municipality, area=area, kind=kind, by=request.user, request=request
        )
    except services.NoGap as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if created:
        messages.success(request, f"地域課題「{issue}」を登録しました。")
    else:
        messages.info(request, f"この不足のニーズを地域課題「{issue}」に結び付けました。")
    return redirect(back)
