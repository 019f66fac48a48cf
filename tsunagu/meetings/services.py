"""Changes to meeting bodies, plans and meetings: validated, atomic and logged."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import record
from tsunagu.confidentiality.access import privacy_settings
from tsunagu.confidentiality.models import PrivacySettings
from tsunagu.lib import events
from tsunagu.lib.acting import MemberRequest
from tsunagu.lib.concurrency import refuse_if_changed
from tsunagu.lib.fiscal import format_fiscal_year
from tsunagu.lib.wareki import format_wareki
from tsunagu.organizations.models import Municipality

from .access import unsigned_present
from .choices import Status
from .models import Attendance, Meeting, MeetingType, PlanEntry
from .signals import meeting_type_changed


@transaction.atomic
def save_meeting_type(
    *, meeting_type: MeetingType, by: User, request: MemberRequest | None = None
) -> MeetingType:
    created = meeting_type.pk is None
    meeting_type.full_clean()
    meeting_type.save()
    record(
        "meeting_type.created" if created else "meeting_type.updated",
        target=meeting_type,
        by=by,
        request=request,
    )
    return meeting_type


def _locked(meeting: Meeting) -> Meeting:
    """The meeting as committed now, its row locked until the transaction ends (PostgreSQL):
    a meeting being closed at the same moment is seen closed, not overwritten."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def refuse_if_closed(meeting: Meeting) -> None:
    """A closed meeting's record is final: attendance, minutes and details no longer change.
    Call inside the transaction that changes the meeting (the row stays locked)."""
    if meeting.pk is not None and _locked(meeting).is_closed:
        raise ValidationError("記録を確定した会議は変更できません。")


# Fields with saves of their own (status, minutes, closing, purge). A change of details keeps
# them as committed, so it never undoes one of those saves made while the page was open.
OWN_SAVES = [
    "status",
    "minutes",
    "decisions",
    "summary",
    "cases_reviewed",
    "closed_at",
    "content_purged_at",
]

# What each page edits, fingerprinted when it opens (tsunagu.lib.concurrency): a save from a
# page opened before someone else's save of the same fields is refused, not written over it.
DETAIL_FIELDS = [
    "meeting_type",
    "center",
    "date",
    "start_time",
    "end_time",
    "venue",
    "format",
    "theme",
]
MINUTES_FIELDS = ["minutes", "decisions"]


@transaction.atomic
def save_meeting(
    *,
    meeting: Meeting,
    by: User,
    request: MemberRequest | None = None,
    fingerprint: str | None = None,
) -> Meeting:
    """Schedule a meeting or change its details, refusing a body the organiser may not host.

    `fingerprint`: of DETAIL_FIELDS as the page saw them; None checks nothing."""
    created = meeting.pk is None
    if not created:
        current = _locked(meeting)
        if current.is_closed:
            raise ValidationError("記録を確定した会議は変更できません。")
        refuse_if_changed(current, DETAIL_FIELDS, fingerprint)
        for name in OWN_SAVES:
            setattr(meeting, name, getattr(current, name))
    problem = meeting.meeting_type.host_problem(meeting.center)
    if problem:
        raise ValidationError({"center": problem})
    meeting.full_clean()
    meeting.save()
    if not created and current.meeting_type_id != meeting.meeting_type_id:
        meeting_type_changed.send(sender=Meeting, meeting=meeting)
    record(
        "meeting.scheduled" if created else "meeting.updated",
        target=meeting,
        by=by,
        request=request,
    )
    events.announce(events.meeting_saved, meeting=meeting, created=created)
    return meeting


