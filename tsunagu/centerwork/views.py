"""Pages for a center's records: consultations, events, outreach, volunteers, advice."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.cases.models import Case
from tsunagu.lib import tabular
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import paginate
from tsunagu.lib.tabular.flow import ImportFlow

from . import access, importing, reporting, services
from .forms import (
    ActivityForm,
    CaseStartForm,
    ConsultationForm,
    ContactForm,
    EventForm,
    GuidanceForm,
    ImportForm,
    TargetsUploadForm,
    VisitForm,
    VolunteerForm,
)
from .models import Consultation, Event, Guidance, OutreachVisit, Volunteer


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@member_required("business.view")
def business_home(request):
    """This 年度 at a glance: progress against the plan's targets, red where behind."""
    member = request.member
    fy = fiscal_year(timezone.localdate())
    centers = list(access.centers_for(member))
    progress = reporting.year_progress(member.municipality, fy, centers)
    return render(
        request,
        "centerwork/home.html",
        {
            "fiscal_year": fy,
            "rows": [(center, progress[center.pk]) for center in centers],
            "coordinators": [
                c
                for c in reporting.coordinator_checks(member.municipality)
                if c.problems and c.center in centers
            ],
        },
    )


@member_required("business.records")
def consultation_list(request):
    rows = access.consultations_visible_to(request.member).select_related("center")
    rows = rows.prefetch_related("categories")
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(person_ref__icontains=q)
    return render(
        request,
        "centerwork/consultation_list.html",
        {
            "page": paginate(request, rows),
            "q": q,
            "may_record": access.may_change_center(request.member, request.member.center_id),
        },
    )


@member_required("business.edit")
def consultation_create(request):
    center = access.own_center(request.member)
    return _consultation_form(
        request, Consultation(municipality=request.member.municipality, center=center)
    )


@member_required("business.edit")
def consultation_edit(request, pk):
    return _consultation_form(request, access.open_consultation(request, pk, write=True))


def _consultation_form(request, consultation):
    """The one form for a new consultation and for changing one (shown through the gate)."""
    new = consultation.pk is None
    categories = services.categories_of(request.member.municipality)
    form = ConsultationForm(request.POST or None, instance=consultation, categories=categories)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["categories"])
        try:
            if new:
                consultation = services.record_consultation(
                    consultation=form.instance, categories=chosen, by=request.user, request=request
                )
            else:
                services.update_consultation(
                    consultation=form.instance,
                    categories=chosen,
                    changed=form.changed_data,
                    by=request.user,
                    request=request,
                )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request, "相談を記録しました。" if new else "相談の記録を更新しました。"
            )
            return redirect("centerwork:consultation_detail", consultation.pk)
    return render(
        request,
        "centerwork/consultation_form.html",
        {"form": form, "consultation": None if new else consultation},
    )


