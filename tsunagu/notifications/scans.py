"""Periodic work (`manage.py run_periodic`, from a systemd timer): reminders before meetings,
the weekly list of overdue work, meetings left unclosed, and the daily digests.

Each scan may run any number of times: a notification is recorded once per (person, kind,
key), so a second run, or a run after a worker restart, sends nothing twice."""

import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from tsunagu.cases.choices import ActionStatus
from tsunagu.cases.models import Action, FollowUp
from tsunagu.meetings.choices import Status
from tsunagu.meetings.models import Meeting

from . import messages, recipients
from .models import EmailStatus, Kind, Notification, ReminderSetting
from .services import notify

LONGEST_REMINDER = 60  # days: the most a body may ask for


def reminders(today: datetime.date) -> int:
    """Reminders for planned meetings due within their body's reminder days."""
    days_for = dict(ReminderSetting.objects.values_list("meeting_type_id", "days_before"))
    meetings = Meeting.objects.filter(
        status=Status.PLANNED,
        closed_at__isnull=True,
        date__gte=today,
        date__lte=today + datetime.timedelta(days=LONGEST_REMINDER),
    ).select_related("meeting_type", "center", "municipality", "meeting_type__host_organization")
    sent = 0
    for meeting in meetings:
        days = (meeting.date - today).days
        if days > days_for.get(meeting.meeting_type_id, settings.NOTIFY_REMINDER_DAYS):
            continue
        subject, body = messages.reminder(meeting, days)
        for person in recipients.attendees(meeting):
            sent += bool(
                notify(
                    person=person,
                    kind=Kind.REMINDER,
                    key=f"meeting:{meeting.pk}",
                    subject=subject,
                    body=body,
                    link=messages.meeting_link(meeting),
                )
            )
    return sent


def overdue_work(today: datetime.date) -> int:
    """Once a week (per ISO week), to each responsible person: how many 役割分担 are past
    their due date and how many follow-ups of the cases they manage are past theirs."""
    year, week, _day = today.isocalendar()
    actions = dict(
        Action.objects.filter(
            due_on__lt=today,
            status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
            responsible__isnull=False,
        )
        .values_list("responsible_id")
        .annotate(n=Count("id"))
    )
    follow_ups = dict(
        FollowUp.objects.filter(
            due_on__lt=today, done_on__isnull=True, review__case__care_manager__isnull=False
        )
        .values_list("review__case__care_manager_id")
        .annotate(n=Count("id"))
    )
    sent = 0
    for person in recipients.Person.objects.filter(pk__in=set(actions) | set(follow_ups)):
        subject, body, link = messages.overdue_work(
            actions.get(person.pk, 0), follow_ups.get(person.pk, 0)
        )
        sent += bool(
            notify(
                person=person,
                kind=Kind.OVERDUE_WORK,
                key=f"week:{year}-W{week:02d}",
                subject=subject,
                body=body,
                link=link,
            )
        )
    return sent


def unclosed_meetings(today: datetime.date) -> int:
    days = settings.NOTIFY_UNCLOSED_DAYS
    meetings = Meeting.objects.filter(
        closed_at__isnull=True,
        date__lte=today - datetime.timedelta(days=days),
        # Only recent ones: a meeting years old is a records problem, not a reminder.
        date__gte=today - datetime.timedelta(days=days + 90),
    ).filter(Q(status=Status.PLANNED) | Q(status=Status.HELD))
    meetings = meetings.select_related(
        "meeting_type", "center", "municipality", "meeting_type__host_organization"
    )
    sent = 0
    for meeting in meetings:
        subject, body = messages.unclosed(meeting, days)
        for person in recipients.organisers(meeting):
            sent += bool(
                notify(
                    person=person,
                    kind=Kind.UNCLOSED_MEETING,
                    key=f"meeting:{meeting.pk}",
                    subject=subject,
                    body=body,
                    link=messages.meeting_link(meeting),
                )
            )
    return sent


def digests(now: datetime.datetime) -> int:
    """Yesterday's (and older) notifications waiting for a digest: one email per person."""
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    people = (
        Notification.objects.filter(email_status=EmailStatus.DIGEST, created_at__lt=midnight)
        .values_list("person_id", flat=True)
        .distinct()
    )
    from .tasks import send_digest_email  # tasks imports services

    count = 0
    for person_id in people:
        send_digest_email.enqueue(person_id, midnight.isoformat())
        count += 1
    return count


def run_all(*, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        "reminders": reminders(today),
        "overdue_work": overdue_work(today),
        "unclosed_meetings": unclosed_meetings(today),
        "digests": digests(now),
    }
