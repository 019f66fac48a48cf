"""Read-only views over meetings: the schedule matrix and the counts. No writes here.

Every function runs a fixed number of queries, whatever the number of meetings: rows are
fetched once as plain values and aggregated in SQL where the database can do it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.db.models import Count, Sum

from tsunagu.meetings.access import meeting_types_visible_to, meetings_visible_to
from tsunagu.meetings.choices import Format, Status
from tsunagu.meetings.models import Meeting, MeetingType, PlanEntry
from tsunagu.organizations.models import Center

CITY = "市"
HELD = str(Status.HELD)


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
        by_type: dict = defaultdict(int)
        for (_, type_id), cell in self.cells.items():
            by_type[type_id] += cell.held + cell.scheduled
        return [by_type[t.pk] for t in self.meeting_types]


def schedule_matrix(member, start, end, *, fiscal_year: int | None = None) -> Matrix:
    """Centers × meeting bodies with the dates in the period (seed 002's table).

    Plans are compared only when the period is one whole 年度, since plans are per 年度.

    The meetings come sorted by organiser and body, so each cell is one run of rows, cut out
    by itertools.groupby (in C) rather than looked up row by row: the page's own Python work
    per meeting is one tuple (see reports/templatetags/matrix.py for the markup).
    """
    types = list(meeting_types_visible_to(member).filter(is_active=True))
    # Only what the table shows of a center (its name), in the directory's order.
    centers = list(Center.objects.filter(municipality_id=member.municipality_id).only("id", "name"))
    meetings = counted(meetings_visible_to(member), start, end)
    rows = list(
        meetings.order_by("center_id", "meeting_type_id", "date", "start_time").values_list(
            "pk", "center_id", "meeting_type_id", "date", "format", "status"
        )
    )
    entries: dict = {
        key: [row[3:] for row in group] for key, group in groupby(rows, itemgetter(1, 2))
    }
    joint = joint_types_of(meetings)
    if joint:
        # A joint meeting counts in the column of each body it was held for.
        touched = set()
        for pk, center_id, _type_id, *entry in rows:
            for body_id in joint.get(pk, ()):
                entries.setdefault((center_id, body_id), []).append(tuple(entry))
                touched.add((center_id, body_id))
        for key in touched:
            entries[key].sort(key=itemgetter(0))
    cells: dict = {}
    for key, dates in entries.items():
        held = sum(1 for entry in dates if entry[2] == HELD)
        cells[key] = Cell(dates=dates, held=held, scheduled=len(dates) - held)
    if fiscal_year is not None:
        plans = PlanEntry.objects.filter(
            municipality_id=member.municipality_id, fiscal_year=fiscal_year
        )
        for center_id, type_id, count in plans.values_list(
            "center_id", "meeting_type_id", "planned_count"
        ):
            cell = cells.get((center_id, type_id))
            if cell is None:
                cell = cells[(center_id, type_id)] = Cell()
            cell.planned = count
    return Matrix(
        start=start, end=end, meeting_types=types, organizers=[None, *centers], cells=cells
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

    `meetings` is a queryset the caller has already limited to what may be seen. One grouped
    query by body and organiser id (each meeting's agenda counted once, from the index
    case_review_agenda_count), added up both ways here: grouping twice in SQL counted every
    meeting's agenda twice. The names are read after, by primary key: joining them in the
    grouped query made PostgreSQL hash every body and center of every municipality in the
    database (22 of 23 ms with 1,741 municipalities).
    """
    rows = list(
        counted(meetings, start, end)
        .with_case_count()
        .values("meeting_type_id", "center_id")
        .annotate(meetings=Count("id"), cases=Sum("case_count"))
        .order_by()
    )
    # A joint meeting counts once in the total and once more for each other body it served.
    joint_rows = list(
        counted(meetings, start, end)
        .with_case_count()
        .filter(joint_meeting_types__isnull=False)
        .values("joint_meeting_types")
        .annotate(meetings=Count("id"), cases=Sum("case_count"))
        .order_by()
    )
    by_area = list(
        counted(meetings, start, end)
        .with_case_count()
        .filter(area__isnull=False)
        .values("area__name", "area__sort_order", "area_id")
        .annotate(meetings=Count("id"), cases=Sum("case_count"))
        .order_by("area__sort_order", "area_id")
    )
    types = {
        pk: (sort_order, name)
        for pk, name, sort_order in MeetingType.objects.filter(
            pk__in={row["meeting_type_id"] for row in rows}
            | {row["joint_meeting_types"] for row in joint_rows}
        ).values_list("pk", "name", "sort_order")
    }
    centers = dict(
        Center.objects.filter(
            pk__in={row["center_id"] for row in rows if row["center_id"] is not None}
        ).values_list("pk", "name")
    )
    by_type: dict = {}
    by_center: dict = {}
    for row in rows:
        cases = row["cases"] or 0
        sort_order, name = types[row["meeting_type_id"]]
        entry = by_type.setdefault((sort_order, row["meeting_type_id"]), [name, 0, 0])
        entry[1] += row["meetings"]
        entry[2] += cases
        center_id = row["center_id"]
        key = (center_id is not None, center_id or 0)
        entry = by_center.setdefault(key, [centers.get(center_id) or CITY, 0, 0])
        entry[1] += row["meetings"]
        entry[2] += cases
    for row in joint_rows:
        sort_order, name = types[row["joint_meeting_types"]]
        entry = by_type.setdefault((sort_order, row["joint_meeting_types"]), [name, 0, 0])
        entry[1] += row["meetings"]
        entry[2] += row["cases"] or 0
    by_type_rows = [by_type[key] for key in sorted(by_type)]
    by_center_rows = [by_center[key] for key in sorted(by_center)]
    return {
        "total": sum(row["meetings"] for row in rows),
        "by_type": {name: {"meetings": n, "cases": cases} for name, n, cases in by_type_rows},
        "by_center": {name: {"meetings": n, "cases": cases} for name, n, cases in by_center_rows},
        "by_area": {
            row["area__name"]: {"meetings": row["meetings"], "cases": row["cases"] or 0}
            for row in by_area
        },
    }