@member_required("business.records")
def consultation_detail(request, pk):
    """The record, its contacts in continuing support, and the step to a case. Every look is
    audited (by the gate, once per page shown)."""
    consultation = access.open_consultation(request, pk)
    may_change = access.may_change_center(request.member, consultation.center_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied(access.NOT_YOURS)
        if form.is_valid():
            services.add_contact(
                consultation=consultation, contact=form.instance, by=request.user, request=request
            )
            messages.success(request, "継続支援の記録を追加しました。")
            return redirect("centerwork:consultation_detail", consultation.pk)
    categories = list(consultation.categories.all())
    return render(
        request,
        "centerwork/consultation_detail.html",
        {
            "consultation": consultation,
            "categories": categories,
            "contacts": consultation.contacts.all(),
            "form": form,
            "may_change": may_change,
            "case_form": CaseStartForm()
            if may_change
            and consultation.case_id is None
            and any(c.leads_to_case for c in categories)
            else None,
        },
    )


@require_POST
@member_required("business.edit")
def consultation_to_case(request, pk):
    consultation = access.consultation_for_user(request.member, pk, write=True)
    form = CaseStartForm(
        request.POST,
        instance=Case(municipality=consultation.municipality, center=consultation.center),
    )
    if not form.is_valid():
        messages.error(request, "年齢・性別・要介護度・世帯を選んでください。")
        return redirect("centerwork:consultation_detail", consultation.pk)
    try:
        case = services.consultation_to_case(
            consultation=consultation, case=form.instance, by=request.user, request=request
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect("centerwork:consultation_detail", consultation.pk)
    messages.success(request, f"{case}（下書き）を作りました。")
    return redirect("cases:case_detail", case.pk)


def _parse_upload(member, staged: tabular.Staged):
    result = importing.parse(
        importing.read_upload(staged.path, staged.filename),
        municipality=member.municipality,
        kind=staged.meta["kind"],
    )
    if not access.may_import_any_center(member):
        # A center imports its own logs; the city may import any center's.
        for r in result.rows:
            if r["center"].pk != member.center_id:
                result.problems.add(r["row"], "センター", "自センター以外の行は取り込めません。")
        result.problems.sort(key=lambda p: p.row)
    return result


def _may_import(request):
    if not access.may_import_any_center(request.member):
        access.own_center(request.member)


# Upload → preview with every problem → confirm (the file is read again on confirm).
IMPORT = ImportFlow(
    key="centerwork:business_import",
    path="tsunagu.centerwork.views.IMPORT",
    permission="business.records",
    title="総合相談・講座の記録の取り込み",
    form_class=ImportForm,
    page_template="centerwork/import.html",
    parse=_parse_upload,
    save=services.import_records,
    done_message="{count}件を取り込みました。",
    done_url="centerwork:business_home",
    limits=importing.LIMITS,
    templates=importing.template_sheets,
    template_filename="center_records_import",
    check=_may_import,
)

business_import, business_import_template, business_import_job = IMPORT.views()


@member_required("business.view")
def event_list(request):
    member = request.member
    may_record = access.may_change_center(member, member.center_id)
    center = access.own_center(member) if request.method == "POST" else member.center
    form = EventForm(
        request.POST or None, instance=Event(municipality=member.municipality, center=center)
    )
    if request.method == "POST" and form.is_valid():
        form.instance.headcount = form.cleaned_data["headcount_text"]
        try:
            services.record_event(event=form.instance, by=request.user, request=request)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, "講座・行事を記録しました。")
            return redirect("centerwork:event_list")
    events = access.events_visible_to(member)
    return render(
        request,
        "centerwork/event_list.html",
        {
            "page": paginate(request, events.select_related("center")),
            "form": form if may_record else None,
            "my_center": member.center_id if may_record else None,
        },
    )


@member_required("business.records")
def outreach(request):
    """The year's 実態把握 / 介護予防把握 lists and visits, with progress against the target."""
    member = request.member
    may_record = access.may_change_center(member, member.center_id)
    action = request.POST.get("action")
    # Both forms have a 事業 field: prefixes keep their ids apart.
    upload = TargetsUploadForm(
        request.POST if action == "targets" else None,
        request.FILES if action == "targets" else None,
        prefix="targets",
    )
    target_problems = None
    center = access.own_center(member) if request.method == "POST" else member.center
    visit = VisitForm(
        request.POST if action == "visit" else None,
        instance=OutreachVisit(municipality=member.municipality, center=center),
        prefix="visit",
    )
    if request.method == "POST":
        if action == "targets" and upload.is_valid():
            data = upload.cleaned_data
            try:
                parsed = importing.parse_targets(
                    importing.read_targets(data["file"], data["file"].name),
                    source_list=data["source_list"],
                )
            except tabular.UnreadableFile as error:
                upload.add_error("file", str(error))
            else:
                if parsed.ok:
                    n = services.add_targets(
                        center=center,
                        fiscal_year=data["fiscal_year"],
                        kind=data["kind"],
                        source_list=data["source_list"],
                        refs=[ref for _, ref, _ in parsed.rows],
                        source_lists={ref: chosen for _, ref, chosen in parsed.rows},
                        by=request.user,
                        request=request,
                    )
                    skipped = len(parsed.rows) - n
                    messages.success(
                        request,
                        f"{n}人を対象者リストに加えました。"
                        + (f"（{skipped}人はすでにリストにあります）" if skipped else ""),
                    )
                    return redirect("centerwork:outreach")
                target_problems = parsed.problems
                upload.add_error(
                    "file",
                    "ファイルに問題があるため、1件も取り込んでいません。下の一覧を直してください。",
                )
        if action == "visit" and visit.is_valid():
            try:
                services.record_visit(visit=visit.instance, by=request.user, request=request)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, "訪問を記録しました。")
                return redirect("centerwork:outreach")
    fy = fiscal_year(timezone.localdate())
    targets, visits = access.outreach_visible_to(member)
    centers = list(access.centers_for(member))
    progress = reporting.year_progress(member.municipality, fy, centers)
    return render(
        request,
        "centerwork/outreach.html",
        {
            "fiscal_year": fy,
            "targets": reporting.target_counts(targets.filter(fiscal_year=fy)),
            "visits": paginate(request, visits.select_related("center", "target")),
            "progress": [
                (c, [p for p in progress[c.pk] if p.item in ("outreach", "watch_households")])
                for c in centers
            ],
            "upload": upload if may_record else None,
            "my_center": member.center_id if may_record else None,
            "target_problems": target_problems,
            "visit_form": visit if may_record else None,
        },
    )


