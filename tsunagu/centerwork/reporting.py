"""Figures compiled from the records, for the monthly report, the year's report and the
progress pages. Every count is aggregated by the database: the number of queries does not
grow with the number of records or centers.

The keys are the labels staff read (来所, 認知症, 介護予防講座 ...), so that the same figures
serve the screen, the files and the JSON of the `monthly_report` command.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from tsunagu.lib.fiscal import fiscal_year, fiscal_year_range
from tsunagu.meetings.choices import Status as MeetingStatus
from tsunagu.meetings.models import Meeting
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Center, Person

from . import access, exports, services
from .choices import (
    DEFAULT_TARGETS,
    EVENT_TARGETS,
    LOCKED_STATUSES,
    Consulter,
    EventKind,
    Method,
    OutreachKind,
    SubmissionKind,
    SubmissionStatus,
    TargetItem,
)
from .models import (
    BusinessSettings,
    Consultation,
    Event,
    OutreachVisit,
    Submission,
    VolunteerActivity,
    YearTarget,
    month_bounds,
    month_label,
)

Categories = Consultation.categories.through


def _empty_consultations() -> dict:
    return {"total": 0, "people": 0, "by_method": {}, "by_category": {}, "by_consulter": {}}


def _empty_center() -> dict:
    return {
        "consultations": _empty_consultations(),
        "events": {},
        "outreach": {},
        "meetings": {},
        "volunteers": {"activities": 0, "points": 0},
    }


def _add(counts: dict, key: str, n: int) -> None:
    counts[key] = counts.get(key, 0) + n


def _ordered(counts: dict, order: list[str]) -> dict:
    """The keys in the order of the form, the ones it does not know after them."""
    known = {key: counts[key] for key in order if key in counts}
    return known | {key: n for key, n in counts.items() if key not in known}


def compile_figures(municipality, first: datetime.date, following: datetime.date, centers=None):
    """{"centers": {name: figures}, "total": figures} for the days first ≤ day < following.

    A consultation counts once in `total` and once under each of its 区分. `people` is the
    number of distinct 管理番号 at a center (each center numbers its own people), so the city's
    `people` is the sum over its centers.
    """
    if centers is None:
        centers = Center.objects.filter(municipality=municipality)
    centers = list(centers.select_related(None).only("pk", "name"))
    ids = [c.pk for c in centers]
    per = {c.pk: _empty_center() for c in centers}
    in_period = Q(received_on__gte=first, received_on__lt=following)
    consultations = Consultation.objects.filter(
        in_period, municipality=municipality, center__in=ids
    )

    for row in consultations.values("center_id").annotate(
        total=Count("id"), people=Count("person_ref", distinct=True)
    ):
        figures = per[row["center_id"]]["consultations"]
        figures["total"], figures["people"] = row["total"], row["people"]
    for field, key, choices in (
        ("method", "by_method", Method),
        ("consulter", "by_consulter", Consulter),
    ):
        for row in consultations.values("center_id", field).annotate(n=Count("id")):
            label = choices(row[field]).label
            per[row["center_id"]]["consultations"][key][label] = row["n"]
    tagged = Categories.objects.filter(
        consultation__municipality=municipality,
        consultation__center__in=ids,
        consultation__received_on__gte=first,
        consultation__received_on__lt=following,
    )
    category_order = []
    for row in (
        tagged.values(
            "consultation__center_id",
            "consultationcategory__name",
            "consultationcategory__sort_order",
        )
        .annotate(n=Count("id"))
        .order_by("consultationcategory__sort_order")
    ):
        name = row["consultationcategory__name"]
        per[row["consultation__center_id"]]["consultations"]["by_category"][name] = row["n"]
        if name not in category_order:
            category_order.append(name)

    events = Event.objects.filter(
        municipality=municipality, center__in=ids, held_on__gte=first, held_on__lt=following
    )
    for row in events.values("center_id", "kind").annotate(
        count=Count("id"), participants=Sum("participants")
    ):
        per[row["center_id"]]["events"][EventKind(row["kind"]).label] = {
            "count": row["count"],
            "participants": row["participants"] or 0,
        }
    visits = OutreachVisit.objects.filter(
        municipality=municipality, center__in=ids, visited_on__gte=first, visited_on__lt=following
    )
    for row in visits.values("center_id", "kind").annotate(n=Count("id")):
        per[row["center_id"]]["outreach"][OutreachKind(row["kind"]).label] = row["n"]
    meetings = Meeting.objects.filter(
        municipality=municipality,
        center__in=ids,
        status=MeetingStatus.HELD,
        date__gte=first,
        date__lt=following,
    )
    for row in meetings.values("center_id", "meeting_type__name").annotate(n=Count("id")):
        per[row["center_id"]]["meetings"][row["meeting_type__name"]] = row["n"]
    activities = VolunteerActivity.objects.filter(
        volunteer__municipality=municipality,
        volunteer__center__in=ids,
        done_on__gte=first,
        done_on__lt=following,
    )
    for row in activities.values("volunteer__center_id").annotate(
        n=Count("id"), points=Sum("points")
    ):
        per[row["volunteer__center_id"]]["volunteers"] = {
            "activities": row["n"],
            "points": row["points"] or 0,
        }

    total = _empty_center()
    for figures in per.values():
        _merge(total, figures)
    result = {"centers": {}, "total": total}
    for center in centers:
        result["centers"][center.name] = _tidy(per[center.pk], category_order)
    result["total"] = _tidy(total, category_order)
    return result


def _merge(total: dict, figures: dict) -> None:
    c, t = figures["consultations"], total["consultations"]
    t["total"] += c["total"]
    t["people"] += c["people"]
    for key in ("by_method", "by_category", "by_consulter"):
        for label, n in c[key].items():
            _add(t[key], label, n)
    for label, e in figures["events"].items():
        slot = total["events"].setdefault(label, {"count": 0, "participants": 0})
        slot["count"] += e["count"]
        slot["participants"] += e["participants"]
    for key in ("outreach", "meetings"):
        for label, n in figures[key].items():
            _add(total[key], label, n)
    for key in ("activities", "points"):
        total["volunteers"][key] += figures["volunteers"][key]


def _tidy(figures: dict, category_order: list[str]) -> dict:
    c = figures["consultations"]
    c["by_method"] = _ordered(c["by_method"], Method.labels)
    c["by_consulter"] = _ordered(c["by_consulter"], Consulter.labels)
    c["by_category"] = _ordered(c["by_category"], category_order)
    figures["events"] = _ordered(figures["events"], EventKind.labels)
    figures["outreach"] = _ordered(figures["outreach"], OutreachKind.labels)
    return figures


def month_figures(municipality, year: int, month: int, centers=None) -> dict:
    first, following = month_bounds(year, month)
    return compile_figures(municipality, first, following, centers)


def year_figures(municipality, fy: int, centers=None) -> dict:
    first, last = fiscal_year_range(fy)
    return compile_figures(municipality, first, last + datetime.timedelta(days=1), centers)


# --- Monthly status ------------------------------------------------------------------------


def settings_of(municipality) -> BusinessSettings:
    """The city's settings, or the defaults (not saved) if it has not set any."""
    found = BusinessSettings.objects.filter(municipality=municipality).first()
    return found or BusinessSettings(municipality=municipality)


