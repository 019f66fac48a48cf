"""A center's business for the two demo cities: consultations, courses, visits and points,
the plans with their targets, and a year of monthly reports (one returned by the city).

The records live in data/demo/centerwork/ as the importer reads them (written by
scripts/make_demo_centerwork.py for 令和7年度). Consultations and events are moved to the twelve
months up to yesterday, visits and points to this 年度 up to yesterday; they go in through the
same importer and services as real logs.
Some centers are behind their targets on purpose.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tsunagu.centerwork import importing, reporting, services
from tsunagu.centerwork.choices import (
    OutreachKind,
    OutreachList,
    SubmissionKind,
    VisitResult,
    VolunteerKind,
)
from tsunagu.centerwork.models import (
    Consultation,
    Guidance,
    OutreachVisit,
    Volunteer,
    VolunteerActivity,
)
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.organizations.models import Center, Municipality

DATA = Path(settings.BASE_DIR) / "data" / "demo" / "centerwork"
FILE_YEAR = 2025  # the 年度 the files are written for
CITIES = {"129909": "matsukaze", "139904": "ogawadaira"}
RETURNED = "明第2西地域包括支援センター"
LATE = {"馬橋西地域包括支援センター", "西部地域包括支援センター"}
# Plans that ask for more than the defaults, so that their centers show red.
AMBITIOUS = {
    "常盤平団地地域包括支援センター": {"cafe": 12, "outreach": 130},
    "北部地域包括支援センター": {"watch_households": 25, "supporter": 2},
}


def load_centerwork() -> None:
    today = timezone.localdate()
    fy = fiscal_year(today)
    for code, stem in CITIES.items():
        municipality = Municipality.objects.get(code=code)
        if Consultation.objects.filter(municipality=municipality).exists():
            continue  # loaded before
        services.categories_of(municipality)
        for year in (fy - 1, fy):
            for kind in ("consultations", "events"):
                _import(municipality, DATA / f"{stem}_{kind}.csv", kind, year - FILE_YEAR, today)
        centers = {c.name: c for c in Center.objects.filter(municipality=municipality)}
        _targets(municipality, stem, centers, fy)
        _volunteers(stem, centers, fy - FILE_YEAR, today)
        _guidance(municipality, centers, today)
        _reports(municipality, centers, fy, today)


def _rows(name):
    """The rows under the header, each as wide as the header (a reader drops empty cells at
    the end of a row)."""
    header, *rows = importing.read_upload((DATA / name).read_bytes(), name)
    return [row + [""] * (len(header) - len(row)) for row in rows]


def _shift(text: str, years: int) -> datetime.date:
    day = datetime.date.fromisoformat(text)
    return day.replace(year=day.year + years)


def _import(municipality, path, kind, years, today):
    table = importing.read_upload(path.read_bytes(), path.name)
    column = table[0].index("受付日" if kind == "consultations" else "開催日")
    kept = [table[0]]
    for cells in table[1:]:
        day = _shift(cells[column], years)
        if today - datetime.timedelta(days=365) <= day < today:
            kept.append([*cells[:column], day.isoformat(), *cells[column + 1 :]])
    result = importing.parse(kept, municipality=municipality, kind=kind)
    if not result.ok:
        raise ValueError("; ".join(str(p) for p in result.problems[:5]))
    services.import_records(result, municipality=municipality, by=None, source=path.name)


def _label_value(choices, label):
    return next(value for value, text in choices.choices if text == label)


def _targets(municipality, stem, centers, fy):
    lists = {}
    for center_name, kind, source, ref in _rows(f"{stem}_targets.csv"):
        key = (center_name, _label_value(OutreachKind, kind), _label_value(OutreachList, source))
        lists.setdefault(key, []).append(ref)
    for (center_name, kind, source), refs in lists.items():
        services.add_targets(
            center=centers[center_name],
            fiscal_year=fy,
            kind=kind,
            source_list=source,
            refs=refs,
            by=None,
        )
    for name, targets in AMBITIOUS.items():
        if name in centers:
            services.set_targets(center=centers[name], fiscal_year=fy, targets=targets, by=None)
    visits = {}
    for center_name, kind, ref, day, result, watch in _rows(f"{stem}_visits.csv"):
        visited = _shift(day, fy - FILE_YEAR)
        if visited < timezone.localdate():
            visits.setdefault(center_name, []).append(
                OutreachVisit(
                    kind=_label_value(OutreachKind, kind),
                    person_ref=ref,
                    visited_on=visited,
                    result=_label_value(VisitResult, result),
                    watch_household=bool(watch),
                )
            )
    for center_name, rows in visits.items():
        services.import_visits(
            center=centers[center_name], visits=rows, by=None, source=f"{stem}_visits.csv"
        )


def _volunteers(stem, centers, years, today):
    registered = {}
    for center_name, kind, number, name, day in _rows(f"{stem}_volunteers.csv"):
        center = centers[center_name]
        registered[number] = services.register_volunteer(
            volunteer=Volunteer(
                municipality_id=center.municipality_id,
                center=center,
                kind=_label_value(VolunteerKind, kind),
                number=number,
                name=name,
                registered_on=_shift(day, years - 1),
            ),
            by=None,
        )
    for number, day, programme, points in _rows(f"{stem}_activities.csv"):
        done = _shift(day, years)
        if done < today:
            services.record_activity(
                activity=VolunteerActivity(
                    volunteer=registered[number],
                    done_on=done,
                    programme=programme,
                    points=int(points),
                ),
                by=None,
            )


def _guidance(municipality, centers, today):
    core = next((c for c in centers.values() if c.is_core), None)
    if core is None:
        return
    advice = [
        ("虐待対応の記録", "通報受理から48時間以内の事実確認の記録方法を確認した。"),
        ("介護予防講座の開催", "月1回以上の開催に向け、会場と講師の確保を助言した。"),
    ]
    others = [c for c in centers.values() if not c.is_core][:3]
    for index, center in enumerate(others):
        topic, content = advice[index % len(advice)]
        services.record_guidance(
            guidance=Guidance(
                municipality=municipality,
                center=center,
                given_on=today - datetime.timedelta(days=20 + 15 * index),
                topic=topic,
                content=content,
            ),
            by=None,
        )


def _reports(municipality, centers, fy, today):
    """Plans accepted; monthly reports accepted up to two months ago; last month's mostly
    submitted, two still open (overdue after the due day) and one returned."""
    last_month = reporting.previous_month(today)
    months = []
    day = datetime.date(fy, 4, 1)
    while day <= last_month:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    figures = {
        first: reporting.month_figures(municipality, first.year, first.month)["centers"]
        for first in months
    }
    for center in centers.values():
        plan = services.open_submission(
            center=center, kind=SubmissionKind.PLAN, day=datetime.date(fy, 4, 1), by=None
        )
        services.submit(submission=plan, figures={}, by=None)
        services.decide(submission=plan, accept=True, comment="", by=None)
        for first in months:
            if first == last_month and center.name in LATE:
                continue
            report = services.open_submission(
                center=center, kind=SubmissionKind.MONTHLY, day=first, by=None
            )
            if _remark(first):
                services.save_remarks(submission=report, remarks=_remark(first), by=None)
            services.submit(submission=report, figures=figures[first][center.name], by=None)
            if first == last_month:
                if center.name == RETURNED:
                    services.decide(
                        submission=report,
                        accept=False,
                        comment="虐待(疑い)の件数が前月の報告と合いません。記録を確認してください。",
                        by=None,
                    )
                continue
            services.decide(submission=report, accept=True, comment="", by=None)


def _remark(first):
    if first.month == 8:
        return "猛暑のため、介護予防講座の1回を屋内会場に変更した。"
    return ""


__all__ = ["load_centerwork"]
