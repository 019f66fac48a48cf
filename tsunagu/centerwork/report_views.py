"""Pages of the reports to the city: the monthly report, the plan and the year's report."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.lib import document_cache
from tsunagu.lib.background import result_of
from tsunagu.lib.document_jobs import job_page, pdf_download
from tsunagu.lib.downloads import XLSX, attachment
from tsunagu.lib.fiscal import fiscal_year, format_fiscal_year
from tsunagu.lib.gate import member_required

from . import access, exports, reporting, services, tasks
from .choices import SubmissionKind, TargetItem
from .forms import CategoryForm, DecisionForm, RemarksForm, SettingsForm, TargetsForm
from .models import month_bounds


def _month(request) -> datetime.date:
    return reporting.parse_month(
        request.GET.get("month"), reporting.previous_month(timezone.localdate())
    )


@member_required("business.view")
def monthly_overview(request):
    """Every center's status for the month and the city-wide table."""
    first = _month(request)
    statuses, table, title = reporting.monthly_report(request.member, first)
    return render(
        request,
        "centerwork/monthly.html",
        {
            "month": first,
            "month_text": f"{first:%Y-%m}",
            "previous": f"{reporting.previous_month(first):%Y-%m}",
            "next": f"{month_bounds(first.year, first.month)[1]:%Y-%m}",
            "title": title,
            "statuses": statuses,
            "page": exports.transposed(table, per_page=len(table))[0],
            "may_open": access.may_change_center(request.member, request.member.center_id),
        },
    )


@member_required("business.view")
def monthly_xlsx(request):
    first = _month(request)
    statuses, table, title = reporting.monthly_report(request.member, first)
    overdue = {r.center.name for r in statuses if r.overdue}
    body = exports.to_xlsx(title, table, overdue)
    return attachment(body, XLSX, f"monthly-{first:%Y-%m}.xlsx")


@member_required("business.view")
def monthly_pdf(request):
    """The city-wide month in A4 (8 centers across a page): the kept file while its figures are
    unchanged, otherwise the page that asks a worker to lay it out (docs/performance.md)."""
    first = _month(request)
    _statuses, table, title = reporting.monthly_report(request.member, first)
    municipality = request.member.municipality
    html = exports.monthly_pdf_html(title, table, municipality)
    kept = document_cache.kept_pdf(municipality.pk, exports.monthly_pdf_name(first), html)
    if kept is not None:
        return attachment(kept, "application/pdf", f"{exports.monthly_pdf_name(first)}.pdf")
    return render(
        request,
        "centerwork/monthly_pdf_request.html",
        {"month": first, "month_text": f"{first:%Y-%m}", "title": title},
    )


@require_POST
@member_required("business.view")
def monthly_pdf_make(request):
    first = reporting.parse_month(request.POST.get("month"), _month(request))
    result = tasks.monthly_pdf.enqueue(
        request.member.municipality_id, request.member.pk, f"{first:%Y-%m}"
    )
    return redirect("centerwork:monthly_pdf_job", pk=result.id)


def monthly_job(request, pk):
    # The member's own job: the table was laid out with the centers they may see.
    return result_of(tasks.monthly_pdf, request.member.municipality_id, pk, asked_by=request.member)


@member_required("business.view")
def monthly_pdf_job(request, pk):
    result = monthly_job(request, pk)
    return job_page(
        request,
        result,
        title="月次報告（PDF）",
        job_url="centerwork:monthly_pdf_job",
        download_url="centerwork:monthly_pdf_job_download",
        back_url=f"{reverse('centerwork:monthly_overview')}?month={result.args[2]}",
        back_label="月次報告の画面へ戻る",
    )


@member_required("business.view")
def monthly_pdf_job_download(request, pk):
    return pdf_download(monthly_job(request, pk), "centerwork:monthly_pdf_job")


@require_POST
@member_required("business.edit")
def submission_open(request):
    center = access.own_center(request.member)
    kind = request.POST.get("kind", "")
    if kind not in SubmissionKind.values:
        raise PermissionDenied("報告の種類が正しくありません。")
    if kind == SubmissionKind.MONTHLY:
        day = reporting.parse_month(request.POST.get("month"), timezone.localdate())
    else:
        fy = reporting.parse_year(request.POST.get("year"), fiscal_year(timezone.localdate()))
        day = datetime.date(fy, 4, 1)
    submission = services.open_submission(center=center, kind=kind, day=day, by=request.user)
    return redirect("centerwork:submission_detail", submission.pk)


def _figures(submission) -> dict:
    """As submitted once locked; compiled from the records now while it is a draft."""
    if submission.is_locked and submission.figures:
        return submission.figures
    center_qs = reporting.only_center(submission.center)
    if submission.kind == SubmissionKind.MONTHLY:
        first = submission.period_start
        figures = reporting.month_figures(
            submission.municipality, first.year, first.month, center_qs
        )
        return figures["centers"][submission.center.name]
    fy = submission.period_start.year
    figures = reporting.year_figures(submission.municipality, fy, center_qs)
    progress = reporting.year_progress(submission.municipality, fy, [submission.center])
    result = figures["centers"][submission.center.name]
    result["progress"] = [
        {"label": p.label, "target": p.target, "actual": p.actual, "behind": p.actual < p.target}
        for p in progress[submission.center_id]
    ]
    return result