def due_day(municipality) -> int:
    return settings_of(municipality).monthly_due_day


def only_center(center):
    return Center.objects.filter(pk=center.pk)


def monthly_due_date(year: int, month: int, day: int) -> datetime.date:
    """The due day of the month after the report's month."""
    _first, following = month_bounds(year, month)
    return following.replace(day=day)


@dataclass
class StatusRow:
    center: Center
    submission: Submission | None
    due_on: datetime.date
    overdue: bool

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else SubmissionStatus.DRAFT

    @property
    def status_label(self) -> str:
        return SubmissionStatus(self.status).label


def monthly_statuses(municipality, year: int, month: int, centers, today=None) -> list[StatusRow]:
    today = today or timezone.localdate()
    due_on = monthly_due_date(year, month, due_day(municipality))
    first, _ = month_bounds(year, month)
    found = {
        s.center_id: s
        for s in Submission.objects.filter(
            municipality=municipality, kind=SubmissionKind.MONTHLY, period_start=first
        )
    }
    rows = []
    for center in centers:
        submission = found.get(center.pk)
        done = submission is not None and submission.status in LOCKED_STATUSES
        rows.append(StatusRow(center, submission, due_on, not done and today > due_on))
    return rows


def annual_due_date(kind: str, fy: int) -> datetime.date:
    """事業計画書 by April 30 of the year; 事業報告書 by March 31 at its end (seed 001 §4)."""
    if kind == SubmissionKind.PLAN:
        return datetime.date(fy, 4, 30)
    return datetime.date(fy + 1, 3, 31)


# --- Progress against the year's targets ---------------------------------------------------


@dataclass
class Progress:
    item: str
    label: str
    target: int
    actual: int
    expected: int

    @property
    def behind(self) -> bool:
        return self.actual < self.expected

    @property
    def percent(self) -> int:
        return round(100 * self.actual / self.target) if self.target else 0


def months_elapsed(fy: int, today: datetime.date) -> int:
    """Whole months of 年度 fy that have ended by today (0 to 12)."""
    if today < datetime.date(fy, 4, 1):
        return 0
    if fiscal_year(today) > fy:
        return 12
    return (today.month - 4) % 12


def targets_for(municipality, fy: int, centers) -> dict[int, dict[str, int]]:
    """Each center's targets: the plan's numbers over the defaults."""
    targets = {c.pk: {str(item): n for item, n in DEFAULT_TARGETS.items()} for c in centers}
    for row in YearTarget.objects.filter(
        municipality=municipality, fiscal_year=fy, center__in=[c.pk for c in centers]
    ):
        targets[row.center_id][row.item] = row.target
    return targets