@transaction.atomic
def set_status(
    *, meeting: Meeting, status: str, by: User, request: MemberRequest | None = None
) -> Meeting:
    """Cancel, postpone or put back a meeting that has not been closed."""
    current = _locked(meeting)
    meeting.status, meeting.closed_at = current.status, current.closed_at
    if meeting.is_closed:
        raise ValidationError("記録を確定した会議の状態は変更できません。")
    if status == Status.HELD:
        raise ValidationError("実施済にするには「開催結果を記録して確定」から記録してください。")
    previous = meeting.status
    meeting.status = status
    meeting.save(update_fields=["status"])
    record(
        "meeting.status_changed",
        target=meeting,
        by=by,
        request=request,
        previous=previous,
        status=status,
    )
    events.announce(events.meeting_status_changed, meeting=meeting, previous=previous)
    return meeting


@transaction.atomic
def add_attendee(
    *,
    meeting: Meeting,
    attendance: Attendance,
    by: User,
    request: MemberRequest | None = None,
) -> Attendance:
    """Invite someone from the directory, or add an ad-hoc attendee by name."""
    refuse_if_closed(meeting)
    person = attendance.person
    if person is not None:
        if person.municipality_id != meeting.municipality_id:
            raise ValidationError({"person": "他の市町村の人は招待できません。"})
        if meeting.attendances.filter(person=person).exists():
            raise ValidationError({"person": f"{person}さんはすでに登録されています。"})
        attendance.name = person.name
        attendance.profession = person.profession
        attendance.affiliation = str(person.affiliation or "")
        attendance.invited = True
    attendance.meeting = meeting
    attendance.full_clean()
    attendance.save()
    record(
        "meeting.attendee_added",
        target=meeting,
        by=by,
        request=request,
        name=attendance.name,
        role=attendance.role,
    )
    events.announce(events.attendee_added, meeting=meeting, attendance=attendance)
    return attendance


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    present_ids: set[int],
    by: User,
    request: MemberRequest | None = None,
) -> None:
    """Mark who was present; everyone else on the list was absent."""
    refuse_if_closed(meeting)
    meeting.attendances.update(attended=False)
    meeting.attendances.filter(pk__in=present_ids).update(attended=True)
    record(
        "meeting.attendance_recorded",
        target=meeting,
        by=by,
        request=request,
        present=len(present_ids),
    )


@transaction.atomic
def remove_attendee(
    *, attendance: Attendance, by: User, request: MemberRequest | None = None
) -> None:
    meeting = attendance.meeting
    refuse_if_closed(meeting)
    name, person_id = attendance.name, attendance.person_id
    attendance.delete()
    record("meeting.attendee_removed", target=meeting, by=by, request=request, name=name)
    events.announce(events.attendee_removed, meeting=meeting, person_id=person_id)


@transaction.atomic
def save_minutes(
    *,
    meeting: Meeting,
    by: User,
    request: MemberRequest | None = None,
    fingerprint: str | None = None,
) -> Meeting:
    """`fingerprint`: of MINUTES_FIELDS as the page saw them; None checks nothing."""
    current = _locked(meeting)
    if current.is_closed:
        raise ValidationError("記録を確定した会議は変更できません。")
    refuse_if_changed(current, MINUTES_FIELDS, fingerprint)
    meeting.full_clean()
    meeting.save(update_fields=["minutes", "decisions"])
    record("meeting.minutes_saved", target=meeting, by=by, request=request)
    return meeting


def closing_problems(meeting: Meeting, summary: str | None = None) -> list[str]:
    """Why the meeting cannot be closed yet (empty when it can); summary None skips its check."""
    problems = []
    if meeting.is_closed:
        problems.append("この会議の記録はすでに確定しています。")
    if meeting.status == Status.CANCELLED:
        problems.append("中止した会議は確定できません。")
    if meeting.date > timezone.localdate():
        problems.append("開催日より前に記録を確定することはできません。")
    if not meeting.attendances.filter(attended=True).exists():
        problems.append("出席者が記録されていません。出席者の画面で出席を記録してください。")
    unsigned = unsigned_present(meeting)
    if unsigned:
        problems.append(
            "誓約書に署名していない出席者がいます（画面または紙）: "
            + "、".join(f"{a.name}さん" for a in unsigned)
        )
    if summary is not None and not summary.strip():
        problems.append("開催結果の要約を入力してください。")
    return problems


