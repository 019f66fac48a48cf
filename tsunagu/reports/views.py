from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from tsunagu.audit.services import record
from tsunagu.cases.access import cases_visible_to, follow_ups_visible_to
from tsunagu.issues.overview import feedback_for
from tsunagu.lib.downloads import attachment
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.lib.gate import NO_MEMBERSHIP, member_required
from tsunagu.lib.period import PeriodForm
from tsunagu.meetings.access import meetings_visible_to
from tsunagu.meetings.choices import Status
from tsunagu.organizations import access as directory
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Area, Center, Organization, Person

from . import charts, exports, job_views, kept_tables, stats_exports
from . import today as today_work
from .meetings import meeting_stats, schedule_matrix
from .outcomes import outcome_stats


def dashboard(request):
    member = request.member
    if member is None:
        # A login that works above the municipalities (a prefecture, a pooled adviser not yet
        # dispatched) is shown the way to its own page, which its login recorded.
        home = request.session.get("home_url")
        if home:
            return render(request, "reports/elsewhere.html", {"home": home})
        raise PermissionDenied(NO_MEMBERSHIP)
    people = directory.visible_to(member, Person)
    by_profession = dict(people.values_list("profession").annotate(n=Count("id")))
    today = timezone.localdate()
    return render(
        request,
        "reports/dashboard.html",
        {
            "today": today,
            "fiscal_year": fiscal_year(today),
            "counts": {
                "areas": directory.visible_to(member, Area).count(),
                "centers": directory.visible_to(member, Center).count(),
                "organizations": directory.visible_to(member, Organization).count(),
                "people": sum(by_profession.values()),
            },
            "core_center": directory.visible_to(member, Center).filter(is_core=True).first(),
            "upcoming": meetings_visible_to(member)
            .filter(date__gte=today, status=Status.PLANNED)
            .select_related(
                "meeting_type", "center", "municipality", "meeting_type__host_organization"
            )
            .order_by("date", "start_time")[:5],
            **my_work(member, today),
            "professions": [
                (label, by_profession[value])
                for value, label in Profession.choices
                if value in by_profession
            ],
        },
    )


def my_work(member, today) -> dict:
    """The member's own work, one entry per dashboard section (see today.py)."""
    cases = cases_visible_to(member)
    return {
        "my_meetings": today_work.meetings_this_week(member, today),
        "pledges_to_sign": today_work.pledges_to_sign(member, today),
        "waiting_cases": today_work.cases_waiting(member, today),
        "overdue_actions": today_work.overdue_actions(member, cases, today),
        "due_follow_ups": today_work.follow_ups_due(member, cases, today),
        "centers_pending": today_work.centers_pending(member, today),
        "reports_pending": today_work.monthly_reports_pending(member, today),
        "issue_feedback": feedback_for(member, cases)
        if member.person_id or member.may("cases.view_own_center")
        else [],
    }


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


def period_context(request, data=None):
    form = PeriodForm((request.GET if data is None else data) or None)
    start, end, fy = form.period()
    return form, start, end, fy


@member_required("meetings.view_all")
def schedule_matrix_view(request):
    form, start, end, fy = period_context(request)
    kind = request.GET.get("format", "")
    if kind in EXPORTS:
        matrix = schedule_matrix(request.member, start, end, fiscal_year=fy)
        if kind == "pdf":
            # Dozens of pages: made by a worker unless a current one is kept (job_views).
            return job_views.kept_or_request(request, matrix, form, fy)
        return export(request, matrix, kind)
    return render(
        request,
        "reports/schedule_matrix.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "fy": fy,
            "table": kept_tables.schedule_table(request.member, start, end, fy),
            "query": request.GET.urlencode(),
        },
    )


def export(request, matrix, kind):
    content_type, extension = EXPORTS[kind]
    if kind == "csv":
        body = exports.to_csv(matrix)
    elif kind == "xlsx":
        body = exports.to_xlsx(matrix)
    else:
        body = exports.to_pdf(matrix, request.member.municipality)
    record(
        "report.exported",
        request=request,
        summary=f"開催状況（{kind}）",
        report="schedule_matrix",
        start=matrix.start.isoformat(),
        end=matrix.end.isoformat(),
    )
    filename = f"schedule_{matrix.start:%Y%m%d}_{matrix.end:%Y%m%d}.{extension}"
    return attachment(body, content_type, filename)


@member_required("meetings.view_all")
def meeting_stats_view(request):
    form, start, end, fy = period_context(request)
    stats = meeting_stats(meetings_visible_to(request.member), start, end)
    outcomes = outcome_stats(follow_ups_visible_to(request.member), start, end)
    kind = request.GET.get("format", "")
    if kind in ("csv", "xlsx"):
        return export_stats(request, stats, outcomes, start, end, kind)
    return render(
        request,
        "reports/meeting_stats.html",
        {
            "form": form,
            "stats": stats,
            "start": start,
            "end": end,
            "fy": fy,
            # Per organiser, each meeting once (a joint meeting is in several bodies' rows).
            "cases_total": sum(row["cases"] for row in stats["by_center"].values()),
            "outcomes": outcomes,
            "charts": {
                "by_type": charts.bar_chart(
                    "会議体別の回数",
                    [(name, row["meetings"]) for name, row in stats["by_type"].items()],
                    unit="回",
                ),
                "by_center": charts.bar_chart(
                    "主催別の回数",
                    [(name, row["meetings"]) for name, row in stats["by_center"].items()],
                    unit="回",
                ),
                "outcomes": charts.stacked_chart(
                    "モニタリングの結果（会議体別）",
                    [(name, row["outcome"]) for name, row in outcomes["by_type"].items()],
                ),
            },
            "query": request.GET.urlencode(),
        },
    )


def export_stats(request, stats, outcomes, start, end, kind):
    content_type, extension = EXPORTS[kind]
    writer = stats_exports.to_csv if kind == "csv" else stats_exports.to_xlsx
    body = writer(stats, outcomes, start, end)
    record(
        "report.exported",
        request=request,
        summary=f"会議の統計（{kind}）",
        report="meeting_stats",
        start=start.isoformat(),
        end=end.isoformat(),
    )
    return attachment(body, content_type, f"meeting_stats_{start:%Y%m%d}_{end:%Y%m%d}.{extension}")
