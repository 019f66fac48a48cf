"""Changes to meeting bodies, plans and meetings: validated, atomic and logged."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.audit.services import record
from tsunagu.confidentiality.access import privacy_settings
from tsunagu.confidentiality.models import PrivacySettings
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.lib import events
from tsunagu.lib.acting import MemberRequest
from tsunagu.lib.concurrency import refuse_if_changed
from tsunagu.lib.fiscal import format_fiscal_year
from tsunagu.lib.uploads import handout_kind
from tsunagu.lib.wareki import format_wareki
from tsunagu.organizations.models import Municipality, Person

from .access import unsigned_present
from .choices import AttendanceRole, Status
from .models import (
    ALREADY_SIGNED,
    Attendance,
    Handout,
    Meeting,
    MeetingType,
    PlanEntry,
    Pledge,
    PledgeMethod,
)
from .signals import meeting_type_changed


@transaction.atomic
def save_meeting_type(
    *,
    meeting_type: MeetingType,
    by: User,
    request: MemberRequest | None = None,
    standing_members: Iterable[Person] | None = None,
) -> MeetingType:
    """`standing_members`: the body's 構成員 from the directory; None leaves them as they are."""
    created = meeting_type.pk is None
    meeting_type.full_clean()
    members = list(standing_members) if standing_members is not None else None
    if members is not None and any(
        p.municipality_id != meeting_type.municipality_id for p in members
    ):
        raise ValidationError({"standing_members": "他の市町村の人は構成員にできません。"})
    meeting_type.save()
    if members is not None:
        meeting_type.standing_members.set(members)
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
    "area",
]
MINUTES_FIELDS = ["minutes", "decisions"]


@transaction.atomic
def save_meeting(
    *,
    meeting: Meeting,
    by: User,
    request: MemberRequest | None = None,
    fingerprint: str | None = None,
    joint_types: Iterable[MeetingType] | None = None,
) -> Meeting:
    """Schedule a meeting or change its details, refusing a body the organiser may not host.

    `fingerprint`: of DETAIL_FIELDS as the page saw them; None checks nothing.
    `joint_types`: the other bodies a joint meeting counts for; None leaves them as they are."""
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
    joint = _joint_types(meeting, joint_types)
    meeting.save()
    if joint is not None:
        meeting.joint_meeting_types.set(joint)
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


def _joint_types(
    meeting: Meeting, joint_types: Iterable[MeetingType] | None
) -> list[MeetingType] | None:
    """The other bodies of a joint meeting, checked: the same municipality, not its own body."""
    if joint_types is None:
        return None
    joint = [t for t in joint_types if t.pk != meeting.meeting_type_id]
    if any(t.municipality_id != meeting.municipality_id for t in joint):
        raise ValidationError({"joint_meeting_types": "他の市町村の会議体は選べません。"})
    return joint


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
def invite_people(
    *,
    meeting: Meeting,
    people: Iterable[Person],
    by: User,
    role: str = AttendanceRole.PARTICIPANT,
    request: MemberRequest | None = None,
) -> int:
    """Invite people from the directory in one role (助言者, 参加者...); those already on the
    list are skipped. Returns how many were added."""
    refuse_if_closed(meeting)
    people = list(people)
    if any(person.municipality_id != meeting.municipality_id for person in people):
        raise ValidationError({"person": "他の市町村の人は招待できません。"})
    already = set(meeting.attendances.exclude(person=None).values_list("person_id", flat=True))
    added = 0
    for person in people:
        if person.pk in already:
            continue
        already.add(person.pk)
        attendance = Attendance(
            meeting=meeting,
            person=person,
            name=person.name,
            profession=person.profession,
            affiliation=str(person.affiliation or ""),
            role=role,
            invited=True,
        )
        attendance.full_clean()
        attendance.save()
        events.announce(events.attendee_added, meeting=meeting, attendance=attendance)
        added += 1
    if added:
        record("meeting.attendees_invited", target=meeting, by=by, request=request, added=added)
    return added


def invite_standing_members(
    *, meeting: Meeting, by: User, request: MemberRequest | None = None
) -> int:
    """Invite the 構成員 of the meeting's body (and of the bodies it is held jointly with)."""
    people = Person.objects.filter(
        municipality_id=meeting.municipality_id, standing_bodies=meeting.meeting_type_id
    ) | Person.objects.filter(
        municipality_id=meeting.municipality_id,
        standing_bodies__in=meeting.joint_meeting_types.all(),
    )
    members = list(people.distinct().select_related("organization", "center").order_by("id"))
    if not members:
        raise ValidationError(
            f"「{meeting.meeting_type}」には構成員が登録されていません（会議体の画面で登録します）。"
        )
    return invite_people(meeting=meeting, people=members, by=by, request=request)


