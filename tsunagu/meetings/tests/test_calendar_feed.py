"""The private .ics feed: issued once, readable without login, only when and where."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tsunagu.audit.models import AuditEntry
from tsunagu.meetings.choices import Category, Host, Level, Status
from tsunagu.meetings.models import Attendance, Meeting, MeetingType
from tsunagu.organizations.models import Center

FEED = re.compile(r"http://testserver/calendar/([A-Za-z0-9_-]+)\.ics")


def soon(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def meetings(municipality, body, center, person, center_staff, other_rows):
    center_staff.memberships.update(person=person)
    other_center = Center.objects.create(municipality=municipality, name="小金地域包括支援センター")

    def make(**fields):
        return Meeting.objects.create(municipality=municipality, meeting_type=body, **fields)

    own = make(
        center=center,
        date=soon(10),
        start_time=datetime.time(14, 0),
        venue="明第1会館",
        theme="秘密のテーマ",
        minutes="秘密の議事録",
        summary="秘密の要約",
        decisions="秘密の決定",
    )
    invited = make(center=other_center, date=soon(20))
    Attendance.objects.create(
        meeting=invited, person=person, name=person.name, profession=person.profession
    )
    cancelled = make(center=center, date=soon(30), status=Status.CANCELLED)
    make(center=other_center, date=soon(15), theme="招待されていない")
    make(center=center, date=soon(-800), theme="昔の会議")
    other_type = MeetingType.objects.create(
        municipality=other_rows["center"].municipality,
        name="他市の会議",
        category=Category.OTHER,
        level=Level.CENTER,
        host=Host.EACH_CENTER,
    )
    Meeting.objects.create(
        municipality=other_rows["center"].municipality,
        meeting_type=other_type,
        center=other_rows["center"],
        date=soon(5),
    )
    return {"own": own, "invited": invited, "cancelled": cancelled}


def issue(client):
    response = client.post(reverse("meetings:calendar_settings"), {"action": "issue"})
    assert response.status_code == 200
    found = FEED.findall(response.content.decode())
    assert len(found) == 1
    return found[0]


def fetch(token):
    return Client().get(f"/calendar/{token}.ics")


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_it_shows_the_feed_address_once(staff_client, meetings):
    token = issue(staff_client)
    page = staff_client.get(reverse("meetings:calendar_settings")).content.decode()
    assert token not in page
    assert "URLは発行済みです" in page
    assert AuditEntry.objects.filter(action="calendar.token_issued").count() == 1
    assert token not in str(AuditEntry.objects.get(action="calendar.token_issued").data)


def test_it_serves_the_meetings_of_the_member_without_login(staff_client, meetings):
    response = fetch(issue(staff_client))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    assert set(found) == {f"meeting-{m.pk}@tsunagu" for m in meetings.values()}
    own = found[f"meeting-{meetings['own'].pk}@tsunagu"]
    assert str(own["location"]) == "明第1会館"
    assert own.decoded("dtstart") == datetime.datetime.combine(
        meetings["own"].date, datetime.time(14, 0), datetime.timezone(datetime.timedelta(hours=9))
    )
    assert "STATUS" not in own
    assert str(found[f"meeting-{meetings['cancelled'].pk}@tsunagu"]["status"]) == "CANCELLED"


def test_it_keeps_case_content_out_of_the_feed(staff_client, meetings):
    text = fetch(issue(staff_client)).content.decode().replace("\r\n ", "")
    for secret in ("秘密のテーマ", "秘密の議事録", "秘密の要約", "秘密の決定", "招待されていない"):
        assert secret not in text


def test_it_invalidates_the_old_address_when_reissued(staff_client, meetings):
    old = issue(staff_client)
    new = issue(staff_client)
    assert old != new
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200


def test_it_stops_the_feed_when_revoked(staff_client, meetings):
    token = issue(staff_client)
    response = staff_client.post(reverse("meetings:calendar_settings"), {"action": "revoke"})
    assert response.status_code == 302
    assert fetch(token).status_code == 404
    assert AuditEntry.objects.filter(action="calendar.token_revoked").count() == 1


def test_it_answers_404_for_an_unknown_address(db):
    assert fetch("no-such-token").status_code == 404


def test_it_records_when_the_feed_was_last_read(staff_client, center_staff, meetings):
    fetch(issue(staff_client))
    center_staff.calendar_token.refresh_from_db()
    assert center_staff.calendar_token.last_used_at is not None


def test_it_gives_a_user_without_membership_an_empty_feed(stranger_client, meetings):
    found = events(fetch(issue(stranger_client)))
    assert found == {}