@member_required("business.view")
def volunteer_list(request):
    """The register, activities and points (特別対策 (6),(7))."""
    member = request.member
    may_record = access.may_change_center(member, member.center_id)
    mine = access.volunteers_visible_to(member).filter(center_id=member.center_id)
    action = request.POST.get("action")
    center = access.own_center(member) if request.method == "POST" else member.center
    register = VolunteerForm(
        request.POST if action == "register" else None,
        instance=Volunteer(municipality=member.municipality, center=center),
    )
    activity = ActivityForm(request.POST if action == "activity" else None, volunteers=mine)
    if request.method == "POST":
        form = register if action == "register" else activity
        if form.is_valid():
            try:
                if action == "register":
                    services.register_volunteer(
                        volunteer=form.instance, by=request.user, request=request
                    )
                else:
                    services.record_activity(
                        activity=form.instance, by=request.user, request=request
                    )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, "記録しました。")
                return redirect("centerwork:volunteer_list")
    fy = fiscal_year(timezone.localdate())
    return render(
        request,
        "centerwork/volunteer_list.html",
        {
            "fiscal_year": fy,
            "volunteers": reporting.volunteer_points(access.volunteers_visible_to(member), fy),
            "activities": paginate(
                request,
                access.activities_visible_to(member)
                .filter(volunteer__center_id=member.center_id)
                .select_related("volunteer")
                .order_by("-done_on", "-pk"),
            )
            if may_record
            else None,
            "my_center": member.center_id if may_record else None,
            "register": register if may_record else None,
            "activity": activity if may_record else None,
        },
    )


@member_required("business.view")
def coordinator_check(request):
    return render(
        request,
        "centerwork/coordinators.html",
        {"checks": reporting.coordinator_checks(request.member.municipality)},
    )


@member_required("business.view")
def guidance_list(request):
    """基幹型's 指導・助言 to each center (seed 001 §3 (4))."""
    member = request.member
    centers = access.centers_for(member)
    form = GuidanceForm(
        request.POST or None, centers=centers, instance=Guidance(municipality=member.municipality)
    )
    if request.method == "POST":
        if not member.may("business.advise"):
            raise PermissionDenied("指導・助言を記録できるのは基幹型センターの職員です。")
        if form.is_valid():
            services.record_guidance(guidance=form.instance, by=request.user, request=request)
            messages.success(request, "指導・助言を記録しました。")
            return redirect("centerwork:guidance_list")
    rows = access.guidance_visible_to(member).select_related("center", "given_by")
    return render(
        request,
        "centerwork/guidance_list.html",
        {
            "page": paginate(request, rows),
            "form": form if member.may("business.advise") else None,
        },
    )


# Changing and deleting an event, a visit, a volunteer or an activity (own center only; a
# month already reported stays as reported).

RECORD_PAGES = {
    "event": ("講座・行事", "centerwork:event_list"),
    "visit": ("訪問の記録", "centerwork:outreach"),
    "volunteer": ("ボランティアの登録", "centerwork:volunteer_list"),
    "activity": ("活動とポイントの記録", "centerwork:volunteer_list"),
}


def _record_form(request, kind, row):
    data = request.POST or None
    if kind == "event":
        form = EventForm(data, instance=row)
        form.fields["headcount_text"].initial = "、".join(
            f"{label} {n}" for label, n in row.headcount.items()
        )
        return form
    if kind == "visit":
        return VisitForm(data, instance=row)
    if kind == "volunteer":
        return VolunteerForm(data, instance=row)
    mine = access.volunteers_visible_to(request.member).filter(center_id=request.member.center_id)
    return ActivityForm(data, instance=row, volunteers=mine)


@member_required("business.edit")
def record_edit(request, pk, kind):
    row = access.record_for_user(request.member, kind, pk)
    before = services.day_of(row)
    form = _record_form(request, kind, row)
    title, back = RECORD_PAGES[kind]
    if request.method == "POST" and form.is_valid():
        if kind == "event":
            row.headcount = form.cleaned_data["headcount_text"]
        try:
            services.change_record(
                row=form.instance,
                before=before,
                changed=form.changed_data,
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{title}を更新しました。")
            return redirect(back)
    return render(
        request,
        "centerwork/record_form.html",
        {
            "form": form,
            "row": row,
            "title": title,
            "back": back,
            "delete_url": reverse(f"centerwork:{kind}_delete", args=[row.pk]),
        },
    )


@member_required("business.edit")
def record_delete(request, pk, kind):
    row = access.record_for_user(request.member, kind, pk)
    title, back = RECORD_PAGES[kind]
    if request.method == "POST":
        try:
            services.delete_record(row=row, by=request.user, request=request)
        except ValidationError as error:
            _errors(request, error)
            return redirect(f"centerwork:{kind}_edit", pk)
        messages.success(request, f"{title}「{row}」を削除しました。")
        return redirect(back)
    return render(
        request,
        "centerwork/confirm_delete.html",
        {"row": row, "title": title, "cancel_url": reverse(f"centerwork:{kind}_edit", args=[pk])},
    )
