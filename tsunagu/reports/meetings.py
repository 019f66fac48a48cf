"""Read-only views over meetings: the schedule matrix and the counts. No writes here.

Every function runs a fixed number of queries, whatever the number of meetings: rows are
fetched once as plain values and aggregated in SQL where the database can do it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from tsunagu.meetings.access import meeting_types_visible_to, meetings_visible_to
from tsunagu.meetings.choices import Format, Status
from tsunagu.meetings.models import Meeting, PlanEntry
from tsunagu.organizations.models import Center

CITY = "市"


def counted(meetings, start: datetime.date, end: datetime.date):
    """Meetings that took place or are planned in the period; cancelled ones do not count."""
    return meetings.filter(date__range=(start, end)).exclude(status=Status.CANCELLED)


@dataclass
class Cell:
    dates: list = field(default_factory=list)  # (date, format, status)
    held: int = 0
    scheduled: int = 0
    planned: int | None = None

    @property
    def shortfall(self) -> bool:
        """Fewer meetings held or scheduled than the annual plan asks for."""
        return self.planned is not None and self.held + self.scheduled < self.planned


@dataclass
class Matrix:
    start: datetime.date
    end: datetime.date
    meeting_types: list
    organizers: list  # Center rows, None for meetings the city (or a body's host) organises
    cells: dict  # (center id or None, meeting type id) -> Cell

    def rows(self):
        for center in self.organizers:
            key = center.pk if center else None
            cells = [self.cells.get((key, t.pk)) for t in self.meeting_types]
            if center is not None or any(cells):
                yield center, cells

    def column_totals(self):
        return [
            sum(c.held + c.scheduled for (_, type_id), c in self.cells.items() if type_id == t.pk)
            for t in self.meeting_types
        ]


def schedule_matrix(member, start, end, *, fiscal_year: int | None = None) -> Matrix:
    """Centers × meeting bodies with the dates in the period (seed 002's table).

    Plans are compared only when the period is one whole 年度, since plans are per 年度.
    """
    types = list(meeting_types_visible_to(member).filter(is_active=True))
    centers = list(
        Center.objects.filter(municipality_id=member.municipality_id).select_related("area")
    )
    cells: dict = defaultdict(Cell)
    meetings = counted(meetings_visible_to(member), start, end)
    joint = joint_types_of(meetings)
    for pk, center_id, type_id, date, fmt, status in meetings.order_by(
        "date", "start_time"
    ).values_list("pk", "center_id", "meeting_type_id", "date", "format", "status"):
        # A joint meeting counts in the column of each body it was held for.
        for body_id in (type_id, *joint.get(pk, ())):
            cell = cells[(center_id, body_id)]
            cell.dates.append((date, fmt, status))
            if status == Status.HELD:
                cell.held += 1
            else:
                cell.scheduled += 1
    if fiscal_year is not None:
        plans = PlanEntry.objects.filter(
            municipality_id=member.municipality_id, fiscal_year=fiscal_year
        )
        for center_id, type_id, count in plans.values_list(
            "center_id", "meeting_type_id", "planned_count"
        ):
            cells[(center_id, type_id)].planned = count
    return Matrix(
        start=start, end=end, meeting_types=types, organizers=[None, *centers], cells=dict(cells)
    )


def joint_types_of(meetings) -> dict[int, list[int]]:
    """The other bodies each joint meeting among `meetings` counts for, in one query."""
    joint: dict[int, list[int]] = defaultdict(list)
    through = Meeting.joint_meeting_types.through.objects.filter(
        meeting_id__in=meetings.order_by().values("pk")
    )
    for meeting_id, type_id in through.values_list("meeting_id", "meetingtype_id"):
        joint[meeting_id].append(type_id)
    return joint


def format_mark(fmt: str) -> str:
    """The written mark for online formats, as in the tables municipalities publish."""
    if fmt == Format.HYBRID:
        return "（一部オンライン）"
    if fmt == Format.ONLINE:
        return "（オンライン）"
    return ""


def meeting_stats(meetings, start, end) -> dict:
    """Counts of meetings and of cases reviewed, by body, by organiser and by 圏域, in the
    period. A joint meeting counts once in the total and once for each of its bodies.

    `meetings` is a queryset the caller has already limited to what may be seen.
    """
    meetings = counted(meetings, start, end).with_case_count()
    by_type = (
        meetings.values("meeting_type__name", "meeting_type__sort_order")
        .annotate(meetings=Count("id"), cases=Sum("case_count"))
        .order_by("meeting_type__sort_order")
    )
    joint = (
        meetings.filter(joint_meeting_types__isnull=False)
        .values("joint_meeting_types__name", "joint_meeting_types__sort_order")
        .annotate(meetings=Count("id"), cases=Sum("case_count"))
    )
    by_center = (
        meetings.values("center__name", "center_id")
        .annotate(meetings=Count("id"), cases=Sum("case_count"))
        .order_by("center_id")
    )
    by_area = (
        meetings.filter(area__isnull=False)
        .values("area__name", "area__sort_order", "area_id")
        .annotate(meetings=Count("id"), cases=Sum("case_count"))
        .order_by("area__sort_order", "area_id")
    )
    bodies: dict = {}
    rows = [
        (row["meeting_type__sort_order"], row["meeting_type__name"], row) for row in by_type
    ] + [
        (row["joint_meeting_types__sort_order"], row["joint_meeting_types__name"], row)
        for row in joint
    ]
    for _order, name, row in sorted(rows, key=lambda item: (item[0], item[1])):
        counts = bodies.setdefault(name, {"meetings": 0, "cases": 0})
        counts["meetings"] += row["meetings"]
        counts["cases"] += row["cases"] or 0
    return {
        "total": sum(row["meetings"] for row in by_type),
        "by_type": bodies,
        "by_center": {
            row["center__name"] or CITY: {"meetings": row["meetings"], "cases": row["cases"] or 0}
            for row in by_center
        },
        "by_area": {
            row["area__name"]: {"meetings": row["meetings"], "cases": row["cases"] or 0}
            for row in by_area
        },
    }
