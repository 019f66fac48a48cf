"""Changes to cases: validated, atomic and logged. Content changes are audited field by field
(names only, never the text)."""

import calendar
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import record
from tsunagu.confidentiality.access import privacy_settings
from tsunagu.confidentiality.models import PledgeScope
from tsunagu.lib import events
from tsunagu.lib.acting import MemberRequest
from tsunagu.lib.concurrency import conflict_message, refuse_if_changed
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.lib.jtext import squeeze
from tsunagu.lib.limits import TEXT_CHARS
from tsunagu.lib.wareki import format_wareki
from tsunagu.meetings.models import ALREADY_SIGNED, Attendance, Meeting, Pledge, PledgeMethod
from tsunagu.meetings.services import (
    close_meeting,
    record_attendance,
    record_pledge,
    refuse_if_closed,
    retention_cutoff,
)
from tsunagu.organizations.models import Center, Municipality

from .choices import ActionStatus, CareLevel, CaseStatus, ServiceType
from .models import Action, Advice, AssessmentRow, CarePlanService, Case, CaseReview, FollowUp
from .screening.rules import FlaggedPlan

# Which moves the work list allows, and what each is called on a button.
TRANSITIONS: dict[str, set[CaseStatus]] = {
    CaseStatus.DRAFT: {CaseStatus.SUBMITTED},
    CaseStatus.SUBMITTED: {CaseStatus.READY, CaseStatus.DRAFT},
    CaseStatus.READY: {CaseStatus.SUBMITTED},
    CaseStatus.REVIEWED: {CaseStatus.MONITORING, CaseStatus.READY},
    CaseStatus.MONITORING: {CaseStatus.CLOSED, CaseStatus.READY},
    CaseStatus.CLOSED: set(),
}


# What each page edits, fingerprinted when it opens (tsunagu.lib.concurrency): a save from a
# page opened before someone else's save of the same fields is refused, not written over it.
REVIEW_FIELDS = ["support_policy"]
FOLLOW_UP_FIELDS = ["done_on", "outcome", "care_level_after", "goal", "comment"]
ACTION_FIELDS = ["status"]
FUTURE_FOLLOW_UP = "実施日に先の日付は入力できません。実施した日（今日まで）を入力してください。"
# The rows the meeting room edits (会議モード).
ADVICE_FIELDS = ["attendance", "adviser_name", "profession", "text"]
ROOM_ACTION_FIELDS = ["responsible", "responsible_label", "what", "due_on"]


class EditConflict(ValidationError):
    """Someone else saved the case after this user opened it."""

    def __init__(self, changed: list[str]) -> None:
        self.changed = changed
        super().__init__(conflict_message(changed))


def next_code(case: Case) -> str:
    """「2026-003-007」: the 年度, the center and a running number within both."""
    year = fiscal_year(timezone.localdate())
    prefix = f"{year}-{case.center_id:03d}-"
    used = Case.objects.filter(municipality_id=case.municipality_id, code__startswith=prefix)
    return f"{prefix}{used.count() + 1:03d}"


@transaction.atomic
def create_case(*, case: Case, by: User, request: MemberRequest | None = None) -> Case:
    case.full_clean(exclude=["code"])
    for _attempt in range(5):
        case.code = next_code(case)
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:  # Another case took the number at the same moment.
            continue
    else:
        raise ValidationError("事例番号を決められませんでした。もう一度お試しください。")
    record("case.created", target=case, by=by, request=request)
    return case


