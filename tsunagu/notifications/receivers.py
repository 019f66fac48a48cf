"""Notifications for the events that meetings, cases and issues announce (tsunagu.lib.events).

The lower apps never import this one: they announce what happened after their transaction
commits, and `connect()` (from AppConfig.ready) subscribes the functions below."""

from django.db import transaction
from django.utils import timezone

from tsunagu.lib import events
from tsunagu.meetings.choices import Status

from . import ics, messages, recipients
from .models import Kind, MeetingCalendar
from .services import notify


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
    for person in recipients.attendees(meeting):
        notify(
            person=person,
            kind=Kind.INVITATION,
            key=f"meeting:{meeting.pk}:v{state.sequence}",
            subject=subject,
            body=body,
            link=messages.meeting_link(meeting),
            calendar=invitation_calendar(meeting, person, sequence=state.sequence, method=method),
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
