"""派遣実績: accepted dispatches per municipality, profession and month of a 年度, and per
adviser, for the prefecture's 介護予防市町村支援事業 report. Read-only; grouped in SQL, so a
table costs one query whatever the number of dispatches."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from tsunagu.lib.fiscal import fiscal_months, fiscal_year_range
from tsunagu.meetings.choices import Status
from tsunagu.organizations.choices import Profession

from .choices import AssignmentStatus
from .models import Assignment

MEETING_DATE = "request__meeting__date"


@dataclass
class Row:
    label: list  # the row's heading cells
    months: list = field(default_factory=lambda: [0] * 12)

    @property
    def total(self) -> int:
        return sum(self.months)


def dispatched(prefecture, fy: int):
    """The year's dispatches: accepted, to meetings not cancelled, by meeting date."""
    return (
        Assignment.objects.filter(
            request__prefecture=prefecture,
            status=AssignmentStatus.ACCEPTED,
            **{f"{MEETING_DATE}__range": fiscal_year_range(fy)},
        )
        .exclude(request__meeting__status=Status.CANCELLED)
        .annotate(y=ExtractYear(MEETING_DATE), m=ExtractMonth(MEETING_DATE))
    )


def _rows(queryset, fy: int, keys, label) -> list[Row]:
    months = fiscal_months(fy)
    rows: dict = defaultdict(lambda: None)
    for item in queryset.values(*keys, "y", "m").annotate(n=Count("id")).order_by(*keys):
        key = tuple(item[k] for k in keys)
        if rows[key] is None:
            rows[key] = Row(label=label(item))
        rows[key].months[months.index((item["y"], item["m"]))] += item["n"]
    return [row for row in rows.values() if row is not None]


def by_municipality(prefecture, fy: int) -> list[Row]:
    """Rows (市町村, 職種) × April..March."""
    professions = dict(Profession.choices)
    return _rows(
        dispatched(prefecture, fy),
        fy,
        ["request__municipality__code", "request__municipality__name", "adviser__profession"],
        lambda item: [
            item["request__municipality__name"],
            professions.get(item["adviser__profession"], item["adviser__profession"]),
        ],
    )


def by_adviser(prefecture, fy: int) -> list[Row]:
    """Rows (アドバイザー, 職種, 所属団体) × April..March."""
    professions = dict(Profession.choices)
    return _rows(
        dispatched(prefecture, fy),
        fy,
        [
            "adviser__furigana",
            "adviser_id",
            "adviser__name",
            "adviser__profession",
            "adviser__association",
        ],
        lambda item: [
            item["adviser__name"],
            professions.get(item["adviser__profession"], item["adviser__profession"]),
            item["adviser__association"],
        ],
    )


def month_headings(fy: int) -> list[str]:
    return [f"{month}月" for _, month in fiscal_months(fy)]


def column_totals(rows: list[Row]) -> list[int]:
    return [sum(row.months[i] for row in rows) for i in range(12)]
