"""Notifications for the events that meetings, cases and issues announce (tsunagu.lib.events).

The lower apps never import this one: they announce what happened after their transaction
commits, and `connect()` (from AppConfig.ready) subscribes the functions below."""

from django.db import transaction
from django.utils import timezone

from tsunagu.centerwork.choices import SubmissionStatus
from tsunagu.lib import events
from tsunagu.meetings.choices import Status
from tsunagu.prefecture.choices import AssignmentStatus, RequestStatus
from tsunagu.prefecture.models import Assignment

from . import ics, messages, recipients
from .models import Kind, MeetingCalendar
from .services import notify, notify_each


def fingerprint(meeting) -> str:
    return "|".join(
        str(value)
        for value in (
            meeting.date,
            meeting.start_time,
            meeting.end_time,
            meeting.venue,
            meeting.format,
            meeting.status,
        )
    )[:300]


def calendar_state(meeting) -> tuple[MeetingCalendar, bool]:
    """The meeting's invitation state (locked), and whether its details changed since."""
    state, created = MeetingCalendar.objects.select_for_update().get_or_create(
        meeting=meeting, defaults={"fingerprint": fingerprint(meeting)}
    )
    changed = not created and state.fingerprint != fingerprint(meeting)
    if changed:
        state.sequence += 1
        state.fingerprint = fingerprint(meeting)
        state.save(update_fields=["sequence", "fingerprint"])
    return state, changed


def invitation_calendar(meeting, person, *, sequence: int, method: str) -> str:
    if not person.email:
        return ""
    return ics.invitation(
        meeting, sequence=sequence, method=method, attendee_email=person.email, name=person.name
    )


def send_invitation(meeting, person, *, sequence: int) -> None:
    subject, body = messages.invitation(meeting)
    notify(
        person=person,
        kind=Kind.INVITATION,
        key=f"meeting:{meeting.pk}:invited",
        subject=subject,
        body=body,
        link=messages.meeting_link(meeting),
        calendar=invitation_calendar(meeting, person, sequence=sequence, method="REQUEST"),
    )
    if meeting.meeting_type.handles_personal_info and not recipients.pledged(person, meeting):
        subject, body, link = messages.pledge_request(meeting)
        notify(
            person=person,
            kind=Kind.PLEDGE_REQUEST,
            key=f"meeting:{meeting.pk}",
            subject=subject,
            body=body,
            link=link,
        )


@transaction.atomic
def on_attendee_added(sender, meeting, attendance, **kwargs):
    if attendance.person_id is None or meeting.date < timezone.localdate():
        return  # an ad-hoc name, or a past meeting recorded afterwards
    if meeting.status == Status.CANCELLED:
        return
    state, _changed = calendar_state(meeting)
    send_invitation(meeting, attendance.person, sequence=state.sequence)


@transaction.atomic
def on_meeting_changed(sender, meeting, **kwargs):
    """A change of date, time, place, format or status: everyone invited hears of it, with
    the same UID and a higher SEQUENCE (METHOD:CANCEL when cancelled)."""
    meeting.refresh_from_db()
    state, changed = calendar_state(meeting)
    if not changed or meeting.is_closed:
        return
    if meeting.status == Status.CANCELLED:
        subject, body = messages.cancelled(meeting)
        method = "CANCEL"
    elif meeting.status == Status.POSTPONED:
        subject, body = messages.postponed(meeting)
        method = "REQUEST"
    else:
        subject, body = messages.changed(meeting)
        method = "REQUEST"
    attendees = list(recipients.attendees(meeting))
    for person in attendees:
        notify(
            person=person,
            kind=Kind.INVITATION,
            key=f"meeting:{meeting.pk}:v{state.sequence}",
            subject=subject,
            body=body,
            link=messages.meeting_link(meeting),
            calendar=invitation_calendar(meeting, person, sequence=state.sequence, method=method),
        )
    dispatch_meeting_changed(meeting, state.sequence, attendees)


