"""What is the member's own work today, for the top of the dashboard.

Each function answers one section and runs a fixed number of queries, however many rows it
finds; the dashboard includes one template per section (templates/reports/_today_*.html), so
a new section is a new function and a new include.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from tsunagu.cases.access import cases_visible_to
from tsunagu.cases.choices import UNFINISHED_ACTION, CaseStatus
from tsunagu.cases.models import Action, CaseReview, FollowUp
from tsunagu.centerwork import access as centerwork_access
from tsunagu.centerwork import reporting
from tsunagu.centerwork.choices import LOCKED_STATUSES, SubmissionKind, SubmissionStatus
from tsunagu.centerwork.models import Submission, month_label
from tsunagu.confidentiality.access import privacy_settings
from tsunagu.lib.fiscal import fiscal_year, fiscal_year_range
from tsunagu.meetings.access import meetings_visible_to
from tsunagu.meetings.choices import RECENT_UNCLOSED_DAYS, Status
from tsunagu.meetings.content_rule import pledges_cover
from tsunagu.meetings.models import Meeting, PlanEntry

from .meetings import joint_types_of

# Roles that look after every center of the municipality (the centers' pending items).
OVERSEEING_ROLES = {"city_admin", "core_center"}
# Roles that send or receive the centers' monthly reports (a center its own, the others all).
REPORTING_ROLES = OVERSEEING_ROLES | {"center_staff"}
LIMIT = 10


def _mine(member) -> Q:
    """Meetings the member attends (through their directory person) or organises."""
    mine = Q(pk__in=[])
    if member.person_id:
        mine |= Q(attendances__person_id=member.person_id)
    if member.role in ("center_staff", "core_center") and member.center_id:
        mine |= Q(center_id=member.center_id)
    if member.role == "city_admin":
        mine |= Q(center__isnull=True)
    return mine


def meetings_this_week(member, today: datetime.date) -> list[Meeting]:
    """Meetings of the coming seven days that the member attends or organises."""
    return list(
        meetings_visible_to(member)
        .filter(_mine(member), date__range=(today, today + datetime.timedelta(days=6)))
        .exclude(status=Status.CANCELLED)
        .select_related("meeting_type", "center", "municipality", "meeting_type__host_organization")
        .distinct()
        .order_by("date", "start_time", "id")[:LIMIT]
    )


def pledges_to_sign(member, today: datetime.date, *, days: int = 30) -> list[Meeting]:
    """Meetings handling personal information that the member attends in the next `days` days
    and has not yet signed the pledge for (the meeting page offers the signing)."""
    if member.person_id is None:
        return []
    meetings = list(
        meetings_visible_to(member)
        .filter(
            attendances__person_id=member.person_id,
            meeting_type__handles_personal_info=True,
            date__range=(today, today + datetime.timedelta(days=days)),
        )
        .exclude(status=Status.CANCELLED)
        .select_related("meeting_type", "center", "municipality", "meeting_type__host_organization")
        .distinct()
        .order_by("date", "start_time", "id")[:LIMIT]
    )
    if not meetings:
        return []
    covered = pledges_cover(member, privacy_settings(member.municipality).pledge_scope)
    return [meeting for meeting in meetings if not covered(meeting)]


@dataclass
class WaitingCases:
    to_submit: list
    to_prepare: list
    on_agenda: list

    def __bool__(self) -> bool:
        return bool(self.to_submit or self.to_prepare or self.on_agenda)


def cases_waiting(member, today: datetime.date) -> WaitingCases:
    """Cases waiting for the member: drafts to submit, submitted cases to prepare for their
    meeting, and cases on the agenda of a coming meeting."""
    empty = WaitingCases([], [], [])
    if member.role == "center_staff" and member.center_id:
        mine = Q(center_id=member.center_id)
    elif member.role == "care_manager" and member.person_id:
        mine = Q(care_manager_id=member.person_id)
    else:
        return empty
    cases = cases_visible_to(member).filter(mine).select_related("center")
    reviews = (
        CaseReview.objects.filter(case__in=cases, meeting__date__gte=today)
        .exclude(meeting__status=Status.CANCELLED)
        .select_related("case", "meeting__meeting_type")
        .order_by("meeting__date", "id")
    )
    return WaitingCases(
        to_submit=list(cases.filter(status=CaseStatus.DRAFT).order_by("-updated_at")[:LIMIT]),
        to_prepare=list(
            cases.filter(status=CaseStatus.SUBMITTED).order_by("-updated_at")[:LIMIT]
            if member.role == "center_staff"
            else []
        ),
        on_agenda=list(reviews[:LIMIT]),
    )


def overdue_actions(member, cases, today: datetime.date) -> list[Action]:
    """The member's 役割分担 past their due date and not finished (with what they are)."""
    # Actions are someone's only through their directory person (others are by label).
    if member.person_id is None:
        return []
    return list(
        Action.objects.filter(
            review__case__in=cases,
            responsible_id=member.person_id,
            due_on__lt=today,
            status__in=UNFINISHED_ACTION,
        )
        .select_related("review__case")
        .order_by("due_on")[:20]
    )


