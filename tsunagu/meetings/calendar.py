"""Private .ics feeds of a user's meetings: no case content, only when and where."""

import datetime
import hashlib
import secrets
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from tsunagu.accounts.access import current_memberships
from tsunagu.audit.services import log

from .choices import Status
from .models import CalendarToken, Meeting

TOKYO = ZoneInfo("Asia/Tokyo")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(*, user, request=None) -> str:
    """A new token for the user; any earlier address stops working at once."""
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(
        user=user, defaults={"digest": digest(token), "last_used_at": None}
    )
    log("calendar.token_issued", by=user, request=request)
    return token


@transaction.atomic
def revoke_token(*, user, request=None) -> None:
    CalendarToken.objects.filter(user=user).delete()
    log("calendar.token_revoked", by=user, request=request)


def user_for_token(token: str):
    """The user behind a feed address, or None for an unknown or revoked one."""
    found = CalendarToken.objects.select_related("user").filter(digest=digest(token)).first()
    if found is None or not found.user.is_active:
        return None
    CalendarToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user


def meetings_for_calendar(user):
    """Meetings the user is invited to, or that their center (or, for 市職員, the city) organises,
    in their current memberships, from a year ago on."""
    condition = Q(pk__in=[])  # Nothing unless a membership grants it.
    for membership in current_memberships(user):
        mine = Q(municipality_id=membership.municipality_id)
        reach = Q(pk__in=[])
        if membership.person_id:
            reach |= Q(attendances__person_id=membership.person_id)
        if membership.center_id:
            reach |= Q(center_id=membership.center_id)
        if membership.may("meetings.edit_all"):
            reach |= Q(center__isnull=True)
        condition |= mine & reach
    since = timezone.localdate() - datetime.timedelta(days=365)
    return (
        Meeting.objects.filter(condition, date__gte=since)
        .distinct()
        .select_related("meeting_type", "center", "municipality", "meeting_type__host_organization")
        .order_by("date")
    )


def feed(meetings, *, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//tsunagu//地域ケア会議//JA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "つなぐ 地域ケア会議")
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@tsunagu")
        event.add("summary", f"{meeting.meeting_type}（{meeting.organizer_name}）")
        if meeting.start_time:
            start = datetime.datetime.combine(meeting.date, meeting.start_time, TOKYO)
            end_time = meeting.end_time or (start + datetime.timedelta(hours=1)).time()
            event.add("dtstart", start)
            event.add("dtend", datetime.datetime.combine(meeting.date, end_time, TOKYO))
        else:
            event.add("dtstart", meeting.date)
            event.add("dtend", meeting.date + datetime.timedelta(days=1))
        event.add("dtstamp", timezone.now())
        if meeting.venue:
            event.add("location", meeting.venue)
        event.add(
            "description",
            f"形式: {meeting.get_format_display()}\n"
            f"状態: {meeting.get_status_display()}\n"
            f"{base_url}/meetings/{meeting.pk}/",
        )
        event.add("url", f"{base_url}/meetings/{meeting.pk}/")
        if meeting.status == Status.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
