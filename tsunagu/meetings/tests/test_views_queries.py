"""The meetings pages run the same number of queries with few rows and with many."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.meetings.choices import Category, Host, Level
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, PlanEntry
from tsunagu.organizations.models import Center, Person

FY = 2026


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context)


def add_meetings(municipality, body, n, start=0):
    centers = [
        Center.objects.create(municipality=municipality, name=f"センター{start + i}")
        for i in range(n)
    ]
    meetings = [
        Meeting.objects.create(
            municipality=municipality,
            meeting_type=body,
            center=c,
            date=datetime.date(FY, 6, 1) + datetime.timedelta(days=i),
        )
        for i, c in enumerate(centers)
    ]
    for meeting in meetings:
        Attendance.objects.create(meeting=meeting, name="出席", profession="nurse", attended=True)
    return meetings


def test_it_lists_meetings_in_a_fixed_number_of_queries(city_client, municipality, body):
    add_meetings(municipality, body, 1)
    few = queries(city_client, reverse("meetings:meeting_list"), {"fy": FY})
    add_meetings(municipality, body, 20, start=1)
    assert queries(city_client, reverse("meetings:meeting_list"), {"fy": FY}) == few


def test_it_shows_the_plan_in_a_fixed_number_of_queries(city_client, municipality, body):
    add_meetings(municipality, body, 1)
    few = queries(city_client, reverse("meetings:plan"), {"fy": FY})
    for i in range(4):
        MeetingType.objects.create(
            municipality=municipality,
            name=f"会議体{i}",
            category=Category.OTHER,
            level=Level.CENTER,
            host=Host.EACH_CENTER,
        )
    for meeting in add_meetings(municipality, body, 10, start=1):
        PlanEntry.objects.create(
            municipality=municipality,
            fiscal_year=FY,
            meeting_type=body,
            center=meeting.center,
            planned_count=3,
        )
    assert queries(city_client, reverse("meetings:plan"), {"fy": FY}) == few


def test_it_shows_a_meeting_in_a_fixed_number_of_queries(
    city_client, municipality, body, center, organization
):
    meeting = Meeting.objects.create(
        municipality=municipality, meeting_type=body, center=center, date=datetime.date(FY, 6, 1)
    )
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    Attendance.objects.create(meeting=meeting, name="一人", profession="nurse", attended=True)
    few = queries(city_client, url)
    for i in range(15):
        person = Person.objects.create(
            municipality=municipality,
            name=f"参加 {i}",
            furigana="サンカ",
            profession="physician",
            organization=organization,
        )
        Attendance.objects.create(
            meeting=meeting,
            person=person,
            name=person.name,
            profession=person.profession,
            attended=i % 2 == 0,
        )
    assert queries(city_client, url) == few