@transaction.atomic
def close_meeting(
    *,
    meeting: Meeting,
    summary: str,
    cases_reviewed: int,
    by: User,
    request: MemberRequest | None = None,
) -> Meeting:
    """Record what happened and mark the meeting 実施済; the record is then fixed."""
    current = _locked(meeting)
    meeting.status, meeting.closed_at = current.status, current.closed_at
    problems = closing_problems(meeting, summary)
    if problems:
        raise ValidationError(problems)
    meeting.summary = summary.strip()
    meeting.cases_reviewed = cases_reviewed
    meeting.status = Status.HELD
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["summary", "cases_reviewed", "status", "closed_at"])
    present = meeting.attendances.filter(attended=True)
    record(
        "meeting.closed",
        target=meeting,
        by=by,
        request=request,
        attendees=present.count(),
        cases_reviewed=cases_reviewed,
    )
    return meeting


@transaction.atomic
def save_plan(
    *,
    municipality: Municipality,
    fiscal_year: int,
    counts: dict,
    by: User,
    request: MemberRequest | None = None,
) -> int:
    """Store planned counts per (meeting type, center or None); 0 or empty removes the plan.

    `counts` maps (meeting_type, center) to an int or None. Returns how many cells changed.
    """
    changed = 0
    # The year's entries in one query: the grid has a cell per body and center (thousands
    # for a prefecture), and only the cells that change are written.
    entries = {
        (entry.meeting_type_id, entry.center_id): entry
        for entry in PlanEntry.objects.filter(municipality=municipality, fiscal_year=fiscal_year)
    }
    for (meeting_type, center), count in counts.items():
        existing = entries.get((meeting_type.pk, center.pk if center else None))
        if not count:
            if existing:
                existing.delete()
                changed += 1
            continue
        if existing and existing.planned_count == count:
            continue
        entry = existing or PlanEntry(
            municipality=municipality,
            fiscal_year=fiscal_year,
            meeting_type=meeting_type,
            center=center,
        )
        entry.planned_count = count
        entry.full_clean()
        entry.save()
        changed += 1
    if changed:
        record(
            "plan.saved",
            by=by,
            municipality=municipality,
            request=request,
            summary=f"{format_fiscal_year(fiscal_year)}の年間計画",
            fiscal_year=fiscal_year,
            changed=changed,
        )
    return changed


def retention_cutoff(settings: PrivacySettings, today: datetime.date) -> datetime.date:
    """Meetings dated before this day are past the municipality's retention period."""
    try:
        return today.replace(year=today.year - settings.retention_years)
    except ValueError:  # 29 February in a year that has none
        return today.replace(year=today.year - settings.retention_years, day=28)


@transaction.atomic
def purge_expired_content(*, today: datetime.date, by: User | None = None) -> dict:
    """Erase the case content of meetings past retention; keep what statistics need.

    Minutes, decisions, the closing summary and the theme go; the meeting itself, its body,
    date, counts, attendance and status stay, so counts and outcomes do not change. Safe to
    run again: meetings already purged are skipped.
    """
    purged = {}
    for municipality in Municipality.objects.all():
        cutoff = retention_cutoff(privacy_settings(municipality), today)
        expired = Meeting.objects.filter(
            municipality=municipality,
            meeting_type__handles_personal_info=True,
            date__lt=cutoff,
            content_purged_at__isnull=True,
        )
        ids = list(expired.values_list("pk", flat=True))
        if not ids:
            continue
        Meeting.objects.filter(pk__in=ids).update(
            minutes="", decisions="", summary="", theme="", content_purged_at=timezone.now()
        )
        record(
            "meeting.content_purged",
            by=by,
            municipality=municipality,
            summary=f"{len(ids)}件の会議の内容を消去（{format_wareki(cutoff)}より前）",
            meeting_ids=ids,
            cutoff=cutoff.isoformat(),
        )
        purged[municipality.code] = len(ids)
    return purged
