from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.confidentiality import review as masking
from tsunagu.confidentiality.access import privacy_settings
from tsunagu.lib.concurrency import add_refusal
from tsunagu.lib.fiscal import fiscal_year, fiscal_year_range, format_fiscal_year
from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx, paginate, search
from tsunagu.lib.params import parse_id, parse_int
from tsunagu.organizations.choices import Profession

from . import access, presets, services
from .choices import AttendanceRole, Status
from .content_rule import has_pledge
from .forms import (
    AdHocAttendeeForm,
    CloseForm,
    MeetingForm,
    MeetingTypeForm,
    MinutesForm,
    PlanForm,
    StatusForm,
)
from .models import Meeting, MeetingType


def requested_fiscal_year(request) -> int:
    chosen = parse_int(request.GET.get("fy"), low=1989, high=2100)
    return chosen if chosen is not None else fiscal_year(timezone.localdate())


def form_errors_to_messages(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


# 会議体 (catalogue)


@member_required("meetings.view")
def meeting_type_list(request):
    types = access.meeting_types_visible_to(request.member).select_related("host_organization")
    return render(
        request,
        "meetings/meeting_type_list.html",
        {
            "meeting_types": types,
            "may_edit": request.member.may("meeting_types.edit"),
            "presets": presets.available_presets(),
        },
    )


@member_required("meetings.view")
def meeting_type_detail(request, pk):
    meeting_type = access.meeting_type_for_user(request.member, pk)
    return render(
        request,
        "meetings/meeting_type_detail.html",
        {"meeting_type": meeting_type, "may_edit": request.member.may("meeting_types.edit")},
    )


@member_required("meetings.view")
def meeting_type_edit(request, pk=None):
    if pk is None:
        if not request.member.may("meeting_types.edit"):
            raise PermissionDenied("会議体を登録する権限がありません。")
        meeting_type = MeetingType(municipality=request.member.municipality)
    else:
        meeting_type = access.meeting_type_for_user(request.member, pk, write=True)
    form = MeetingTypeForm(
        request.POST or None, instance=meeting_type, municipality=request.member.municipality
    )
    if request.method == "POST" and form.is_valid():
        services.save_meeting_type(
            meeting_type=form.instance,
            by=request.user,
            request=request,
            standing_members=form.cleaned_data["standing_members"],
        )
        messages.success(request, f"会議体「{meeting_type}」を保存しました。")
        return redirect("meetings:meeting_type_detail", pk=meeting_type.pk)
    return render(
        request, "meetings/meeting_type_form.html", {"form": form, "meeting_type": meeting_type}
    )


@require_POST
@member_required("meeting_types.edit")
def meeting_type_load_preset(request):
    key = request.POST.get("preset", "")
    if key not in {preset[0] for preset in presets.available_presets()}:
        messages.error(request, "プリセットを選んでください。")
        return redirect("meetings:meeting_type_list")
    created, skipped = presets.load_preset(
        municipality=request.member.municipality, key=key, by=request.user, request=request
    )
    messages.success(
        request,
        f"プリセットから{created}件の会議体を登録しました"
        f"（同名で登録済みの{skipped}件はそのままです）。",
    )
    return redirect("meetings:meeting_type_list")


# 会議 (meetings)


WHEN = {"upcoming": "今後の会議", "past": "過去の会議", "year": "年度で見る"}


@member_required("meetings.view")
def meeting_list(request):
    """Opens on what is coming (today onward, soonest first); past meetings, newest first, and
    a whole 年度 are one click away."""
    member = request.member
    chosen_fy = parse_int(request.GET.get("fy"), low=1989, high=2100)
    when = request.GET.get("when", "")
    if when not in WHEN:
        when = "year" if chosen_fy is not None else "upcoming"
    fy = requested_fiscal_year(request)
    today = timezone.localdate()
    meetings = (
        access.meetings_visible_to(member)
        .select_related(
            "meeting_type", "center", "municipality", "meeting_type__host_organization", "area"
        )
        .annotate(present=Count("attendances", filter=Q(attendances__attended=True)))
        .with_case_count()
    )
    if when == "upcoming":
        meetings = meetings.filter(date__gte=today).order_by("date", "start_time", "id")
    elif when == "past":
        meetings = meetings.filter(date__lt=today).order_by("-date", "-start_time", "-id")
    else:
        start, end = fiscal_year_range(fy)
        meetings = meetings.filter(date__range=(start, end)).order_by("date", "start_time", "id")
    meetings = search(meetings, request.GET.get("q", ""), ["theme", "venue"])
    types = access.meeting_types_visible_to(member)
    centers = access.centers_of(member)
    filters = {"meeting_type": types, "center": centers}
    chosen = {}
    for key, choices in filters.items():
        value = parse_id(request.GET.get(key))
        if value is not None and choices.filter(pk=value).exists():
            if key == "meeting_type":
                meetings = meetings.filter(
                    Q(meeting_type_id=value) | Q(joint_meeting_types=value)
                ).distinct()
            else:
                meetings = meetings.filter(**{f"{key}_id": value})
            chosen[key] = value
    status = request.GET.get("status", "")
    if status in Status.values:
        meetings = meetings.filter(status=status)
    template = (
        "meetings/_meeting_results.html" if is_htmx(request) else "meetings/meeting_list.html"
    )
    return render(
        request,
        template,
        {
            "page": paginate(request, meetings),
            "fy": fy,
            "when": when,
            "tabs": WHEN,
            "when_label": WHEN[when],
            "fiscal_years": range(fy - 3, fy + 2),
            "meeting_types": types,
            "centers": centers,
            "chosen": chosen,
            "status": status,
            "statuses": Status.choices,
            "q": request.GET.get("q", ""),
            "may_schedule": member.may("meetings.edit_all")
            or member.may("meetings.edit_own_center"),
        },
    )


@member_required("meetings.view")
def meeting_detail(request, pk):
    member = request.member
    settings = privacy_settings(member.municipality_id)
    meeting, refusal = access.open_meeting_page(request, pk, settings)
    attendances = meeting.attendances.select_related("person")
    present = [a for a in attendances if a.attended]
    signatures, signed = access.pledge_status(meeting, attendances, settings.pledge_scope)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "attendances": attendances,
            "present_count": len(present),
            "professions_present": sorted({a.get_profession_display() for a in present}),
            "may_edit": access.may_organize_for(member, meeting.center),
            "refusal": refusal,
            "signatures": signatures,
            "signed": signed,
            "has_signed": meeting.meeting_type.handles_personal_info
            and has_pledge(member, meeting, settings.pledge_scope),
            "handouts": access.handouts_of(meeting),
            "standard_handouts": access.standard_handouts(meeting),
            "joint_types": meeting.joint_meeting_types.all(),
        },
    )