def _context(request, submission):
    member = request.member
    targets = reporting.targets_for(
        submission.municipality, submission.period_start.year, [submission.center]
    )
    return {
        "submission": submission,
        "figures": _figures(submission),
        "may_prepare": access.may_prepare(member, submission) and not submission.is_locked,
        "may_decide": access.may_decide(member) and submission.status == "submitted",
        "remarks_form": RemarksForm(initial={"remarks": submission.remarks}),
        "decision_form": DecisionForm(),
        "targets_form": TargetsForm(current=targets[submission.center_id])
        if submission.kind == SubmissionKind.PLAN
        else None,
        "due_on": _due_on(submission),
    }


def _due_on(submission) -> datetime.date:
    if submission.kind == SubmissionKind.MONTHLY:
        first = submission.period_start
        day = reporting.due_day(submission.municipality)
        return reporting.monthly_due_date(first.year, first.month, day)
    return reporting.annual_due_date(submission.kind, submission.period_start.year)


@member_required("business.view")
def submission_detail(request, pk):
    submission = access.submission_for_user(request.member, pk)
    if request.method == "POST":
        return _act(request, submission)
    return render(request, "centerwork/submission_detail.html", _context(request, submission))


def _act(request, submission):
    action = request.POST.get("action")
    member = request.member
    preparing = action in ("remarks", "submit", "targets")
    if preparing and not access.may_prepare(member, submission):
        raise PermissionDenied("この報告を作成できるのはセンターの職員です。")
    if action in ("accept", "return") and not access.may_decide(member):
        raise PermissionDenied("受理・差戻しは市の職員が行います。")
    try:
        if action == "remarks" or action == "submit":
            form = RemarksForm(request.POST)
            remarks = form.cleaned_data["remarks"] if form.is_valid() else ""
            services.save_remarks(
                submission=submission, remarks=remarks, by=request.user, request=request
            )
            if action == "submit":
                services.submit(
                    submission=submission,
                    figures=_figures(submission),
                    by=request.user,
                    request=request,
                )
                messages.success(request, "提出しました。市が確認するまで変更できません。")
            else:
                messages.success(request, "保存しました。")
        elif action == "targets":
            current = reporting.targets_for(
                submission.municipality, submission.period_start.year, [submission.center]
            )[submission.center_id]
            form = TargetsForm(request.POST, current=current)
            if not form.is_valid():
                raise ValidationError("目標は0以上の整数で入力してください。")
            services.set_targets(
                center=submission.center,
                fiscal_year=submission.period_start.year,
                targets={item: form.cleaned_data[item] for item in TargetItem.values},
                by=request.user,
                request=request,
            )
            messages.success(request, "目標を保存しました。")
        elif action in ("accept", "return"):
            form = DecisionForm(request.POST)
            comment = form.cleaned_data["comment"] if form.is_valid() else ""
            services.decide(
                submission=submission,
                accept=action == "accept",
                comment=comment,
                by=request.user,
                request=request,
            )
            messages.success(
                request, "受理しました。" if action == "accept" else "差し戻しました。"
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("centerwork:submission_detail", submission.pk)


@member_required("business.view")
def submission_pdf(request, pk):
    submission = access.submission_for_user(request.member, pk)
    context = _context(request, submission)
    context["municipality"] = request.member.municipality
    body = exports.to_pdf("centerwork/submission_pdf.html", context)
    return attachment(body, "application/pdf", f"report-{submission.pk}.pdf")


@member_required("business.view")
def annual_overview(request):
    """The 事業計画書 and 事業報告書 of every center for a 年度, with the year's progress."""
    member = request.member
    fy = reporting.parse_year(request.GET.get("year"), fiscal_year(timezone.localdate()))
    centers = list(access.centers_for(member))
    found = {
        (s.center_id, s.kind): s
        for s in access.submissions_visible_to(member).filter(
            kind__in=[SubmissionKind.PLAN, SubmissionKind.ANNUAL],
            period_start=datetime.date(fy, 4, 1),
        )
    }
    progress = reporting.year_progress(member.municipality, fy, centers)
    rows = [
        (
            c,
            found.get((c.pk, SubmissionKind.PLAN)),
            found.get((c.pk, SubmissionKind.ANNUAL)),
            progress[c.pk],
        )
        for c in centers
    ]
    return render(
        request,
        "centerwork/annual.html",
        {
            "fiscal_year": fy,
            "label": format_fiscal_year(fy),
            "rows": rows,
            "plan_due": reporting.annual_due_date(SubmissionKind.PLAN, fy),
            "report_due": reporting.annual_due_date(SubmissionKind.ANNUAL, fy),
            "may_open": access.may_change_center(member, member.center_id),
        },
    )


@member_required("business.oversee")
def business_settings(request):
    """The city's due day for monthly reports, and its list of 区分."""
    municipality = request.member.municipality
    current = reporting.settings_of(municipality)
    action = request.POST.get("action")
    form = SettingsForm(request.POST if action == "settings" else None, instance=current)
    category = CategoryForm(request.POST if action == "category" else None)
    try:
        if action == "settings" and form.is_valid():
            services.save_settings(settings=form.instance, by=request.user, request=request)
            messages.success(request, "設定を保存しました。")
            return redirect("centerwork:business_settings")
        if action == "category" and category.is_valid():
            services.add_category(
                municipality=municipality,
                name=category.cleaned_data["name"],
                by=request.user,
                request=request,
            )
            messages.success(request, "区分を追加しました。")
            return redirect("centerwork:business_settings")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return render(
        request,
        "centerwork/settings.html",
        {"form": form, "category": category, "categories": services.categories_of(municipality)},
    )