@transaction.atomic
def copy_meeting(
    *,
    meeting: Meeting,
    date: datetime.date,
    by: User,
    request: MemberRequest | None = None,
) -> Meeting:
    """A new meeting like `meeting` on another day: the same body (and joint bodies), organiser,
    圏域, place, time and format, with everyone on its list invited again."""
    copy = Meeting(
        municipality_id=meeting.municipality_id,
        meeting_type=meeting.meeting_type,
        center=meeting.center,
        area=meeting.area,
        date=date,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        venue=meeting.venue,
        format=meeting.format,
    )
    save_meeting(
        meeting=copy,
        by=by,
        request=request,
        joint_types=list(meeting.joint_meeting_types.all()),
    )
    for attendance in meeting.attendances.all():
        invited = Attendance.objects.create(
            meeting=copy,
            person_id=attendance.person_id,
            name=attendance.name,
            profession=attendance.profession,
            affiliation=attendance.affiliation,
            role=attendance.role,
            invited=True,
        )
        events.announce(events.attendee_added, meeting=copy, attendance=invited)
    record("meeting.copied", target=copy, by=by, request=request, source=meeting.pk)
    return copy


MAX_SERIES = 24


@transaction.atomic
def create_series(
    *,
    meeting: Meeting,
    dates: Iterable[datetime.date],
    by: User,
    request: MemberRequest | None = None,
    joint_types: Iterable[MeetingType] = (),
) -> list[Meeting]:
    """Schedule the year's meetings at once: one meeting like `meeting` (unsaved) per date."""
    days = sorted(set(dates))
    if not days:
        raise ValidationError({"dates": "開催日を1つ以上入力してください。"})
    if len(days) > MAX_SERIES:
        raise ValidationError({"dates": f"一度に登録できるのは{MAX_SERIES}回までです。"})
    joint = list(joint_types)
    created = []
    for day in days:
        copy = Meeting(
            municipality_id=meeting.municipality_id,
            meeting_type=meeting.meeting_type,
            center=meeting.center,
            area=meeting.area,
            date=day,
            start_time=meeting.start_time,
            end_time=meeting.end_time,
            venue=meeting.venue,
            format=meeting.format,
            theme=meeting.theme,
        )
        created.append(save_meeting(meeting=copy, by=by, request=request, joint_types=joint))
    return created


MAX_HANDOUT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def add_handout(
    *,
    meeting: Meeting,
    upload: UploadedFile,
    title: str,
    by: User,
    request: MemberRequest | None = None,
) -> Handout:
    """Attach a PDF, Word (.docx) or Excel (.xlsx) file, judged by its content, up to 10 MB."""
    refuse_if_closed(meeting)
    if upload.size is None or upload.size > MAX_HANDOUT_BYTES:
        raise ValidationError({"file": "ファイルが大きすぎます（10MBまで）。"})
    kind = handout_kind(upload)
    if kind is None:
        raise ValidationError(
            {"file": "PDF・Word（.docx）・Excel（.xlsx）のファイルを選んでください。"}
        )
    stem = (upload.name or "").rsplit(".", 1)[0]
    handout = Handout(
        meeting=meeting,
        title=(title.strip() or stem or "配布資料")[:100],
        kind=kind,
        size=upload.size,
        uploaded_by=by.get_username() if by else "",
    )
    handout.file.save(f"handout.{kind}", upload, save=False)
    handout.full_clean()
    handout.save()
    record("meeting.handout_added", target=meeting, by=by, request=request, title=handout.title)
    return handout


@transaction.atomic
def delete_handout(*, handout: Handout, by: User, request: MemberRequest | None = None) -> None:
    meeting = handout.meeting
    refuse_if_closed(meeting)
    title, storage, name = handout.title, handout.file.storage, handout.file.name
    handout.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    record("meeting.handout_deleted", target=meeting, by=by, request=request, title=title)


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    present_ids: set[int],
    by: User,
    roles: dict[int, str] | None = None,
    request: MemberRequest | None = None,
) -> None:
    """Mark who was present (everyone else on the list was absent) and, where given, each
    attendee's role; unknown roles are refused before anything is saved."""
    refuse_if_closed(meeting)
    roles = roles or {}
    if any(role not in AttendanceRole.values for role in roles.values()):
        raise ValidationError({"role": "役割の選択が正しくありません。"})
    meeting.attendances.update(attended=False)
    meeting.attendances.filter(pk__in=present_ids).update(attended=True)
    for role in set(roles.values()):
        ids = [pk for pk, chosen in roles.items() if chosen == role]
        meeting.attendances.filter(pk__in=ids).exclude(role=role).update(role=role)
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


@transaction.atomic
def record_pledge(*, pledge: Pledge, by: User, request: MemberRequest | None = None) -> Pledge:
    """Store a pledge signed on screen or received on paper. One per signer and meeting/年度."""
    if not pledge.signer_name.strip():
        raise ValidationError({"signer_name": "氏名を入力してください。"})
    chosen = pledge.person_id or pledge.attendance_id
    if pledge.method == PledgeMethod.PAPER and not pledge.scan and not chosen:
        raise ValidationError(
            "紙の誓約書は、出席者を選ぶか、スキャンしたファイルを添付してください。"
        )
    pledge.policy_version = policy_for_signing(pledge.municipality, by=by)
    pledge.recorded_by = by.get_username() if by else ""
    pledge.full_clean()
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError as error:
        raise ValidationError(ALREADY_SIGNED) from error
    record(
        "pledge.signed" if pledge.method == PledgeMethod.ONLINE else "pledge.paper_recorded",
        by=by,
        municipality=pledge.municipality_id,
        target=pledge,
        request=request,
        summary=str(pledge),
        version=pledge.policy_version.version,
    )
    return pledge
