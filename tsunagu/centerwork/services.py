"""Every change to a center's business records and reports: validated, atomic and audited.

Audit entries are written through tsunagu.audit.services (log, log_import), a change of one
row through `_audit_row`, which names the entry by the row.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.audit.services import log, log_import
from tsunagu.cases import services as case_services
from tsunagu.cases.choices import CaseStatus, CaseType
from tsunagu.cases.models import Case
from tsunagu.lib import events
from tsunagu.lib.fiscal import fiscal_year, format_fiscal_year
from tsunagu.lib.planner import after_import

from .choices import (
    ABUSE_CATEGORY,
    DEFAULT_CATEGORIES,
    DIFFICULT_CATEGORY,
    LOCKED_STATUSES,
    EventKind,
    SubmissionKind,
    SubmissionStatus,
)
from .models import (
    BusinessSettings,
    Consultation,
    ConsultationCategory,
    ContactRecord,
    Event,
    Guidance,
    OutreachTarget,
    OutreachVisit,
    Submission,
    Volunteer,
    VolunteerActivity,
    YearTarget,
    month_label,
)


def _audit_row(action, row, *, by, request=None, summary=None, municipality=None, **data):
    """The entry for a change of one row of the municipality: named by the row itself."""
    log(
        action,
        by=by,
        municipality=municipality or row.municipality_id,
        target=row,
        request=request,
        summary=str(row) if summary is None else summary,
        **data,
    )


def _save_row(action, row, *, by, request=None, **data):
    """Validate, save and audit one row."""
    row.full_clean()
    row.save()
    _audit_row(action, row, by=by, request=request, **data)
    return row


# --- 区分 ----------------------------------------------------------------------------------


@transaction.atomic
def categories_of(municipality) -> list[ConsultationCategory]:
    """The city's 区分, created from seed 001's list the first time they are needed."""
    rows = list(ConsultationCategory.objects.filter(municipality=municipality))
    if rows:
        return rows
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        ConsultationCategory.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={
                "sort_order": order,
                "is_abuse": name == ABUSE_CATEGORY,
                "leads_to_case": name == DIFFICULT_CATEGORY,
            },
        )
    return list(ConsultationCategory.objects.filter(municipality=municipality))


@transaction.atomic
def add_category(*, municipality, name: str, by, request=None) -> ConsultationCategory:
    categories = categories_of(municipality)
    category = ConsultationCategory(
        municipality=municipality, name=name, sort_order=len(categories) + 1
    )
    return _save_row("business.category_added", category, by=by, request=request)


@transaction.atomic
def save_settings(*, settings: BusinessSettings, by, request=None) -> BusinessSettings:
    settings.full_clean()
    settings.save()
    log(
        "business.settings_saved",
        by=by,
        municipality=settings.municipality_id,
        request=request,
        monthly_due_day=settings.monthly_due_day,
    )
    return settings


# --- Locks ---------------------------------------------------------------------------------


def refuse_if_reported(center, day: datetime.date) -> None:
    """Records of a month whose report is submitted or accepted stay as reported."""
    locked = Submission.objects.filter(
        center=center,
        kind=SubmissionKind.MONTHLY,
        period_start=day.replace(day=1),
        status__in=LOCKED_STATUSES,
    ).exists()
    if locked:
        raise ValidationError(
            f"{month_label(day)}の月次報告は提出済のため、この月の記録は変更できません。"
            "市から差し戻されると変更できます。"
        )


# --- Consultations -------------------------------------------------------------------------


def _check_categories(consultation, categories):
    if not categories:
        raise ValidationError({"categories": "区分を1つ以上選んでください。"})
    if any(c.municipality_id != consultation.municipality_id for c in categories):
        raise ValidationError({"categories": "他の市町村の区分は選べません。"})


@transaction.atomic
def record_consultation(*, consultation: Consultation, categories, by, request=None):
    _check_categories(consultation, categories)
    consultation.full_clean()
    refuse_if_reported(consultation.center, consultation.received_on)
    consultation.created_by = by if getattr(by, "is_authenticated", False) else None
    consultation.save()
    consultation.categories.set(categories)
    _audit_row("consultation.created", consultation, by=by, request=request)
    return consultation


@transaction.atomic
def update_consultation(*, consultation: Consultation, categories, changed, by, request=None):
    _check_categories(consultation, categories)
    consultation.full_clean()
    before = Consultation.objects.select_for_update().get(pk=consultation.pk)
    refuse_if_reported(before.center, before.received_on)
    refuse_if_reported(consultation.center, consultation.received_on)
    consultation.save()
    consultation.categories.set(categories)
    # Field names only, never the text.
    _audit_row("consultation.updated", consultation, by=by, request=request, fields=changed)
    return consultation


@transaction.atomic
def add_contact(*, consultation: Consultation, contact: ContactRecord, by, request=None):
    contact.consultation = consultation
    contact.created_by = by if getattr(by, "is_authenticated", False) else None
    contact.full_clean()
    contact.save()
    _audit_row(
        "consultation.contact_added",
        consultation,
        by=by,
        request=request,
        contacted_on=contact.contacted_on.isoformat(),
    )
    return contact


@transaction.atomic
def consultation_to_case(*, consultation: Consultation, case: Case, by, request=None) -> Case:
    """A 困難事例 becomes a draft case for a 地域ケア個別会議, carrying its 管理番号.

    `case` holds what the consultation does not know (age band, sex, care level, household)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.case_id is not None:
        raise ValidationError("この相談はすでに事例になっています。")
    if not consultation.categories.filter(leads_to_case=True).exists():
        raise ValidationError("事例にできるのは区分が「困難事例」の相談です。")
    case.municipality_id = consultation.municipality_id
    case.center = consultation.center
    case.center_reference = consultation.person_ref
    case.status = CaseStatus.DRAFT
    case.case_type = case.case_type or CaseType.DIFFICULTY
    if not case.question:
        case.question = (
            f"総合相談（{consultation.received_on:%Y-%m-%d}受付）からの困難事例: "
            f"{consultation.summary}"
        )[:2000]
    case = case_services.create_case(case=case, by=by, request=request)
    consultation.case = case
    consultation.save(update_fields=["case"])
    _audit_row("consultation.to_case", consultation, by=by, request=request, case=case.pk)
    return case


