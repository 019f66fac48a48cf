"""Periodic work (`manage.py run_periodic`, from a systemd timer): reminders before meetings,
the weekly list of overdue work, meetings left unclosed, centers' monthly reports due or
overdue, and the daily digests.

Each scan may run any number of times: a notification is recorded once per (person, kind,
key), so a second run, or a run after a worker restart, sends nothing twice."""

import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from tsunagu.cases.choices import UNFINISHED_ACTION
from tsunagu.cases.models import Action, FollowUp
from tsunagu.centerwork.choices import LOCKED_STATUSES, SubmissionKind
from tsunagu.centerwork.models import Submission, month_bounds, month_label
from tsunagu.centerwork.reporting import due_day, monthly_due_date
from tsunagu.meetings.choices import RECENT_UNCLOSED_DAYS, Status
from tsunagu.meetings.models import Meeting
from tsunagu.organizations.models import Center, Municipality

from . import messages, recipients
from .models import EmailStatus, Kind, Notification, ReminderSetting
from .services import notify, notify_each

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
        sent += notify_each(
            recipients.attendees(meeting),
            kind=Kind.REMINDER,
            # Once per date: a meeting moved after its reminder is reminded of its new date.
            key=reminder_key(meeting.pk, meeting.date),
            subject=subject,
            body=body,
            link=messages.meeting_link(meeting),
        )
    return sent


def reminder_key(meeting_id: int, date: datetime.date) -> str:
    return f"meeting:{meeting_id}:{date:%Y%m%d}"


def overdue_work(today: datetime.date) -> int:
    """Once a week (per ISO week), to each responsible person: how many 役割分担 are past
    their due date and how many follow-ups of the cases they manage are past theirs."""
    year, week, _day = today.isocalendar()
    actions = dict(
        Action.objects.filter(
            due_on__lt=today,
            status__in=UNFINISHED_ACTION,
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
        date__gte=today - datetime.timedelta(days=days + RECENT_UNCLOSED_DAYS),
    ).filter(Q(status=Status.PLANNED) | Q(status=Status.HELD))
    meetings = meetings.select_related(
        "meeting_type", "center", "municipality", "meeting_type__host_organization"
    )
    sent = 0
    for meeting in meetings:
        subject, body = messages.unclosed(meeting, days)
        sent += notify_each(
            recipients.organisers(meeting),
            kind=Kind.UNCLOSED_MEETING,
            key=f"meeting:{meeting.pk}",
            subject=subject,
            body=body,
            link=messages.meeting_link(meeting),
        )
    return sent


def monthly_reports_due(today: datetime.date) -> int:
    """Last month's report of each center not yet submitted (or returned and not resent):
    a reminder to the center's staff from REPORT_DUE_DAYS before the city's due day, and
    an overdue notice after it. Only in municipalities that use the monthly report (one has
    been opened there), so a city that keeps its reports elsewhere hears nothing."""
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    first, following = month_bounds(last_month.year, last_month.month)
    label = month_label(first)
    using = Submission.objects.filter(kind=SubmissionKind.MONTHLY).values("municipality_id")
    sent = 0
    for municipality in Municipality.objects.filter(pk__in=using):
        due_on = monthly_due_date(first.year, first.month, due_day(municipality))
        overdue = today > due_on
        if not overdue and (due_on - today).days > settings.NOTIFY_REPORT_DUE_DAYS:
            continue
        done = Submission.objects.filter(
            kind=SubmissionKind.MONTHLY, period_start=first, status__in=LOCKED_STATUSES
        ).values("center_id")
        centers = Center.objects.filter(municipality=municipality).exclude(pk__in=done)
        centers = centers.filter(Q(opened_on__isnull=True) | Q(opened_on__lt=following))
        for center in centers:
            subject, body = messages.report_due(center, label, due_on, overdue=overdue)
            submission = Submission.objects.filter(
                center=center, kind=SubmissionKind.MONTHLY, period_start=first
            ).first()
            link = (
                messages.submission_link(submission)
                if submission
                else reverse("centerwork:monthly_overview")
            )
            sent += notify_each(
                recipients.center_staff(center),
                kind=Kind.REPORT_DUE,
                key=f"report:{center.pk}:{first:%Y-%m}:{'overdue' if overdue else 'due'}",
                subject=subject,
                body=body,
                link=link,
            )
    return sent


def digests(now: datetime.datetime) -> int:
    """Yesterday's (and older) notifications waiting for a digest: one email per person."""
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    people = (
        Notification.objects.filter(email_status=EmailStatus.DIGEST, created_at__lt=midnight)
        .values_list("person_id", "user_id")
        .distinct()
    )
    from .tasks import send_digest_email  # tasks imports services

    count = 0
    for person_id, user_id in people:
        send_digest_email.enqueue(person_id, midnight.isoformat(), user_id)
        count += 1
    return count


def run_all(*, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        "reminders": reminders(today),
        "overdue_work": overdue_work(today),
        "unclosed_meetings": unclosed_meetings(today),
        "monthly_reports_due": monthly_reports_due(today),
        "digests": digests(now),
    }