@transaction.atomic
def save_case(
    *,
    case: Case,
    seen_version: int,
    changed: list[str],
    labels: dict,
    by: User,
    request: MemberRequest | None = None,
) -> Case:
    """Save only if nobody saved since `seen_version`; otherwise say which fields differ."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.version != seen_version:
        differing = [
            labels[name] for name in labels if getattr(current, name) != getattr(case, name)
        ]
        raise EditConflict(differing or ["（項目は同じですが、保存の順番が前後しました）"])
    if current.status == CaseStatus.CLOSED:
        raise ValidationError("終結した事例は変更できません。")
    case.full_clean(exclude=["code"])
    case.version = current.version + 1
    case.save()
    record("case.updated", target=case, by=by, request=request, fields=changed)
    return case


@transaction.atomic
def save_care_plan(
    *,
    case: Case,
    services: list[CarePlanService],
    by: User,
    request: MemberRequest | None = None,
) -> None:
    case.services.all().delete()
    for service in services:
        service.case = case
        service.full_clean()
        service.save()
    record("case.care_plan_saved", target=case, by=by, request=request, services=len(services))


@transaction.atomic
def save_assessment(
    *, case: Case, rows: list[AssessmentRow], by: User, request: MemberRequest | None = None
) -> None:
    for row in rows:
        row.case = case
        # The row is upserted below, so its one-per-item constraint is not a problem here.
        row.full_clean(validate_unique=False, validate_constraints=False)
        AssessmentRow.objects.update_or_create(
            case=case,
            item=row.item,
            defaults={
                "current": row.current,
                "factors": row.factors,
                "prospect": row.prospect,
                "note": row.note,
            },
        )
    record("case.assessment_saved", target=case, by=by, request=request)


@transaction.atomic
def save_case_and_plan(
    *,
    case: Case,
    creating: bool,
    seen_version: int | None,
    changed: list[str],
    labels: dict,
    plan: list[CarePlanService],
    rows: list[AssessmentRow],
    by: User,
    request: MemberRequest | None = None,
) -> Case:
    """The case, its care plan and its 課題整理総括表 saved together or not at all."""
    if creating:
        create_case(case=case, by=by, request=request)
    else:
        save_case(
            case=case,
            seen_version=seen_version if seen_version is not None else case.version,
            changed=changed,
            labels=labels,
            by=by,
            request=request,
        )
    save_care_plan(case=case, services=plan, by=by, request=request)
    save_assessment(case=case, rows=rows, by=by, request=request)
    return case


# A case made from a screening result knows only the plan: these stand in for what the
# benefit data does not say, until the center corrects them on the case form.
SCREENING_DEFAULTS = {
    "case_type": "life_support",
    "age_band": "80",
    "sex": "other",
    "household": "other",
}


@transaction.atomic
def case_from_screening(
    *, plan: FlaggedPlan, center: Center, by: User, request: MemberRequest | None = None
) -> Case:
    """A draft case for a 生活援助 review meeting from one flagged plan of the screening,
    with its care plan holding the 生活援助 count; the case and its plan together or neither."""
    level = next(value for value, label in CareLevel.choices if label == plan.care_level)
    case = create_case(
        case=Case(
            municipality_id=center.municipality_id,
            center=center,
            status=CaseStatus.DRAFT,
            care_level=level,
            center_reference=f"{plan.office_number}/{plan.user_number}",
            question=(
                f"{plan.month} の生活援助が月{plan.life_support_count}回で、"
                f"{plan.care_level}の基準（{plan.threshold}回）以上のケアプランの検証"
            ),
            **SCREENING_DEFAULTS,
        ),
        by=by,
        request=request,
    )
    save_care_plan(
        case=case,
        services=[
            CarePlanService(
                service_type=ServiceType.HOME_HELP_LIFE, monthly_count=plan.life_support_count
            )
        ],
        by=by,
        request=request,
    )
    return case


def _locked(case: Case) -> Case:
    """The case as committed now, its row locked until the transaction ends (PostgreSQL).

    Every change of status goes through here, so it is judged on the current status and moves
    the version on from the current one: a save from a page opened before it is then refused
    as a conflict instead of putting the old status back."""
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def delete_draft(*, case: Case, by: User, request: MemberRequest | None = None) -> None:
    """Delete a case still in 下書き that no meeting has seen; anything further along is kept
    (it is part of a meeting's record) and is closed instead."""
    current = _locked(case)
    if current.status != CaseStatus.DRAFT or current.reviews.exists():
        raise ValidationError("削除できるのは、会議に出していない下書きの事例だけです。")
    record("case.deleted", target=current, by=by, request=request)
    current.delete()


@transaction.atomic
def move(*, case: Case, to: str, by: User, request: MemberRequest | None = None) -> Case:
    """Move the case along the work list; a move the list does not allow is refused."""
    if to not in CaseStatus.values:
        raise ValidationError("移す先の状態を選んでください。")
    current = _locked(case)
    case.status, case.closed_on, case.version = current.status, current.closed_on, current.version
    if to not in TRANSITIONS[case.status]:
        raise ValidationError(
            f"「{case.get_status_display()}」から「{CaseStatus(to).label}」へは移せません。"
        )
    previous = case.status
    case.status = to
    if to == CaseStatus.CLOSED:
        case.closed_on = timezone.localdate()
    case.version += 1
    case.save(update_fields=["status", "closed_on", "version", "updated_at"])
    record("case.moved", target=case, by=by, request=request, previous=previous, status=to)
    return case


def _lock_meeting(meeting: Meeting) -> Meeting:
    """The meeting's row locked until the transaction ends (PostgreSQL): two cases placed on
    one agenda at once take the next two numbers, not the same one."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def place_on_agenda(
    *,
    case: Case,
    meeting: Meeting,
    planned_minutes: int | None = None,
    support_policy: str = "",
    reviewed_at: datetime.datetime | None = None,
) -> CaseReview:
    """Put the case at the end of the meeting's agenda, numbered after the last one (順 1, 2,
    3, ...), with the time planned for it (by default the body's minutes per case). Every way
    a case reaches an agenda goes through here. Call inside a transaction."""
    _lock_meeting(meeting)
    last = meeting.case_reviews.aggregate(last=Max("order"))["last"] or 0
    review = CaseReview(
        case=case,
        meeting=meeting,
        order=last + 1,
        planned_minutes=planned_minutes or meeting.meeting_type.minutes_per_case,
        support_policy=support_policy,
        reviewed_at=reviewed_at,
    )
    review.full_clean()
    review.save()
    return review


def renumber_agenda(meeting: Meeting) -> None:
    """Number the agenda 1, 2, 3, ... in its present order (after a removal or an old gap)."""
    for number, review in enumerate(meeting.case_reviews.order_by("order", "id"), start=1):
        if review.order != number:
            CaseReview.objects.filter(pk=review.pk).update(order=number)


def _refuse_if_closed(meeting: Meeting) -> Meeting:
    current = _lock_meeting(meeting)
    if current.closed_at is not None:
        raise ValidationError("記録を確定した会議の議題は変更できません。")
    return current


@transaction.atomic
def put_on_agenda(
    *,
    case: Case,
    meeting: Meeting,
    by: User,
    request: MemberRequest | None = None,
    planned_minutes: int | None = None,
) -> CaseReview:
    if meeting.municipality_id != case.municipality_id:
        raise ValidationError("他の市町村の会議には載せられません。")
    if not meeting.meeting_type.reviews_cases:
        raise ValidationError(f"「{meeting.meeting_type}」は事例を検討しない会議体です。")
    if _lock_meeting(meeting).closed_at is not None:
        raise ValidationError("記録を確定した会議には載せられません。")
    # Judged on the committed status; two requests at once put the case on only once.
    case.status = _locked(case).status
    if case.status != CaseStatus.READY:
        raise ValidationError("会議に載せられるのは「会議準備完了」の事例です。")
    if case.reviews.filter(meeting=meeting).exists():
        raise ValidationError("この事例はすでにこの会議に載っています。")
    review = place_on_agenda(case=case, meeting=meeting, planned_minutes=planned_minutes)
    record("case.put_on_agenda", target=case, by=by, request=request, meeting=meeting.pk)
    events.announce(events.case_put_on_agenda, review=review)
    return review


@transaction.atomic
def move_on_agenda(
    *, review: CaseReview, up: bool, by: User, request: MemberRequest | None = None
) -> CaseReview:
    """Swap the case with the one before it (up) or after it on the agenda."""
    meeting = _refuse_if_closed(review.meeting)
    renumber_agenda(meeting)
    rows = list(meeting.case_reviews.order_by("order", "id"))
    index = next(i for i, row in enumerate(rows) if row.pk == review.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        raise ValidationError("これ以上は動かせません。")
    first, second = rows[index], rows[other]
    CaseReview.objects.filter(pk=first.pk).update(order=second.order)
    CaseReview.objects.filter(pk=second.pk).update(order=first.order)
    review.order = second.order
    _record_on_agenda("case.agenda_reordered", review, by=by, request=request, order=review.order)
    return review


def _record_on_agenda(
    action: str, review: CaseReview, *, by: User, request: MemberRequest | None, **data: Any
) -> None:
    """An entry about one case on a meeting's agenda: the case is its target, the meeting named."""
    record(action, target=review.case, by=by, request=request, meeting=review.meeting_id, **data)


@transaction.atomic
def set_planned_minutes(
    *, review: CaseReview, minutes: int, by: User, request: MemberRequest | None = None
) -> CaseReview:
    _refuse_if_closed(review.meeting)
    review.planned_minutes = minutes
    review.full_clean()
    review.save(update_fields=["planned_minutes"])
    _record_on_agenda("case.agenda_minutes_set", review, by=by, request=request, minutes=minutes)
    return review


@transaction.atomic
def remove_from_agenda(
    *, review: CaseReview, by: User, request: MemberRequest | None = None
) -> None:
    """Take a case off an agenda before it is discussed; the rest close up (順 stays 1, 2, ...).
    A case already reviewed there, or with advice or 役割分担 recorded, stays (it is part of
    the meeting's record)."""
    meeting = _refuse_if_closed(review.meeting)
    current = CaseReview.objects.select_for_update().get(pk=review.pk)
    if current.reviewed_at is not None or current.advice.exists() or current.actions.exists():
        raise ValidationError(
            "検討を記録した事例（助言・役割分担・支援方針のあるもの）は議題から外せません。"
        )
    case = current.case
    current.delete()
    renumber_agenda(meeting)
    record("case.removed_from_agenda", target=case, by=by, request=request, meeting=meeting.pk)


@transaction.atomic
def record_review(
    *,
    review: CaseReview,
    support_policy: str,
    by: User,
    request: MemberRequest | None = None,
    fingerprint: str | None = None,
) -> CaseReview:
    """The meeting agreed a support policy: the case is 検討済 and its follow-ups are set.

    `fingerprint`: of REVIEW_FIELDS as the page saw them; None checks nothing."""
    if not support_policy.strip():
        raise ValidationError("支援方針を入力してください。")
    case = review.case = _locked(review.case)  # the case first, as every save of it does
    refuse_if_changed(
        CaseReview.objects.select_for_update().get(pk=review.pk), REVIEW_FIELDS, fingerprint
    )
    review.support_policy = support_policy.strip()
    review.reviewed_at = timezone.now()
    review.save(update_fields=["support_policy", "reviewed_at"])
    if case.status == CaseStatus.READY:
        case.status = CaseStatus.REVIEWED
        case.version += 1
        case.save(update_fields=["status", "version", "updated_at"])
    for months in review.meeting.meeting_type.follow_up_intervals:
        FollowUp.objects.get_or_create(
            review=review,
            months_after=months,
            defaults={
                "due_on": add_months(review.meeting.date, months),
                "municipality_id": case.municipality_id,
                "meeting_type_id": review.meeting.meeting_type_id,
            },
        )
    record("case.reviewed", target=case, by=by, request=request, meeting=review.meeting_id)
    return review


def copy_meeting_type(sender: object, meeting: Meeting, **kwargs: object) -> int:
    """A meeting moved to another 会議体: its follow-ups carry the new body (they keep a copy
    for the outcome statistics). Receiver of meetings.signals.meeting_type_changed, inside the
    transaction of the meeting's save."""
    return FollowUp.objects.filter(review__meeting=meeting).update(
        meeting_type_id=meeting.meeting_type_id
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _save_advice(advice: Advice, event: str, *, by: User, request: MemberRequest | None) -> Advice:
    advice.full_clean()
    advice.save()
    record(event, target=advice.review.case, by=by, request=request, profession=advice.profession)
    return advice


def _save_action(action: Action, event: str, *, by: User, request: MemberRequest | None) -> Action:
    action.full_clean()
    action.save()
    record(event, target=action.review.case, by=by, request=request)
    return action


@transaction.atomic
def add_advice(*, advice: Advice, by: User, request: MemberRequest | None = None) -> Advice:
    return _save_advice(advice, "case.advice_added", by=by, request=request)


@transaction.atomic
def add_action(*, action: Action, by: User, request: MemberRequest | None = None) -> Action:
    return _save_action(action, "case.action_added", by=by, request=request)


@transaction.atomic
def set_action_status(
    *,
    action: Action,
    status: str,
    by: User,
    request: MemberRequest | None = None,
    fingerprint: str | None = None,
) -> Action:
    """`fingerprint`: of ACTION_FIELDS as the page saw them; None checks nothing."""
    if status not in ActionStatus.values:
        raise ValidationError("状況を選んでください。")
    refuse_if_changed(
        Action.objects.select_for_update().get(pk=action.pk), ACTION_FIELDS, fingerprint
    )
    action.status = status
    action.save(update_fields=["status"])
    record("case.action_updated", target=action.review.case, by=by, request=request, status=status)
    return action


@transaction.atomic
def record_follow_up(
    *,
    follow_up: FollowUp,
    by: User,
    request: MemberRequest | None = None,
    fingerprint: str | None = None,
) -> FollowUp:
    """`fingerprint`: of FOLLOW_UP_FIELDS as the page saw them; None checks nothing."""
    if not follow_up.outcome:
        raise ValidationError({"outcome": "結果（改善・維持・悪化）を選んでください。"})
    follow_up.done_on = follow_up.done_on or timezone.localdate()
    if follow_up.done_on > timezone.localdate():
        raise ValidationError({"done_on": FUTURE_FOLLOW_UP})
    follow_up.full_clean()
    case = follow_up.review.case = _locked(follow_up.review.case)
    refuse_if_changed(
        FollowUp.objects.select_for_update().get(pk=follow_up.pk), FOLLOW_UP_FIELDS, fingerprint
    )
    follow_up.save()
    if case.status == CaseStatus.REVIEWED:
        case.status = CaseStatus.MONITORING
        case.version += 1
        case.save(update_fields=["status", "version", "updated_at"])
    record(
        "case.follow_up_recorded",
        target=case,
        by=by,
        request=request,
        months=follow_up.months_after,
        outcome=follow_up.outcome,
    )
    return follow_up


CASE_TEXT = [*Case.FREE_TEXT_FIELDS, "center_reference"]


@transaction.atomic
def purge_expired_cases(*, today: datetime.date, by: User | None = None) -> dict:
    """Erase the free text of cases closed before the retention cut-off; keep the statistics.

    The code, status, age band, sex, care level, household, case type, care-plan counts,
    follow-up outcomes and issue links stay; what could describe the person goes: every text
    field, the center's own reference, the assessment's notes, advice and support policies.
    """
    purged = {}
    for municipality in Municipality.objects.all():
        cutoff = retention_cutoff(privacy_settings(municipality), today)
        ids = list(
            Case.objects.filter(
                municipality=municipality, closed_on__lt=cutoff, content_purged_at__isnull=True
            ).values_list("pk", flat=True)
        )
        if not ids:
            continue
        Case.objects.filter(pk__in=ids).update(
            content_purged_at=timezone.now(), **{name: "" for name in CASE_TEXT}
        )
        AssessmentRow.objects.filter(case_id__in=ids).update(factors="", note="")
        Advice.objects.filter(review__case_id__in=ids).update(text="")
        CaseReview.objects.filter(case_id__in=ids).update(support_policy="")
        FollowUp.objects.filter(review__case_id__in=ids).update(comment="")
        Action.objects.filter(review__case_id__in=ids).update(what="（消去済み）")
        record(
            "case.content_purged",
            by=by,
            municipality=municipality,
            summary=f"{len(ids)}件の事例の内容を消去（{format_wareki(cutoff)}より前に終結）",
            case_ids=ids,
            cutoff=cutoff.isoformat(),
        )
        purged[municipality.code] = len(ids)
    return purged


# --- 会議モード: the room's saves. Each refuses once the meeting is closed. -------------------


@transaction.atomic
def set_present(
    *, attendance: Attendance, present: bool, by: User, request: MemberRequest | None = None
) -> Attendance:
    """Check-in: mark one attendee present (or not) in the room."""
    meeting = attendance.meeting
    refuse_if_closed(meeting)
    ids = set(meeting.attendances.filter(attended=True).values_list("pk", flat=True))
    ids = ids | {attendance.pk} if present else ids - {attendance.pk}
    record_attendance(meeting=meeting, present_ids=ids, by=by, request=request)
    attendance.attended = present
    return attendance


@transaction.atomic
def sign_in_room(
    *,
    attendance: Attendance,
    signer_name: str,
    affiliation: str,
    scope: str,
    by: User,
    request: MemberRequest | None = None,
) -> Pledge:
    """The attendee signs the meeting's pledge on the room's tablet, as themselves: the pledge
    names their attendance line (and their directory person when they have one), with the
    name they typed, the time and the policy version (confidentiality.services.record_pledge).
    The login that holds the tablet is recorded as the one who recorded it, never as signer."""
    meeting = attendance.meeting
    refuse_if_closed(meeting)
    if Pledge.objects.filter(attendance=attendance).exists():
        raise ValidationError(ALREADY_SIGNED)
    if squeeze(signer_name) != squeeze(attendance.name):
        raise ValidationError(
            {
                "signer_name": f"出席者名簿の氏名（{attendance.name}）と同じ氏名を、"
                "ご本人が入力してください。"
            }
        )
    pledge = Pledge(
        municipality_id=meeting.municipality_id,
        attendance=attendance,
        person=attendance.person,
        signer_name=signer_name.strip(),
        affiliation=affiliation.strip(),
        method=PledgeMethod.ONLINE,
    )
    if scope == PledgeScope.PER_FISCAL_YEAR:
        pledge.fiscal_year = fiscal_year(meeting.date)
    else:
        pledge.meeting = meeting
    return record_pledge(pledge=pledge, by=by, request=request)


@transaction.atomic
def run_timer(
    *, review: CaseReview, start: bool, by: User, request: MemberRequest | None = None
) -> CaseReview:
    """Start the case's timer (stopping any other case of the meeting) or stop it; the time
    used adds up over each stretch."""
    refuse_if_closed(review.meeting)
    now = timezone.now()
    running = CaseReview.objects.select_for_update().filter(
        meeting_id=review.meeting_id, timer_started_at__isnull=False
    )
    for other in running:
        if start and other.pk == review.pk:
            continue
        other.seconds_used = other.elapsed_seconds(now)
        other.timer_started_at = None
        other.save(update_fields=["seconds_used", "timer_started_at"])
    current = CaseReview.objects.get(pk=review.pk)
    if start and current.timer_started_at is None:
        current.timer_started_at = now
        current.save(update_fields=["timer_started_at"])
    review.seconds_used, review.timer_started_at = current.seconds_used, current.timer_started_at
    _record_on_agenda(
        "case.timer_started" if start else "case.timer_stopped",
        review,
        by=by,
        request=request,
        seconds=review.seconds_used,
    )
    return review


@transaction.atomic
def save_room_policy(
    *,
    review: CaseReview,
    support_policy: str,
    by: User,
    request: MemberRequest | None = None,
    fingerprint: str | None = None,
) -> CaseReview:
    """支援方針 typed in the room: record_review (with its conflict check), while open."""
    refuse_if_closed(review.meeting)
    if len(support_policy) > TEXT_CHARS:
        raise ValidationError(
            {"support_policy": f"支援方針は{TEXT_CHARS:,}文字以内で入力してください。"}
        )
    return record_review(
        review=review,
        support_policy=support_policy,
        by=by,
        request=request,
        fingerprint=fingerprint,
    )


def _adviser(advice: Advice, attendance: Attendance | None) -> None:
    """The advice names the attendee who gave it: their name and profession as on the list."""
    if attendance is None:
        raise ValidationError({"attendance": "助言した出席者を選んでください。"})
    if attendance.meeting_id != advice.review.meeting_id:
        raise ValidationError({"attendance": "この会議の出席者を選んでください。"})
    advice.attendance = attendance
    advice.adviser_name = attendance.name
    advice.profession = attendance.profession


def _refuse_stale_room_row(
    row: Advice | Action, fields: list[str], fingerprint: str | None
) -> None:
    """A room row is not changed once the meeting is closed, nor from a row opened before
    someone else's save of it (tsunagu.lib.concurrency); a new row (no pk) has nothing to be
    stale against."""
    refuse_if_closed(row.review.meeting)
    if row.pk is not None:
        stored = type(row)._default_manager.select_for_update().get(pk=row.pk)
        refuse_if_changed(stored, fields, fingerprint)


@transaction.atomic
def save_room_advice(
    *,
    advice: Advice,
    attendance: Attendance | None,
    text: str,
    by: User,
    request: MemberRequest | None = None,
    fingerprint: str | None = None,
) -> Advice:
    """Add (no pk) or change one attendee's advice in the room; a change made from a row
    opened before someone else's save of it is refused (tsunagu.lib.concurrency)."""
    _refuse_stale_room_row(advice, ADVICE_FIELDS, fingerprint)
    _adviser(advice, attendance)
    advice.text = text.strip()
    event = "case.advice_added" if advice.pk is None else "case.advice_updated"
    return _save_advice(advice, event, by=by, request=request)


@transaction.atomic
def save_room_action(
    *,
    action: Action,
    by: User,
    request: MemberRequest | None = None,
    fingerprint: str | None = None,
) -> Action:
    """Add (no pk) or change one 役割分担 row in the room."""
    _refuse_stale_room_row(action, ROOM_ACTION_FIELDS, fingerprint)
    event = "case.action_added" if action.pk is None else "case.action_updated"
    return _save_action(action, event, by=by, request=request)


# What each kind of room row is checked against, and the audit event of its deletion.
ROOM_ROW_DELETION = {
    Advice: (ADVICE_FIELDS, "case.advice_deleted"),
    Action: (ROOM_ACTION_FIELDS, "case.action_deleted"),
}


@transaction.atomic
def delete_room_row(
    *,
    row: Advice | Action,
    by: User,
    request: MemberRequest | None = None,
    fingerprint: str | None = None,
) -> None:
    """Delete one advice or 役割分担 row in the room, refused as a change would be."""
    fields, event = ROOM_ROW_DELETION[type(row)]
    _refuse_stale_room_row(row, fields, fingerprint)
    # An advice's audit entry says whose profession's advice went.
    details: dict[str, Any] = {"profession": row.profession} if isinstance(row, Advice) else {}
    record(event, target=row.review.case, by=by, request=request, **details)
    row.delete()


def reviewed_count(meeting: Meeting) -> int:
    """検討事例数 from the agenda: the cases whose review was recorded (支援方針 agreed)."""
    return CaseReview.objects.filter(meeting=meeting, reviewed_at__isnull=False).count()


@transaction.atomic
def close_from_room(
    *, meeting: Meeting, summary: str, by: User, request: MemberRequest | None = None
) -> Meeting:
    """Close the meeting from the room: timers stop, 検討事例数 is the agenda's reviewed
    cases, and meetings.services.close_meeting refuses while a present attendee of a meeting
    handling personal information has not signed (it names them)."""
    now = timezone.now()
    for review in CaseReview.objects.select_for_update().filter(
        meeting=meeting, timer_started_at__isnull=False
    ):
        review.seconds_used = review.elapsed_seconds(now)
        review.timer_started_at = None
        review.save(update_fields=["seconds_used", "timer_started_at"])
    return close_meeting(
        meeting=meeting,
        summary=summary,
        cases_reviewed=reviewed_count(meeting),
        by=by,
        request=request,
    )