# --- Import --------------------------------------------------------------------------------


@transaction.atomic
def import_records(result, *, municipality, by, request=None, source: str = "") -> int:
    """Save every row of a parsed file without problems (importing.parse); all or nothing."""
    if not result.ok:
        raise ValueError("問題のある取り込み結果は保存できません。")
    if any(r["center"].municipality_id != municipality.pk for r in result.rows):
        raise ValueError("他の市町村のセンターは取り込めません。")
    if result.kind == "consultations":
        made = Consultation.objects.bulk_create(
            Consultation(
                municipality=municipality,
                center=r["center"],
                received_on=r["received_on"],
                method=r["method"],
                consulter=r["consulter"],
                person_ref=r["person_ref"],
                response=r["response"],
                summary=r["summary"],
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
            for r in result.rows
        )
        Through = Consultation.categories.through
        Through.objects.bulk_create(
            Through(consultation_id=c.pk, consultationcategory_id=category.pk)
            for c, r in zip(made, result.rows, strict=True)
            for category in r["categories"]
        )
    else:
        Event.objects.bulk_create(
            Event(
                municipality=municipality,
                center=r["center"],
                kind=r["kind"],
                held_on=r["held_on"],
                title=r["title"],
                participants=r["participants"],
            )
            for r in result.rows
        )
    label = "相談" if result.kind == "consultations" else "講座・行事"
    return log_import(
        f"business.imported_{result.kind}",
        rows=len(result.rows),
        by=by,
        municipality=municipality,
        request=request,
        source=source,
        what=label,
    )


# --- Events, outreach, volunteers, advice --------------------------------------------------


@transaction.atomic
def record_event(*, event: Event, by, request=None) -> Event:
    event.full_clean()
    refuse_if_reported(event.center, event.held_on)
    if event.kind != EventKind.SUPPORTER:
        event.caravan_mate = ""
    event.save()
    _audit_row("business.event_recorded", event, by=by, request=request)
    return event


@transaction.atomic
def add_targets(
    *,
    center,
    fiscal_year: int,
    kind: str,
    source_list: str,
    refs,
    source_lists: dict[str, str] | None = None,
    by,
    request=None,
) -> int:
    """Add 管理番号 to a year's list (each on `source_lists[ref]` if given, else on
    `source_list`); numbers already on it are left as they are. All or nothing."""
    source_lists = source_lists or {}
    existing = set(
        OutreachTarget.objects.filter(
            center=center, fiscal_year=fiscal_year, kind=kind
        ).values_list("person_ref", flat=True)
    )
    new = []
    for ref in dict.fromkeys(r.strip() for r in refs if r.strip()):
        if ref in existing:
            continue
        target = OutreachTarget(
            municipality_id=center.municipality_id,
            center=center,
            fiscal_year=fiscal_year,
            kind=kind,
            source_list=source_lists.get(ref, source_list),
            person_ref=ref,
        )
        target.full_clean(exclude=["municipality", "center"], validate_constraints=False)
        new.append(target)
    OutreachTarget.objects.bulk_create(new)
    after_import(len(new))  # a year's list can be thousands: fresh planner statistics
    log(
        "business.targets_added",
        by=by,
        municipality=center.municipality_id,
        request=request,
        summary=f"{center} {format_fiscal_year(fiscal_year)} {len(new)}人",
        count=len(new),
    )
    return len(new)


def _list_entry(visit: OutreachVisit) -> OutreachTarget | None:
    """The year's list entry a visit is for (by 管理番号), if the person is on a list."""
    return OutreachTarget.objects.filter(
        center=visit.center,
        kind=visit.kind,
        person_ref=visit.person_ref,
        fiscal_year=fiscal_year(visit.visited_on),
    ).first()


@transaction.atomic
def record_visit(*, visit: OutreachVisit, by, request=None) -> OutreachVisit:
    if visit.target_id is None:
        visit.target = _list_entry(visit)
    visit.full_clean()
    refuse_if_reported(visit.center, visit.visited_on)
    visit.save()
    _audit_row("business.visit_recorded", visit, by=by, request=request)
    return visit


@transaction.atomic
def import_visits(*, center, visits: list[OutreachVisit], by, request=None, source="") -> int:
    """Many visits of one center at once (a year's log), matched to the lists by 管理番号."""
    targets = {
        (t.fiscal_year, t.kind, t.person_ref): t
        for t in OutreachTarget.objects.filter(center=center)
    }
    for month in {v.visited_on.replace(day=1) for v in visits}:
        refuse_if_reported(center, month)
    for visit in visits:
        visit.municipality_id, visit.center = center.municipality_id, center
        key = (fiscal_year(visit.visited_on), visit.kind, visit.person_ref)
        visit.target = visit.target or targets.get(key)
        # The center and targets were just read from the database: no need to look again.
        visit.full_clean(exclude=["municipality", "center", "target"])
    OutreachVisit.objects.bulk_create(visits)
    after_import(len(visits))
    log(
        "business.visits_imported",
        by=by,
        municipality=center.municipality_id,
        request=request,
        summary=f"{center} {len(visits)}件の訪問",
        source=source,
        count=len(visits),
    )
    return len(visits)


@transaction.atomic
def register_volunteer(*, volunteer: Volunteer, by, request=None) -> Volunteer:
    return _save_row(
        "business.volunteer_registered", volunteer, by=by, request=request, summary=volunteer.number
    )


@transaction.atomic
def record_activity(*, activity: VolunteerActivity, by, request=None) -> VolunteerActivity:
    activity.full_clean()
    refuse_if_reported(activity.volunteer.center, activity.done_on)
    activity.save()
    _audit_row(
        "business.points_awarded",
        activity.volunteer,
        by=by,
        request=request,
        summary=str(activity),
        points=activity.points,
    )
    return activity


# Changing and deleting what was recorded: the kinds a center keeps, each with the date that
# puts it in a month's report (a volunteer's registration is in none).
RECORD_KINDS: dict[type, tuple[str, str | None]] = {
    Event: ("event", "held_on"),
    OutreachVisit: ("visit", "visited_on"),
    Volunteer: ("volunteer", None),
    VolunteerActivity: ("activity", "done_on"),
}


def day_of(row) -> datetime.date | None:
    field = RECORD_KINDS[type(row)][1]
    return getattr(row, field) if field else None


def _center_and_municipality(row):
    owner = row.volunteer if isinstance(row, VolunteerActivity) else row
    return owner.center, owner.municipality_id


@transaction.atomic
def change_record(*, row, before: datetime.date | None, changed, by, request=None):
    """Save a changed event, visit, volunteer or activity. `before`: its date as stored;
    neither that month nor the new one may be in a submitted report."""
    center, municipality_id = _center_and_municipality(row)
    for day in {before, day_of(row)}:
        if day is not None:
            refuse_if_reported(center, day)
    if isinstance(row, Event) and row.kind != EventKind.SUPPORTER:
        row.caravan_mate = ""
    if isinstance(row, OutreachVisit):
        row.target = _list_entry(row)
    return _save_row(
        f"business.{RECORD_KINDS[type(row)][0]}_changed",
        row,
        by=by,
        request=request,
        municipality=municipality_id,
        fields=list(changed),
    )


@transaction.atomic
def delete_record(*, row, by, request=None) -> None:
    """Delete an event, visit, volunteer (only one with no activity) or activity, unless its
    month is in a submitted report."""
    center, municipality_id = _center_and_municipality(row)
    day = day_of(row)
    if day is not None:
        refuse_if_reported(center, day)
    if isinstance(row, Volunteer) and row.activities.exists():
        raise ValidationError(
            "活動の記録があるボランティアは削除できません（ポイントの記録が残ります）。"
            "先に活動の記録を削除してください。"
        )
    _audit_row(
        f"business.{RECORD_KINDS[type(row)][0]}_deleted",
        row,
        by=by,
        request=request,
        municipality=municipality_id,
    )
    row.delete()


@transaction.atomic
def record_guidance(*, guidance: Guidance, by, request=None) -> Guidance:
    guidance.given_by = by if getattr(by, "is_authenticated", False) else None
    if guidance.center.municipality_id != guidance.municipality_id:
        raise ValidationError({"center": "他の市町村のセンターは選べません。"})
    summary = f"{guidance.center} {guidance.topic}"
    return _save_row(
        "business.guidance_recorded", guidance, by=by, request=request, summary=summary
    )


# --- Reports to the city -------------------------------------------------------------------


def _period_start(kind: str, day: datetime.date) -> datetime.date:
    if kind == SubmissionKind.MONTHLY:
        return day.replace(day=1)
    return datetime.date(fiscal_year(day), 4, 1)


@transaction.atomic
def open_submission(*, center, kind: str, day: datetime.date, by, request=None) -> Submission:
    """The report of a center for the month (or 年度) of `day`, made as a draft if new."""
    start = _period_start(kind, day)
    submission = Submission.objects.filter(center=center, kind=kind, period_start=start).first()
    if submission is not None:
        return submission
    submission = Submission(
        municipality_id=center.municipality_id, center=center, kind=kind, period_start=start
    )
    return _save_row("submission.opened", submission, by=by, request=request)


def _locked(submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


@transaction.atomic
def save_remarks(*, submission: Submission, remarks: str, by, request=None) -> Submission:
    current = _locked(submission)
    if current.is_locked:
        raise ValidationError("提出済の報告は変更できません。")
    current.remarks = remarks.strip()
    current.full_clean()
    current.save(update_fields=["remarks", "updated_at"])
    _audit_row("submission.remarks_saved", current, by=by, request=request)
    return current


@transaction.atomic
def set_targets(*, center, fiscal_year: int, targets: dict, by, request=None) -> None:
    """The year's numbers of a 事業計画書; fixed once the plan is submitted."""
    plan = Submission.objects.filter(
        center=center, kind=SubmissionKind.PLAN, period_start=datetime.date(fiscal_year, 4, 1)
    ).first()
    if plan is not None and plan.is_locked:
        raise ValidationError("提出済の事業計画書の目標は変更できません。")
    for item, number in targets.items():
        if number is None:
            YearTarget.objects.filter(center=center, fiscal_year=fiscal_year, item=item).delete()
            continue
        row = YearTarget.objects.filter(center=center, fiscal_year=fiscal_year, item=item).first()
        row = row or YearTarget(
            municipality_id=center.municipality_id,
            center=center,
            fiscal_year=fiscal_year,
            item=item,
        )
        row.target = number
        row.full_clean(validate_constraints=False)
        row.save()
    log(
        "business.targets_set",
        by=by,
        municipality=center.municipality_id,
        request=request,
        summary=f"{center} {format_fiscal_year(fiscal_year)}の目標",
        targets={k: v for k, v in targets.items()},
    )


@transaction.atomic
def submit(*, submission: Submission, figures: dict, by, request=None) -> Submission:
    """The center submits: the figures as compiled now are kept, and the period is locked."""
    current = _locked(submission)
    if current.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise ValidationError(f"「{current.get_status_display()}」の報告は提出できません。")
    current.status = SubmissionStatus.SUBMITTED
    current.figures = figures
    current.submitted_at = timezone.now()
    current.full_clean()
    current.save()
    _audit_row("submission.submitted", current, by=by, request=request)
    return current


@transaction.atomic
def decide(*, submission: Submission, accept: bool, comment: str, by, request=None):
    """The city accepts a submitted report, or returns it with a comment (then it opens)."""
    current = _locked(submission)
    if current.status != SubmissionStatus.SUBMITTED:
        raise ValidationError("受理・差戻しできるのは提出済の報告です。")
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError("差し戻す理由をコメントに入力してください。")
    current.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    current.city_comment = comment
    current.decided_at = timezone.now()
    current.full_clean()
    current.save()
    action = "submission.accepted" if accept else "submission.returned"
    _audit_row(action, current, by=by, request=request)
    events.announce(events.submission_decided, submission=current)
    return current