@member_required("meetings.view")
def meeting_edit(request, pk=None):
    member = request.member
    if pk is None:
        if not (member.may("meetings.edit_all") or member.may("meetings.edit_own_center")):
            raise PermissionDenied("会議を登録する権限がありません。")
        meeting = Meeting(municipality=member.municipality)
    else:
        meeting = access.meeting_for_user(member, pk, write=True)
    form = MeetingForm(request.POST or None, instance=meeting, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_meeting(
                meeting=form.instance,
                by=request.user,
                request=request,
                fingerprint=form.seen_fingerprint,
                joint_types=form.joint_types,
            )
            messages.success(request, f"「{meeting}」を保存しました。")
            return redirect("meetings:meeting_detail", pk=meeting.pk)
        except ValidationError as error:
            add_refusal(form, error)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@member_required("meetings.view")
def meeting_attendance(request, pk):
    """Invite from the directory (searched, filtered by profession), invite the body's 構成員 at
    once, add someone not in the directory, and (after the meeting) tick who was present."""
    meeting = access.meeting_for_user(request.member, pk, write=True)
    form = AdHocAttendeeForm()
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "add":
        form = AdHocAttendeeForm(request.POST)
        if form.is_valid():
            try:
                services.add_attendee(
                    meeting=meeting, attendance=form.instance, by=request.user, request=request
                )
                messages.success(request, f"{form.instance.name}さんを追加しました。")
                return redirect("meetings:meeting_attendance", pk=pk)
            except ValidationError as error:
                form.add_error(None, ValidationError(error.messages))
    elif action == "invite":
        ids = {parse_id(v) for v in request.POST.getlist("person")} - {None}
        people = access.people_by_ids(meeting, ids)
        if not people:
            messages.error(request, "招待する人を選んでください。")
        else:
            try:
                added = services.invite_people(
                    meeting=meeting,
                    people=people,
                    role=request.POST.get("role", AttendanceRole.ADVISER),
                    by=request.user,
                    request=request,
                )
                messages.success(request, f"{added}名を招待しました。")
            except ValidationError as error:
                form_errors_to_messages(request, error)
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    elif action == "standing":
        try:
            added = services.invite_standing_members(
                meeting=meeting, by=request.user, request=request
            )
            messages.success(request, f"構成員{added}名を招待しました（登録済みの人は除く）。")
        except ValidationError as error:
            form_errors_to_messages(request, error)
        return redirect("meetings:meeting_attendance", pk=pk)
    elif action == "present":
        ids = {parse_id(v) for v in request.POST.getlist("present")} - {None}
        roles = {
            pk: request.POST[key]
            for key in request.POST
            if key.startswith("role-") and (pk := parse_id(key.removeprefix("role-")))
        }
        try:
            services.record_attendance(
                meeting=meeting, present_ids=ids, roles=roles, by=request.user, request=request
            )
            messages.success(request, "出席を記録しました。")
        except ValidationError as error:
            form_errors_to_messages(request, error)
        return redirect("meetings:meeting_attendance", pk=pk)
    query = request.GET.get("q", "")
    profession = request.GET.get("profession", "")
    if profession not in Profession.values:
        profession = ""
    candidates = access.people_to_invite(meeting, query=query, profession=profession)
    context = {
        "meeting": meeting,
        "form": form,
        "attendances": meeting.attendances.select_related("person"),
        "page": paginate(request, candidates),
        "q": query,
        "profession": profession,
        "professions": Profession.choices,
        "roles": AttendanceRole.choices,
        "invite_role": AttendanceRole.ADVISER,
        "standing": access.standing_members_of(meeting).count(),
        "query": request.GET.urlencode(),
    }
    if is_htmx(request):
        return render(request, "meetings/_invite_picker.html", context)
    return render(request, "meetings/meeting_attendance.html", context)


@member_required("meetings.view")
def attendance_remove(request, pk, attendance_pk):
    """Asks first (GET), then takes the attendee off the list (POST)."""
    meeting = access.meeting_for_user(request.member, pk, write=True)
    attendance = access.attendance_of(meeting, attendance_pk)
    if request.method != "POST":
        return render(
            request,
            "meetings/attendance_remove.html",
            {"meeting": meeting, "attendance": attendance},
        )
    try:
        services.remove_attendee(attendance=attendance, by=request.user, request=request)
        messages.success(request, f"{attendance.name}さんを一覧から外しました。")
    except ValidationError as error:
        form_errors_to_messages(request, error)
    return redirect("meetings:meeting_attendance", pk=pk)


@member_required("meetings.view")
def meeting_minutes(request, pk):
    meeting = access.open_meeting_content(request, pk, write=True)
    form = MinutesForm(request.POST or None, instance=meeting)
    reviews = None
    if request.method == "POST" and form.is_valid():
        reviews = masking.apply_choice(request, form, ["minutes", "decisions"])
    if request.method == "POST" and form.is_valid() and reviews is None:
        try:
            services.save_minutes(
                meeting=form.instance,
                by=request.user,
                request=request,
                fingerprint=form.seen_fingerprint,
            )
            messages.success(request, "議事録を保存しました。")
            return redirect("meetings:meeting_detail", pk=pk)
        except ValidationError as error:
            add_refusal(form, error)
    return render(
        request,
        "meetings/meeting_minutes.html",
        {"form": form, "meeting": meeting, "reviews": reviews},
    )


@member_required("meetings.view")
def meeting_close(request, pk):
    meeting = access.open_meeting_content(request, pk, write=True)
    form = CloseForm(request.POST or None, initial={"cases_reviewed": meeting.case_total})
    reviews = None
    if request.method == "POST" and form.is_valid():
        reviews = masking.apply_choice(request, form, ["summary"])
    if request.method == "POST" and form.is_valid() and reviews is None:
        try:
            services.close_meeting(
                meeting=meeting,
                summary=form.cleaned_data["summary"],
                cases_reviewed=form.cleaned_data["cases_reviewed"],
                by=request.user,
                request=request,
            )
            messages.success(request, "開催結果を記録し、実施済として確定しました。")
            return redirect("meetings:meeting_detail", pk=pk)
        except ValidationError as error:
            form.add_error(None, error)
    present = meeting.attendances.filter(attended=True)
    return render(
        request,
        "meetings/meeting_close.html",
        {
            "form": form,
            "meeting": meeting,
            "present": present,
            "professions_present": sorted({a.get_profession_display() for a in present}),
            "problems": services.closing_problems(meeting),
            "reviews": reviews,
        },
    )


@member_required("meetings.view")
def meeting_status(request, pk):
    meeting = access.meeting_for_user(request.member, pk, write=True)
    form = StatusForm(request.POST or None, initial={"status": meeting.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_status(
                meeting=meeting,
                status=form.cleaned_data["status"],
                by=request.user,
                request=request,
            )
            messages.success(request, f"状態を「{meeting.get_status_display()}」にしました。")
            return redirect("meetings:meeting_detail", pk=pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "meetings/meeting_status.html", {"form": form, "meeting": meeting})


# 年間計画 (annual plan)


@member_required("meetings.view_all")
def plan(request):
    member = request.member
    fy = requested_fiscal_year(request)
    types = list(access.meeting_types_visible_to(member).filter(is_active=True))
    centers = [
        None,
        *access.centers_of(member).select_related("area"),
    ]
    existing = {
        (e.meeting_type_id, e.center_id): e.planned_count
        for e in access.plan_entries_visible_to(member).filter(fiscal_year=fy)
    }
    rows, cells = [], {}
    for center in centers:
        row = []
        for meeting_type in types:
            key = f"c{center.pk if center else 0}_t{meeting_type.pk}"
            hostable = meeting_type.host_problem(center) is None
            editable = hostable and access.may_edit_plan(member, center)
            count = existing.get((meeting_type.pk, center.pk if center else None))
            if editable:
                cells[key] = (meeting_type, center, count)
            row.append({"key": key, "hostable": hostable, "editable": editable, "count": count})
        rows.append((center, row))
    if request.method == "POST" and not cells:
        raise PermissionDenied("年間計画を変更する権限がありません。")
    form = PlanForm(request.POST or None, cells=cells)
    if request.method == "POST" and form.is_valid():
        changed = services.save_plan(
            municipality=member.municipality,
            fiscal_year=fy,
            counts=form.counts(),
            by=request.user,
            request=request,
        )
        messages.success(
            request, f"{format_fiscal_year(fy)}の年間計画を保存しました（{changed}件の変更）。"
        )
        return redirect(f"{request.path}?fy={fy}")
    return render(
        request,
        "meetings/plan.html",
        {
            "form": form,
            "fy": fy,
            "types": types,
            "rows": rows,
            "editable": bool(cells),
            "fiscal_years": range(fy - 3, fy + 2),
        },
    )
