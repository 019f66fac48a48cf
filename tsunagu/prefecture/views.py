from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.lib.downloads import XLSX, attachment
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.lib.gate import member_required
from tsunagu.lib.params import parse_int
from tsunagu.meetings.access import meeting_for_user
from tsunagu.meetings.choices import Category

from . import access, exports, overview, records, services
from .access import prefecture_required
from .choices import AssignmentStatus, RequestStatus
from .dashboard import adviser_dashboard, pool_rows, prefecture_summary, request_page
from .forms import (
    AdviserForm,
    AnswerForm,
    AssignForm,
    AttendeeForm,
    DispatchRequestForm,
    OwnAvailabilityForm,
    PrefectureMemberForm,
    ReasonForm,
    TrainingForm,
)
from .models import AdviserProfile, PrefectureMembership, TrainingAttendee


def report_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def posted_reason(request) -> str:
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


def requested_fy(request) -> int:
    year = parse_int(request.GET.get("fy"), low=1989, high=2100)
    return year if year is not None else fiscal_year(timezone.localdate())


# The prefecture's pages


@prefecture_required("dispatch.view")
def home(request):
    return render(
        request, "prefecture/home.html", {"pref": request.pref, **prefecture_summary(request.pref)}
    )


@prefecture_required("pool.view")
def adviser_list(request):
    return render(
        request,
        "prefecture/adviser_list.html",
        {"pref": request.pref, "rows": pool_rows(request.pref)},
    )


@prefecture_required("pool.edit")
def adviser_create(request):
    associations = access.associations_kept_by(request.pref)
    first = associations[0] if associations else ""
    return adviser_form(
        request, AdviserProfile(prefecture=request.pref.prefecture, association=first), associations
    )


@prefecture_required("pool.view")
def adviser_edit(request, pk):
    adviser = access.adviser_for(request.pref, pk, write=True)
    return adviser_form(request, adviser, access.associations_kept_by(request.pref))


def adviser_form(request, adviser, associations: list[str] | None):
    """`associations`: those a coordinator keeps, one of which the adviser belongs to (None
    for the staff, who choose freely)."""
    prefecture = request.pref.prefecture
    form = AdviserForm(
        request.POST or None, instance=adviser, prefecture=prefecture, associations=associations
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_adviser(
                adviser=form.instance,
                username=form.cleaned_data.get("username", ""),
                municipalities=form.cleaned_data["municipalities"],
                areas=form.cleaned_data["areas"],
                associations=associations,
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.instance.name}さんを登録しました。")
            return redirect("prefecture:pref_adviser_list")
    return render(request, "prefecture/adviser_form.html", {"form": form, "adviser": adviser})


@prefecture_required("dispatch.view")
def request_list(request):
    requests = access.requests_visible_to(request.pref).prefetch_related("assignments__adviser")
    return render(
        request,
        "prefecture/request_list.html",
        {
            "open": requests.filter(status__in=[RequestStatus.OPEN, RequestStatus.ASSIGNED]),
            "decided": requests.filter(
                status=RequestStatus.ACCEPTED, meeting__date__gte=timezone.localdate()
            ),
        },
    )


@prefecture_required("dispatch.view")
def request_detail(request, pk):
    found = access.request_for(request.pref, pk)
    return render(
        request,
        "prefecture/request_detail.html",
        {"pref": request.pref, **request_page(found), "reason_form": ReasonForm()},
    )


@require_POST
@prefecture_required("dispatch.view")
def request_assign(request, pk):
    found = access.request_for(request.pref, pk, write=True)
    form = AssignForm(request.POST)
    adviser = (
        form.is_valid()
        and access.advisers_visible_to(request.pref).filter(pk=form.cleaned_data["adviser"]).first()
    )
    if not adviser:
        messages.error(request, "アドバイザーを選んでください。")
        return redirect("prefecture:pref_request_detail", pk)
    try:
        services.assign(dispatch_request=found, adviser=adviser, by=request.user, request=request)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, f"{adviser.name}さんに依頼しました。回答を待っています。")
    return redirect("prefecture:pref_request_detail", pk)


@require_POST
@prefecture_required("dispatch.view")
def assignment_withdraw(request, pk):
    assignment = access.assignment_for(request.pref, pk)
    reason = posted_reason(request)
    try:
        services.withdraw_assignment(
            assignment=assignment, reason=reason, by=request.user, request=request
        )
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, "割当を取り消しました。依頼は調整中に戻りました。")
    return redirect("prefecture:pref_request_detail", assignment.request_id)


@prefecture_required("records.view")
def records_view(request):
    fy = requested_fy(request)
    prefecture = request.pref.prefecture
    by_municipality = records.by_municipality(prefecture, fy)
    by_adviser = records.by_adviser(prefecture, fy)
    return render(
        request,
        "prefecture/records.html",
        {
            "fy": fy,
            "months": records.month_headings(fy),
            "by_municipality": by_municipality,
            "municipality_totals": records.column_totals(by_municipality),
            "by_adviser": by_adviser,
            "adviser_totals": records.column_totals(by_adviser),
        },
    )


