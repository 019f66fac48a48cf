"""Notifications for the demo logins, made by the notifications app's own code (its event
receivers and periodic scans), so the demo shows in the app what would be emailed: the
invitation to the next meeting with the pledge request, papers ready, reminders, the weekly
overdue work, meetings left unclosed and the movements of community issues.

Runs inside load_demo's transaction; the emails are queued when it commits and the demo's
worker writes them to var/mail/. Loading again adds nothing (each notification is recorded
once per person, kind and object)."""

from django.db.models import Q
from django.utils import timezone

from tsunagu.accounts.models import Membership
from tsunagu.issues.models import StatusChange
from tsunagu.meetings.choices import Status
from tsunagu.meetings.models import Meeting
from tsunagu.notifications import receivers, scans
from tsunagu.notifications.models import MeetingCalendar
from tsunagu.organizations.models import Person

from .files import read_json


def demo_usernames() -> list[str]:
    return [user["username"] for user in read_json("accounts.json")["users"]]


def link_center_staff() -> None:
    """Demo center staff without a directory person get one of their center's people, so
    that notifications addressed to the center's staff reach them too."""
    usernames = demo_usernames()
    for membership in Membership.objects.filter(
        user__username__in=usernames, person__isnull=True, center__isnull=False
    ):
        taken = Membership.objects.exclude(person__isnull=True).values("person_id")
        person = (
            Person.objects.filter(center=membership.center)
            .exclude(pk__in=taken)
            .order_by("id")
            .first()
        )
        if person is not None:
            Membership.objects.filter(pk=membership.pk).update(person=person)


def demo_people() -> set[int]:
    """The directory people of the demo logins, each given a demo address if it has none
    (example.jp never delivers), so that the demo's var/mail/ shows the emails too."""
    memberships = Membership.objects.filter(
        user__username__in=demo_usernames(), person__isnull=False
    ).select_related("user", "person")
    for membership in memberships:
        if not membership.person.email:
            Person.objects.filter(pk=membership.person_id).update(
                email=f"{membership.user.username}@example.jp"
            )
    return {membership.person_id for membership in memberships}


def load_notifications() -> None:
    link_center_staff()
    today = timezone.localdate()
    people = demo_people()
    # The next meetings the demo logins attend: the invitation (and the pledge request).
    upcoming = (
        Meeting.objects.filter(
            date__gte=today, status=Status.PLANNED, attendances__person_id__in=people
        )
        .distinct()
        .select_related("meeting_type", "center", "municipality", "meeting_type__host_organization")
        .order_by("date")[:3]
    )
    for meeting in upcoming:
        state, _ = MeetingCalendar.objects.get_or_create(
            meeting=meeting, defaults={"fingerprint": receivers.fingerprint(meeting)}
        )
        for person in Person.objects.filter(attendances__meeting=meeting, pk__in=people):
            receivers.send_invitation(meeting, person, sequence=state.sequence)
        if meeting.case_reviews.exists():
            review = meeting.case_reviews.order_by("id").first()
            receivers.on_case_put_on_agenda(sender=None, review=review)
    # The latest movements of community issues, to the staff of the cases tagged with them.
    for change in StatusChange.objects.filter(~Q(old_status="")).order_by("-changed_at")[:5]:
        receivers.on_issue_status_changed(sender=None, change=change)
    scans.run_all()