def follow_ups_due(member, cases, today: datetime.date, *, days: int = 14) -> list[FollowUp]:
    """Monitoring due within `days` days on the cases the member prepares."""
    mine = Q(review__case__care_manager_id=member.person_id) if member.person_id else Q()
    if member.role == "center_staff":
        mine |= Q(review__case__center_id=member.center_id)
    return list(
        FollowUp.objects.filter(
            mine,
            review__case__in=cases,
            done_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("review__case")
        .order_by("due_on")[:20]
    )


@dataclass
class CentersPending:
    unclosed_meetings: list
    behind_plan: list  # (organiser name, meeting type, planned, held, scheduled)

    def __bool__(self) -> bool:
        return bool(self.unclosed_meetings or self.behind_plan)


def centers_pending(member, today: datetime.date) -> CentersPending:
    """For 基幹型 and 市職員: meetings of the last RECENT_UNCLOSED_DAYS days whose record is
    not closed, newest first, and annual plans that the held and scheduled meetings of the
    年度 will not reach."""
    if member.role not in OVERSEEING_ROLES:
        return CentersPending([], [])
    visible = meetings_visible_to(member)
    unclosed = list(
        visible.filter(
            date__lt=today,
            # Older ones (imported years never closed) would fill the list for good.
            date__gte=today - datetime.timedelta(days=RECENT_UNCLOSED_DAYS),
            closed_at__isnull=True,
        )
        .exclude(status__in=[Status.CANCELLED, Status.POSTPONED])
        .select_related("meeting_type", "center", "municipality", "meeting_type__host_organization")
        .order_by("-date", "-id")[:LIMIT]
    )
    fy = fiscal_year(today)
    counts: dict = {}
    this_year = visible.filter(date__range=fiscal_year_range(fy)).exclude(status=Status.CANCELLED)
    joint = joint_types_of(this_year)
    for pk, center_id, type_id, status in this_year.values_list(
        "pk", "center_id", "meeting_type_id", "status"
    ):
        for body_id in (type_id, *joint.get(pk, ())):  # a joint meeting counts for each body
            held, scheduled = counts.get((center_id, body_id), (0, 0))
            counts[(center_id, body_id)] = (
                (held + 1, scheduled) if status == Status.HELD else (held, scheduled + 1)
            )
    behind = []
    for entry in (
        PlanEntry.objects.filter(municipality_id=member.municipality_id, fiscal_year=fy)
        .select_related("center", "meeting_type")
        .order_by("center_id", "meeting_type__sort_order")
    ):
        held, scheduled = counts.get((entry.center_id, entry.meeting_type_id), (0, 0))
        if held + scheduled < entry.planned_count:
            behind.append(
                (entry.center or "市", entry.meeting_type, entry.planned_count, held, scheduled)
            )
    return CentersPending(unclosed, behind[:LIMIT])


@dataclass
class ReportsPending:
    month_label: str  # last month, whose report is due this month
    month_text: str  # for the monthly page's ?month=
    due: list  # reporting.StatusRow of last month not yet submitted (overdue ones flagged)
    returned: list  # Submission of earlier months returned by the city and not yet resent

    def __bool__(self) -> bool:
        return bool(self.due or self.returned)


def monthly_reports_pending(member, today: datetime.date) -> ReportsPending:
    """月次事業実施状況報告 still to send: last month's, due or overdue (the figures of the
    monthly page, reporting.monthly_statuses), and any returned by the city. 市職員 and
    基幹型 see every center's, a center's staff their own. Nothing in a municipality that
    has never opened one (it keeps its reports elsewhere), as the reminder scan does."""
    month = reporting.previous_month(today)
    empty = ReportsPending(month_label(month), f"{month:%Y-%m}", [], [])
    if member.role not in REPORTING_ROLES or not member.may("business.view"):
        return empty
    # Every query below runs whatever the rows, so the dashboard's count stays fixed.
    submissions = centerwork_access.submissions_visible_to(member).filter(
        kind=SubmissionKind.MONTHLY
    )
    in_use = Submission.objects.filter(
        municipality_id=member.municipality_id, kind=SubmissionKind.MONTHLY
    ).exists()
    centers = list(centerwork_access.centers_for(member))
    statuses = reporting.monthly_statuses(
        member.municipality, month.year, month.month, centers, today=today
    )
    returned = list(
        submissions.filter(status=SubmissionStatus.RETURNED)
        .exclude(period_start=month)
        .select_related("center")
        .order_by("period_start", "center_id")[:LIMIT]
    )
    if not in_use:
        return empty
    due = [
        row
        for row in statuses
        if row.submission is None or row.submission.status not in LOCKED_STATUSES
    ]
    return ReportsPending(empty.month_label, empty.month_text, due[:LIMIT], returned)
