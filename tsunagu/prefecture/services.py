"""State changes of the prefecture tier: the pool, requests, assignments and answers, training.

Every change is atomic, validated and audited. On acceptance the adviser reaches the meeting
through a municipality membership limited to the adviser role, whose directory person attends
only the meetings they were dispatched to, and which expires at the end of the adviser window
(see `grant_access`); nobody makes it by hand, and cancelling the dispatch takes it back.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import Membership, Role, User
from tsunagu.audit.services import log
from tsunagu.confidentiality.access import privacy_settings
from tsunagu.lib import events
from tsunagu.lib.acting import MemberRequest
from tsunagu.meetings import services as meeting_services
from tsunagu.meetings.choices import AttendanceRole, Status
from tsunagu.meetings.models import Attendance, Meeting
from tsunagu.organizations.models import Municipality, Person

from .access import prefecture_of
from .choices import AssignmentStatus, RequestStatus
from .matching import candidates
from .models import (
    AdviserProfile,
    Assignment,
    DispatchRequest,
    PrefectureMembership,
    Training,
    TrainingAttendee,
)

DISPATCH_NOTE = "県の専門職派遣で登録"


def _audit(
    action,
    *,
    by: User | None,
    target,
    request: MemberRequest | None = None,
    municipality: Municipality | int | None = None,
    **data,
) -> None:
    """The one place this app writes to the audit log (its call shape may change)."""
    log(
        action,
        by=by,
        municipality=municipality,
        target=target,
        request=request,
        summary=str(target)[:255],
        **data,
    )


def _audit_dispatch(
    action, target, asked: DispatchRequest, /, *, by: User, request=None, **data
) -> None:
    """A step of a dispatch, recorded under the municipality that `asked`."""
    _audit(
        action, by=by, target=target, request=request, municipality=asked.municipality_id, **data
    )


# The pool


@transaction.atomic
def save_adviser(
    *,
    adviser: AdviserProfile,
    username: str = "",
    municipalities=(),
    areas=(),
    associations: list[str] | None = None,
    by: User,
    request: MemberRequest | None = None,
) -> AdviserProfile:
    """Register or update a pooled professional. A new one is linked to the login named
    `username`, which is made (without a usable password) when it does not exist yet.
    `associations`: those a coordinator keeps, one of which the adviser must belong to
    (None: any)."""
    if associations is not None and adviser.association.strip() not in associations:
        raise ValidationError("調整する所属団体のアドバイザーだけを登録・変更できます。")
    created = adviser.pk is None
    if created:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=adviser.name)
            user.set_unusable_password()
            user.full_clean()
            user.save()
        adviser.user = user
    _check_places(adviser, municipalities, areas)
    adviser.full_clean()
    adviser.save()
    adviser.municipalities.set(municipalities)
    adviser.areas.set(areas)
    _audit(
        "prefecture.adviser_registered" if created else "prefecture.adviser_changed",
        by=by,
        target=adviser,
        request=request,
        profession=adviser.profession,
        availability=adviser.availability,
        monthly_limit=adviser.monthly_limit,
    )
    return adviser


@transaction.atomic
def _check_places(adviser: AdviserProfile, municipalities, areas) -> None:
    allowed = set(adviser.prefecture.municipalities.values_list("pk", flat=True))
    if any(m.pk not in allowed for m in municipalities) or any(
        a.municipality_id not in allowed for a in areas
    ):
        raise ValidationError("他の都道府県の市町村・圏域は選べません。")


@transaction.atomic
def save_own_availability(
    *,
    adviser: AdviserProfile,
    municipalities=None,
    areas=None,
    by: User,
    request: MemberRequest | None = None,
) -> AdviserProfile:
    """The professional's own update of their profile, where they can go, when and how
    often (None: the places stay as they are)."""
    if adviser.user_id != by.pk:
        raise ValidationError("自分の登録だけを変更できます。")
    if municipalities is not None or areas is not None:
        municipalities = list(municipalities or [])
        areas = list(areas or [])
        _check_places(adviser, municipalities, areas)
    adviser.full_clean()
    adviser.save(
        update_fields=[
            "name",
            "furigana",
            "affiliation",
            "availability",
            "monthly_limit",
            "is_active",
            "note",
        ]
    )
    if municipalities is not None:
        adviser.municipalities.set(municipalities)
        adviser.areas.set(areas)
    _audit(
        "prefecture.availability_changed",
        by=by,
        target=adviser,
        request=request,
        availability=adviser.availability,
        monthly_limit=adviser.monthly_limit,
        is_active=adviser.is_active,
        municipalities=[m.pk for m in municipalities] if municipalities is not None else None,
    )
    return adviser


@transaction.atomic
def add_prefecture_member(
    *,
    membership: PrefectureMembership,
    username: str = "",
    full_name: str = "",
    by: User,
    request: MemberRequest | None = None,
):
    """Give a login a role in the prefecture (staff, a coordinator's association, a viewer).
    A login ID that does not exist yet is made without a usable password, as for the pool."""
    if membership.user_id is None:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name)
            user.set_unusable_password()
            user.full_clean()
            user.save()
        membership.user = user
    if PrefectureMembership.objects.filter(
        user_id=membership.user_id, prefecture_id=membership.prefecture_id
    ).exists():
        raise ValidationError("このログインIDにはすでにこの都道府県での役割があります。")
    membership.full_clean()
    membership.save()
    _audit(
        "prefecture.member_added", by=by, target=membership, request=request, role=membership.role
    )
    return membership


# Requests (by the municipality)


@transaction.atomic
def request_dispatch(
    *,
    meeting: Meeting,
    profession: str,
    note: str = "",
    by: User,
    request: MemberRequest | None = None,
) -> DispatchRequest:
    """A municipality asks its prefecture for an adviser of `profession` at `meeting`."""
    prefecture = prefecture_of(meeting.municipality)
    if prefecture is None:
        raise ValidationError("この市町村の都道府県は、専門職派遣の仕組みをまだ使っていません。")
    if meeting.status != Status.PLANNED or meeting.date < timezone.localdate():
        raise ValidationError("これから開催する予定の会議にだけ派遣を依頼できます。")
    if DispatchRequest.objects.filter(
        meeting=meeting,
        profession=profession,
        status__in=[RequestStatus.OPEN, RequestStatus.ASSIGNED, RequestStatus.ACCEPTED],
    ).exists():
        raise ValidationError("この会議には同じ職種の依頼がすでにあります。")
    dispatch_request = DispatchRequest(
        municipality=meeting.municipality,
        prefecture=prefecture,
        meeting=meeting,
        profession=profession,
        note=note,
        requested_by=by,
    )
    dispatch_request.full_clean()
    dispatch_request.save()
    _audit_dispatch(
        "dispatch.requested",
        dispatch_request,
        dispatch_request,
        by=by,
        request=request,
        meeting=meeting.pk,
        profession=profession,
    )
    events.announce(events.dispatch_requested, dispatch_request=dispatch_request)
    return dispatch_request


def _live_assignment(dispatch_request) -> Assignment | None:
    return (
        dispatch_request.assignments.select_for_update()
        .filter(status__in=[AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED])
        .first()
    )


def _refuse_if_past(dispatch_request) -> None:
    if dispatch_request.meeting.date < timezone.localdate():
        raise ValidationError("開催日を過ぎた会議の派遣は変更できません。")


@transaction.atomic
def cancel_request(
    *,
    dispatch_request: DispatchRequest,
    reason: str = "",
    by: User,
    request: MemberRequest | None = None,
):
    """The municipality withdraws its request; an adviser already on it is released."""
    dispatch_request = DispatchRequest.objects.select_for_update().get(pk=dispatch_request.pk)
    if dispatch_request.status == RequestStatus.CANCELLED:
        raise ValidationError("この依頼はすでに取り消されています。")
    _refuse_if_past(dispatch_request)
    assignment = _live_assignment(dispatch_request)
    if assignment is not None:
        _end_assignment(assignment, AssignmentStatus.CANCELLED, reason, by=by)
    dispatch_request.status = RequestStatus.CANCELLED
    dispatch_request.save(update_fields=["status", "updated_at"])
    _audit_dispatch(
        "dispatch.request_cancelled",
        dispatch_request,
        dispatch_request,
        by=by,
        request=request,
        reason=reason,
        adviser=assignment.adviser_id if assignment else None,
    )
    events.announce(events.dispatch_ended, assignment=assignment)
    return dispatch_request


# Assignments (by the coordinator)


@transaction.atomic
def assign(
    *,
    dispatch_request: DispatchRequest,
    adviser: AdviserProfile,
    by: User,
    request: MemberRequest | None = None,
):
    """The coordinator asks one adviser who fits; the request waits for the answer."""
    dispatch_request = DispatchRequest.objects.select_for_update().get(pk=dispatch_request.pk)
    if dispatch_request.status != RequestStatus.OPEN:
        raise ValidationError("この依頼は割り当てを待っていません。")
    _refuse_if_past(dispatch_request)
    # Locks the adviser's row, so that two coordinators cannot both fill their last slot.
    AdviserProfile.objects.select_for_update().filter(pk=adviser.pk).first()
    if not candidates(dispatch_request).filter(pk=adviser.pk).exists():
        raise ValidationError(
            f"{adviser.name}さんは、職種・派遣先・日時・月の回数のいずれかが条件に合いません。"
        )
    assignment = Assignment(request=dispatch_request, adviser=adviser, assigned_by=by)
    assignment.full_clean()
    assignment.save()
    dispatch_request.status = RequestStatus.ASSIGNED
    dispatch_request.save(update_fields=["status", "updated_at"])
    _audit_dispatch(
        "dispatch.assigned",
        assignment,
        dispatch_request,
        by=by,
        request=request,
        dispatch_request=dispatch_request.pk,
        adviser=adviser.pk,
    )
    events.announce(events.dispatch_assigned, assignment=assignment)
    return assignment


@transaction.atomic
def withdraw_assignment(
    *,
    assignment: Assignment,
    reason: str = "",
    by: User,
    request: MemberRequest | None = None,
):
    """The coordinator takes an assignment back (a change of plan); the request reopens."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status not in (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED):
        raise ValidationError("この割当はすでに終わっています。")
    _refuse_if_past(assignment.request)
    _end_assignment(assignment, AssignmentStatus.CANCELLED, reason, by=by)
    _reopen(assignment.request)
    _audit_dispatch(
        "dispatch.assignment_withdrawn",
        assignment,
        assignment.request,
        by=by,
        request=request,
        reason=reason,
    )
    events.announce(events.dispatch_ended, assignment=assignment)
    return assignment


# Answers (by the adviser)


@transaction.atomic
def answer(
    *,
    assignment: Assignment,
    accept: bool,
    reason: str = "",
    by: User,
    request: MemberRequest | None = None,
):
    """The adviser accepts (and becomes an invited attendee with access to that meeting) or
    declines with a reason (which also withdraws an earlier acceptance); declining returns
    the request to the coordinator."""
    assignment = (
        Assignment.objects.select_for_update().select_related("adviser").get(pk=assignment.pk)
    )
    if assignment.adviser.user_id != by.pk:
        raise ValidationError("自分への依頼にだけ回答できます。")
    _refuse_if_past(assignment.request)
    if accept:
        if assignment.status != AssignmentStatus.PENDING:
            raise ValidationError("この依頼には回答済みです。")
        grant_access(assignment, by=by)
        assignment.status = AssignmentStatus.ACCEPTED
        assignment.answered_at = timezone.now()
        assignment.save()
        assignment.request.status = RequestStatus.ACCEPTED
        assignment.request.save(update_fields=["status", "updated_at"])
    else:
        if assignment.status not in (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED):
            raise ValidationError("この依頼には回答済みです。")
        if not reason.strip():
            raise ValidationError({"reason": "辞退の理由を入力してください。"})
        _end_assignment(assignment, AssignmentStatus.DECLINED, reason, by=by)
        _reopen(assignment.request)
    _audit_dispatch(
        "dispatch.accepted" if accept else "dispatch.declined",
        assignment,
        assignment.request,
        by=by,
        request=request,
        reason=reason,
    )
    events.announce(events.dispatch_answered, assignment=assignment)
    return assignment


def _reopen(dispatch_request) -> None:
    dispatch_request.status = RequestStatus.OPEN
    dispatch_request.save(update_fields=["status", "updated_at"])


def _end_assignment(assignment: Assignment, status: str, reason: str, *, by: User) -> None:
    if assignment.status == AssignmentStatus.ACCEPTED:
        revoke_access(assignment, by=by)
    assignment.status = status
    assignment.reason = reason[:200]
    assignment.answered_at = timezone.now()
    assignment.save()


# Access to the one meeting


def window_end(meeting: Meeting) -> datetime.date:
    """The last day of the adviser window after the meeting (the municipality's setting)."""
    return meeting.date + datetime.timedelta(
        days=privacy_settings(meeting.municipality).adviser_days_after
    )


def grant_access(assignment: Assignment, *, by: User) -> None:
    """Make the accepted adviser an invited attendee of the meeting, reachable through a
    membership limited to the adviser role.

    - No membership in that municipality: one is created (role 助言者, a directory person of
      its own, expiring at the end of the adviser window). An adviser sees only the meetings
      their person attends and the cases on those meetings' agendas (meetings.access,
      cases.access), so this membership opens this meeting and nothing else.
    - A membership the municipality made by hand: used as it is (its role and expiry are the
      municipality's decision); it must be current.
    """
    meeting = assignment.request.meeting
    adviser = assignment.adviser
    membership = Membership.objects.filter(
        user_id=adviser.user_id, municipality_id=meeting.municipality_id
    ).first()
    made_by_dispatch = membership is not None and _made_by_dispatch(membership)
    if membership is not None and not made_by_dispatch and not membership.is_current():
        raise ValidationError(
            "この市町村でのあなたの所属が無効になっています。市町村にお問い合わせください。"
        )
    if membership is None:
        membership = Membership(
            user_id=adviser.user_id, municipality_id=meeting.municipality_id, role=Role.ADVISER
        )
        made_by_dispatch = True
    if membership.person_id is None:
        person = Person(
            municipality_id=meeting.municipality_id,
            name=adviser.name,
            furigana=adviser.furigana,
            profession=adviser.profession,
            note=f"{DISPATCH_NOTE}（{adviser.association or adviser.prefecture}）",
        )
        person.full_clean()
        person.save()
        membership.person = person
    if made_by_dispatch:
        membership.is_active = True
        membership.expires_on = max(
            [window_end(meeting)]
            + [
                window_end(other.request.meeting)
                for other in (
                    _accepted_through(membership).exclude(pk=assignment.pk) if membership.pk else []
                )
            ]
        )
    membership.full_clean()
    membership.save()
    attendance = Attendance.objects.filter(meeting=meeting, person=membership.person).first()
    if attendance is None:
        attendance = meeting_services.add_attendee(
            meeting=meeting,
            attendance=Attendance(person=membership.person, role=AttendanceRole.ADVISER),
            by=by,
        )
        Attendance.objects.filter(pk=attendance.pk).update(
            affiliation=(adviser.affiliation or adviser.association)[:100]
        )
    assignment.membership = membership
    assignment.membership_created = made_by_dispatch
    assignment.attendance = attendance


def revoke_access(assignment: Assignment, *, by: User) -> None:
    """Undo `grant_access`: the invitation goes, and a membership the dispatch made ends
    with the last dispatch through it."""
    meeting = assignment.request.meeting
    if assignment.attendance is not None and not meeting.is_closed:
        meeting_services.remove_attendee(attendance=assignment.attendance, by=by)
    assignment.attendance = None
    membership = assignment.membership
    if membership is None or not assignment.membership_created:
        return
    others = [a.request.meeting for a in _accepted_through(membership).exclude(pk=assignment.pk)]
    if others:
        membership.expires_on = max(window_end(m) for m in others)
    else:
        membership.is_active = False
    membership.save(update_fields=["is_active", "expires_on"])


def refresh_dispatch_windows(meeting: Meeting) -> None:
    """Re-date the memberships that accepted dispatches to `meeting` made, after the meeting
    moved: each expires with the latest window of the dispatches through it."""
    for assignment in Assignment.objects.filter(
        request__meeting=meeting, status=AssignmentStatus.ACCEPTED, membership_created=True
    ).select_related("membership"):
        membership = assignment.membership
        if membership is None:
            continue
        expires_on = max(window_end(a.request.meeting) for a in _accepted_through(membership))
        if membership.expires_on != expires_on:
            old = membership.expires_on
            membership.expires_on = expires_on
            membership.save(update_fields=["expires_on"])
            _audit(
                "dispatch.window_moved",
                by=None,
                target=assignment,
                municipality=meeting.municipality_id,
                expires_on=str(expires_on),
                was=str(old),
            )


def _accepted_through(membership):
    return Assignment.objects.filter(
        membership=membership, status=AssignmentStatus.ACCEPTED
    ).select_related("request__meeting__municipality")


def _made_by_dispatch(membership) -> bool:
    return Assignment.objects.filter(membership=membership, membership_created=True).exists()


# Training


@transaction.atomic
def save_training(
    *, training: Training, by: User, request: MemberRequest | None = None
) -> Training:
    created = training.pk is None
    training.full_clean()
    training.save()
    _audit(
        "training.created" if created else "training.changed",
        by=by,
        target=training,
        request=request,
        kind=training.kind,
    )
    return training


@transaction.atomic
def add_training_attendee(
    *,
    training: Training,
    attendee: TrainingAttendee,
    by: User,
    request: MemberRequest | None = None,
) -> TrainingAttendee:
    """Record a participant: a pooled adviser (their login) or a person of a municipality of
    the same prefecture."""
    if attendee.person is not None:
        if not attendee.person.municipality.code.startswith(training.prefecture.code):
            raise ValidationError("他の都道府県の市町村の人は登録できません。")
        attendee.name = attendee.person.name
        attendee.affiliation = attendee.affiliation or str(attendee.person.municipality)
    attendee.training = training
    attendee.full_clean()
    attendee.save()
    _audit(
        "training.attendee_added",
        by=by,
        target=training,
        request=request,
        name=attendee.name,
        completed=attendee.completed,
    )
    return attendee