@prefecture_required("records.view")
def records_xlsx(request):
    fy = requested_fy(request)
    prefecture = request.pref.prefecture
    body = exports.to_xlsx(
        prefecture,
        fy,
        records.by_municipality(prefecture, fy),
        records.by_adviser(prefecture, fy),
    )
    return attachment(body, XLSX, f"dispatch-{prefecture.code}-{fy}.xlsx")


@prefecture_required("training.view")
def training_list(request):
    return render(
        request,
        "prefecture/training_list.html",
        {
            "pref": request.pref,
            "trainings": access.trainings_visible_to(request.pref).prefetch_related("attendees"),
        },
    )


@prefecture_required("training.edit")
def training_create(request):
    form = TrainingForm(request.POST or None)
    form.instance.prefecture = request.pref.prefecture
    if request.method == "POST" and form.is_valid():
        training = services.save_training(training=form.instance, by=request.user, request=request)
        messages.success(request, "研修を登録しました。")
        return redirect("prefecture:pref_training_detail", training.pk)
    return render(request, "prefecture/training_form.html", {"form": form})


@prefecture_required("training.view")
def training_detail(request, pk):
    training = access.training_for(request.pref, pk, write=request.method == "POST")
    form = AttendeeForm(
        request.POST or None, instance=TrainingAttendee(), prefecture=training.prefecture
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_training_attendee(
                training=training, attendee=form.instance, by=request.user, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.instance.name}さんを登録しました。")
            return redirect("prefecture:pref_training_detail", pk)
    return render(
        request,
        "prefecture/training_detail.html",
        {
            "pref": request.pref,
            "training": training,
            "attendees": training.attendees.select_related("person__municipality"),
            "form": form,
        },
    )


@prefecture_required("overview.view")
def overview_view(request):
    fy = requested_fy(request)
    prefecture = request.pref.prefecture
    rows = overview.comparison(prefecture, fy)
    return render(
        request,
        "prefecture/overview.html",
        {
            "fy": fy,
            "issues": overview.raised_issues(prefecture),
            "rows": rows,
            "totals": overview.totals(rows),
            "categories": Category.choices,
        },
    )


@prefecture_required("members.manage")
def member_list(request):
    """The prefecture's people, and naming another (a coordinator's association, say)."""
    form = PrefectureMemberForm(
        request.POST or None,
        instance=PrefectureMembership(prefecture=request.pref.prefecture),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_prefecture_member(
                membership=form.instance,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "登録しました。")
            return redirect("prefecture:pref_member_list")
    return render(
        request,
        "prefecture/member_list.html",
        {"members": access.members_managed_by(request.pref), "form": form},
    )


# The adviser's own pages


def adviser_home(request):
    return render(request, "prefecture/adviser_home.html", adviser_dashboard(request.user))


@require_POST
def adviser_answer(request, pk):
    assignment = access.assignment_to_answer(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("prefecture:adviser_home")
    accept = form.cleaned_data["answer"] == "accept"
    try:
        services.answer(
            assignment=assignment,
            accept=accept,
            reason=form.cleaned_data["reason"],
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(
            request,
            "承諾しました。会議の出席者に登録されました。"
            if accept
            else "辞退を伝えました。調整担当者が別の方を探します。",
        )
    return redirect("prefecture:adviser_home")


def adviser_availability(request):
    """The professional's own profile (name, affiliation, where they can go) and
    availability; profession and association stay with the pool's editors."""
    adviser = access.own_profiles(request.user).first()
    form = (
        OwnAvailabilityForm(request.POST or None, instance=adviser, prefecture=adviser.prefecture)
        if adviser
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.save_own_availability(
                adviser=form.instance,
                municipalities=form.cleaned_data["municipalities"],
                areas=form.cleaned_data["areas"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "自分の登録と対応できる日時を更新しました。")
            return redirect("prefecture:adviser_home")
    return render(
        request, "prefecture/adviser_availability.html", {"form": form, "adviser": adviser}
    )


# The municipality's side


@member_required("meetings.view")
def dispatch_request_create(request, pk):
    meeting = meeting_for_user(request.member, pk, write=True)
    form = DispatchRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_dispatch(
                meeting=meeting,
                profession=form.cleaned_data["profession"],
                note=form.cleaned_data["note"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "県に専門職の派遣を依頼しました。")
            return redirect("prefecture:dispatch_request_create", pk)
    return render(
        request,
        "prefecture/dispatch_request_form.html",
        {
            "meeting": meeting,
            "form": form,
            "requests": access.requests_for_meeting(request.member, meeting),
            "prefecture": access.prefecture_of(meeting.municipality),
            "live": [AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED],
        },
    )


@require_POST
@member_required("meetings.view")
def dispatch_request_cancel(request, pk):
    found = access.request_for_member(request.member, pk)
    reason = posted_reason(request)
    try:
        services.cancel_request(
            dispatch_request=found, reason=reason, by=request.user, request=request
        )
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, "派遣の依頼を取り消しました。")
    return redirect("prefecture:dispatch_request_create", found.meeting_id)