def dispatch_meeting_changed(meeting, sequence: int, attendees) -> None:
    """A meeting an adviser is dispatched to moved (or was cancelled): the adviser (unless
    already told as an attendee) and the coordinator who assigned them hear of it."""
    live = Assignment.objects.filter(
        request__meeting=meeting, status__in=[AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED]
    ).select_related("adviser__user", "assigned_by", "request__meeting", "request__municipality")
    for assignment in live:
        key = f"assignment:{assignment.pk}:meeting-v{sequence}"
        adviser = recipients.adviser(assignment)
        if adviser is not None and adviser not in attendees:
            subject, body, link = messages.dispatch_moved(assignment, for_coordinator=False)
            _tell(adviser, Kind.DISPATCH_ASSIGNMENT, key, subject, body, link, meeting)
        coordinator = recipients.coordinator(assignment)
        if coordinator is not None:
            subject, body, link = messages.dispatch_moved(assignment, for_coordinator=True)
            _tell(coordinator, Kind.DISPATCH_ANSWER, key, subject, body, link, meeting)


def _tell(recipient, kind, key, subject, body, link, meeting_or_row) -> None:
    notify(
        person=recipient,
        kind=kind,
        key=key,
        subject=subject,
        body=body,
        link=link,
        municipality_id=meeting_or_row.municipality_id,
    )


@transaction.atomic
def on_dispatch_requested(sender, dispatch_request, **kwargs):
    subject, body, link = messages.dispatch_requested(dispatch_request)
    for user in recipients.prefecture_coordinators(dispatch_request.prefecture):
        key = f"dispatch-request:{dispatch_request.pk}"
        _tell(user, Kind.DISPATCH_REQUEST, key, subject, body, link, dispatch_request)


def _assignment(assignment):
    return Assignment.objects.select_related(
        "adviser__user", "assigned_by", "request__meeting", "request__municipality"
    ).get(pk=assignment.pk)


@transaction.atomic
def on_dispatch_assigned(sender, assignment, **kwargs):
    assignment = _assignment(assignment)
    adviser = recipients.adviser(assignment)
    if adviser is None:
        return
    subject, body, link = messages.dispatch_assigned(assignment)
    key = f"assignment:{assignment.pk}"
    _tell(adviser, Kind.DISPATCH_ASSIGNMENT, key, subject, body, link, assignment.request)


@transaction.atomic
def on_dispatch_answered(sender, assignment, **kwargs):
    """Accepted or declined: the requesting municipality's organisers and the coordinator."""
    assignment = _assignment(assignment)
    accepted = assignment.status == AssignmentStatus.ACCEPTED
    if not accepted and assignment.status != AssignmentStatus.DECLINED:
        return
    key = f"assignment:{assignment.pk}:{assignment.status}"
    subject, body, link = messages.dispatch_answered(
        assignment, accepted=accepted, for_coordinator=False
    )
    for person in recipients.requesters(assignment.request):
        _tell(person, Kind.DISPATCH_ANSWER, key, subject, body, link, assignment.request)
    coordinator = recipients.coordinator(assignment)
    if coordinator is not None:
        subject, body, link = messages.dispatch_answered(
            assignment, accepted=accepted, for_coordinator=True
        )
        _tell(coordinator, Kind.DISPATCH_ANSWER, key, subject, body, link, assignment.request)


@transaction.atomic
def on_dispatch_ended(sender, assignment, **kwargs):
    """Withdrawn by the coordinator, or the request cancelled by the municipality: the
    adviser hears of it, and the side that did not act (the coordinator, or the
    municipality's organisers)."""
    if assignment is None:
        return
    assignment = _assignment(assignment)
    if assignment.status != AssignmentStatus.CANCELLED:
        return
    key = f"assignment:{assignment.pk}:ended"
    dispatch_request = assignment.request
    adviser = recipients.adviser(assignment)
    if adviser is not None:
        subject, body, link = messages.dispatch_ended(assignment, for_coordinator=False)
        _tell(adviser, Kind.DISPATCH_ASSIGNMENT, key, subject, body, link, dispatch_request)
    if dispatch_request.status == RequestStatus.CANCELLED:
        others = [recipients.coordinator(assignment)]
        subject, body, link = messages.dispatch_ended(assignment, for_coordinator=True)
    else:
        others = list(recipients.requesters(dispatch_request))
        subject, body, _link = messages.dispatch_ended(assignment, for_coordinator=True)
        link = messages.meeting_link(dispatch_request.meeting)
    for other in others:
        if other is not None:
            _tell(other, Kind.DISPATCH_ANSWER, key, subject, body, link, dispatch_request)