def year_progress(municipality, fy: int, centers, today=None) -> dict[int, list[Progress]]:
    """For each center, every item with a target: done so far, and due so far pro rata.

    An item is behind when fewer are done than its share of the months that have ended."""
    today = today or timezone.localdate()
    centers = list(centers)
    first, last = fiscal_year_range(fy)
    ids = [c.pk for c in centers]
    actual = defaultdict(dict)
    for row in (
        Event.objects.filter(
            municipality=municipality, center__in=ids, held_on__range=(first, last)
        )
        .values("center_id", "kind")
        .annotate(n=Count("id"))
    ):
        actual[row["center_id"]][row["kind"]] = row["n"]
    visits = OutreachVisit.objects.filter(
        municipality=municipality, center__in=ids, visited_on__range=(first, last)
    )
    for row in visits.values("center_id").annotate(
        people=Count("person_ref", distinct=True),
        households=Count("person_ref", distinct=True, filter=Q(watch_household=True)),
    ):
        actual[row["center_id"]][TargetItem.OUTREACH] = row["people"]
        actual[row["center_id"]][TargetItem.WATCH_HOUSEHOLDS] = row["households"]
    elapsed = months_elapsed(fy, today)
    targets = targets_for(municipality, fy, centers)
    result = {}
    for center in centers:
        rows = []
        for item, target in sorted(
            targets[center.pk].items(),
            key=lambda pair: TargetItem.values.index(pair[0]),
        ):
            if not target:
                continue
            done = actual[center.pk].get(EVENT_TARGETS.get(item, item), 0)
            label = TargetItem(item).label
            rows.append(Progress(item, label, target, done, target * elapsed // 12))
        result[center.pk] = rows
    return result


# --- Coordinators (特別対策 (4)) ------------------------------------------------------------

CENTRAL_AREA = "中央"


@dataclass
class CoordinatorCheck:
    center: Center
    first_layer: int
    second_layer: int
    first_needed: int
    second_needed: int

    @property
    def problems(self) -> list[str]:
        found = []
        if self.first_layer != self.first_needed:
            found.append(f"第1層 {self.first_layer}人（必要 {self.first_needed}人）")
        if self.second_layer != self.second_needed:
            found.append(f"第2層 {self.second_layer}人（必要 {self.second_needed}人）")
        return found


def coordinator_checks(municipality) -> list[CoordinatorCheck]:
    """第1層 one at 基幹型; 第2層 two per center, one at 中央 (seed 001 §6 (4))."""
    centers = list(Center.objects.filter(municipality=municipality).select_related("area"))
    counts = defaultdict(int)
    for row in (
        Person.objects.filter(
            municipality=municipality,
            center__isnull=False,
            profession__in=[Profession.COORDINATOR_1, Profession.COORDINATOR_2],
        )
        .values("center_id", "profession")
        .annotate(n=Count("id"))
    ):
        counts[row["center_id"], row["profession"]] = row["n"]
    checks = []
    for center in centers:
        central = center.area is not None and center.area.name == CENTRAL_AREA
        checks.append(
            CoordinatorCheck(
                center,
                counts[center.pk, Profession.COORDINATOR_1],
                counts[center.pk, Profession.COORDINATOR_2],
                1 if center.is_core else 0,
                1 if central else 2,
            )
        )
    return checks


YEARS = range(2000, 2101)  # what a page may ask for; anything else falls back to now


def parse_month(text: str | None, default: datetime.date) -> datetime.date:
    """「2026-10」 as the month's first day; anything else gives the default's month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if year in YEARS:
            return datetime.date(year, month, 1)
    except ValueError:
        pass
    return default.replace(day=1)


def parse_year(text: str | None, default: int) -> int:
    """A 年度 such as 「2026」 from a query; anything else gives the default."""
    try:
        year = int(text or "")
    except ValueError:
        return default
    return year if year in YEARS else default


def previous_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def target_counts(targets) -> list[dict]:
    """How many people each center has on each list."""
    return list(
        targets.values("center__name", "kind", "source_list")
        .annotate(n=Count("id"))
        .order_by("center__name", "kind", "source_list")
    )


def volunteer_points(volunteers, fy: int):
    """Each volunteer with the year's activities and points, in one query."""
    first, last = fiscal_year_range(fy)
    in_year = Q(activities__done_on__range=(first, last))
    return volunteers.select_related("center").annotate(
        activity_count=Count("activities", filter=in_year),
        point_total=Sum("activities__points", filter=in_year),
    )


def monthly_report(member, first: datetime.date):
    """Every center's status for the month beginning `first`, the city-wide table (a row a
    center the member may see) and its title: the page, the Excel file and the PDF."""
    centers = list(access.centers_for(member))
    statuses = monthly_statuses(member.municipality, first.year, first.month, centers)
    figures = month_figures(
        member.municipality, first.year, first.month, access.centers_for(member)
    )
    categories = [c.name for c in services.categories_of(member.municipality)]
    labels = {
        r.center.name: r.status_label + ("（期限超過）" if r.overdue else "") for r in statuses
    }
    table = exports.city_table(figures, labels, categories)
    title = f"地域包括支援センター 月次事業実施状況（{month_label(first)}）"
    return statuses, table, title
