"""The .ics attached to a meeting invitation (iTIP, RFC 5546): METHOD:REQUEST for an invitation
or a change, METHOD:CANCEL for a cancellation, one UID per meeting (the same as the calendar
feed's) and a SEQUENCE that grows with every change, so Outlook, Google and Apple calendars
update the event they already have instead of adding another. No case content: the body's
name, the organiser, when and where, and the link."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

TOKYO = ZoneInfo("Asia/Tokyo")


def meeting_uid(meeting) -> str:
    return f"meeting-{meeting.pk}@tsunagu"


def meeting_times(meeting) -> tuple:
    if meeting.start_time:
        start = datetime.datetime.combine(meeting.date, meeting.start_time, TOKYO)
        end_time = meeting.end_time or (start + datetime.timedelta(hours=1)).time()
        return start, datetime.datetime.combine(meeting.date, end_time, TOKYO)
    return meeting.date, meeting.date + datetime.timedelta(days=1)


def invitation(meeting, *, sequence: int, method: str, attendee_email: str, name: str) -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//tsunagu//地域ケア会議//JA")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    start, end = meeting_times(meeting)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{meeting.meeting_type}（{meeting.organizer_name}）")
    if meeting.venue:
        event.add("location", meeting.venue)
    link = f"{settings.SITE_URL}/meetings/{meeting.pk}/"
    event.add("description", f"形式: {meeting.get_format_display()}\n{link}")
    event.add("url", link)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(meeting.organizer_name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    event.add("attendee", attendee)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    # Outlook wants the VTIMEZONE of every TZID used, not only the name.
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