@transaction.atomic
def on_submission_decided(sender, submission, **kwargs):
    """A report returned or accepted: the center's staff (never the city's comment)."""
    accepted = submission.status == SubmissionStatus.ACCEPTED
    if not accepted and submission.status != SubmissionStatus.RETURNED:
        return
    subject, body, link = messages.report_decided(submission, accepted=accepted)
    decided = f"{submission.decided_at:%Y%m%d%H%M%S}" if submission.decided_at else ""
    notify_each(
        recipients.center_staff(submission.center),
        kind=Kind.REPORT_DECIDED,
        key=f"submission:{submission.pk}:{submission.status}:{decided}",
        subject=subject,
        body=body,
        link=link,
    )


@transaction.atomic
def on_attendee_removed(sender, meeting, person_id, **kwargs):
    if person_id is None or meeting.date < timezone.localdate():
        return
    person = recipients.Person.objects.filter(pk=person_id).first()
    if person is None:
        return
    state = MeetingCalendar.objects.filter(meeting=meeting).first()
    if state is None:
        return  # never invited through this system
    subject, body = messages.uninvited(meeting)
    notify(
        person=person,
        kind=Kind.INVITATION,
        key=f"meeting:{meeting.pk}:removed:{timezone.now():%Y%m%d%H%M%S}",
        subject=subject,
        body=body,
        link=messages.meeting_link(meeting),
        calendar=invitation_calendar(meeting, person, sequence=state.sequence + 1, method="CANCEL"),
    )


@transaction.atomic
def on_case_put_on_agenda(sender, review, **kwargs):
    """Papers are ready: the meeting's attendees who may read them (pledged, where the
    meeting handles personal information) hear of it once a day at most."""
    meeting = review.meeting
    subject, body, link = messages.papers_ready(meeting)
    for person in recipients.attendees(meeting):
        if meeting.meeting_type.handles_personal_info and not recipients.pledged(person, meeting):
            continue
        notify(
            person=person,
            kind=Kind.PAPERS_READY,
            key=f"meeting:{meeting.pk}:papers:{timezone.localdate():%Y%m%d}",
            subject=subject,
            body=body,
            link=link,
        )


@transaction.atomic
def on_issue_status_changed(sender, change, **kwargs):
    subject, body, link = messages.issue_moved(change)
    for person in recipients.custodians_of_issue(change.issue):
        notify(
            person=person,
            kind=Kind.ISSUE_MOVED,
            key=f"issue-change:{change.pk}",
            subject=subject,
            body=body,
            link=link,
        )


def connect() -> None:
    events.attendee_added.connect(on_attendee_added, dispatch_uid="notify-attendee-added")
    events.attendee_removed.connect(on_attendee_removed, dispatch_uid="notify-attendee-removed")
    events.meeting_saved.connect(on_meeting_changed, dispatch_uid="notify-meeting-saved")
    events.meeting_status_changed.connect(on_meeting_changed, dispatch_uid="notify-meeting-status")
    events.case_put_on_agenda.connect(on_case_put_on_agenda, dispatch_uid="notify-agenda")
    events.issue_status_changed.connect(on_issue_status_changed, dispatch_uid="notify-issue")
    events.dispatch_requested.connect(on_dispatch_requested, dispatch_uid="notify-dispatch-req")
    events.dispatch_assigned.connect(on_dispatch_assigned, dispatch_uid="notify-dispatch-assign")
    events.dispatch_answered.connect(on_dispatch_answered, dispatch_uid="notify-dispatch-answer")
    events.dispatch_ended.connect(on_dispatch_ended, dispatch_uid="notify-dispatch-end")
    events.submission_decided.connect(on_submission_decided, dispatch_uid="notify-report-decided")
