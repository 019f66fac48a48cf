"""Scheduling meetings, and the list and detail pages."""

import datetime

import pytest
from django.urls import reverse

from tsunagu.audit.models import AuditEntry
from tsunagu.meetings.choices import Status
from tsunagu.meetings.models import Attendance, Meeting
from tsunagu.organizations.models import Center


def schedule(client, **overrides):
    data = {
        "date": "R8.12.10",
        "start_time": "14:00",
        "end_time": "16:00",
        "venue": "市役所 第1会議室",
        "format": "in_person",
        "theme": "独居高齢者の見守り",
        **overrides,
    }
    return client.post(reverse("meetings:meeting_create"), data)


def test_it_schedules_a_meeting_with_a_wareki_date(city_client, body, center):
    response = schedule(city_client, meeting_type=body.pk, center=center.pk)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert meeting.date == datetime.date(2026, 12, 10)
    assert meeting.status == Status.PLANNED
    assert meeting.municipality == center.municipality
    entry = AuditEntry.objects.get(action="meeting.scheduled")
    assert entry.target_id == str(meeting.pk)


def test_it_lets_center_staff_schedule_for_their_own_center(staff_client, body, center):
    response = schedule(staff_client, meeting_type=body.pk, center=center.pk)
    assert response.status_code == 302
    assert Meeting.objects.get().center == center


def test_it_refuses_a_city_body_hosted_by_a_center(city_client, city_body, center):
    response = schedule(city_client, meeting_type=city_body.pk, center=center.pk)
    assert response.status_code == 200
    assert "「市地域ケア会議」は市が主催する会議体です。" in response.content.decode()
    assert "独居高齢者の見守り" in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_refuses_a_center_body_without_a_center(city_client, body):
    response = schedule(city_client, meeting_type=body.pk, center="")
    assert response.status_code == 200
    assert "各センターが主催する会議体です。センターを選んでください。" in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_refuses_an_end_before_the_start(city_client, body, center):
    response = schedule(
        city_client, meeting_type=body.pk, center=center.pk, start_time="15:00", end_time="14:00"
    )
    assert response.status_code == 200
    assert "終了時刻は開始時刻より後にしてください。" in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_refuses_an_unreadable_date(city_client, body, center):
    response = schedule(city_client, meeting_type=body.pk, center=center.pk, date="R8.13.40")
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_it_edits_a_meeting_and_logs_it(city_client, body, center):
    schedule(city_client, meeting_type=body.pk, center=center.pk)
    meeting = Meeting.objects.get()
    response = city_client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {
            "meeting_type": body.pk,
            "center": center.pk,
            "date": "令和8年12月11日",
            "format": "online",
            "venue": "",
            "theme": "",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2026, 12, 11)
    assert meeting.format == "online"
    assert AuditEntry.objects.filter(action="meeting.updated", target_id=str(meeting.pk)).exists()


@pytest.fixture
def listed(municipality, body, city_body, center):
    other_center = Center.objects.create(municipality=municipality, name="小金地域包括支援センター")

    def make(**fields):
        return Meeting.objects.create(municipality=municipality, **fields)

    return {
        "mine": make(
            meeting_type=body,
            center=center,
            date=datetime.date(2026, 6, 1),
            theme="見守りの事例",
            venue="明第1会館",
        ),
        "other": make(
            meeting_type=body,
            center=other_center,
            date=datetime.date(2026, 7, 1),
            theme="小金の事例",
        ),
        "city": make(
            meeting_type=city_body,
            date=datetime.date(2026, 8, 1),
            theme="市全体の課題",
            status=Status.CANCELLED,
        ),
        "last_year": make(
            meeting_type=body, center=center, date=datetime.date(2026, 3, 31), theme="前年度の会議"
        ),
        "other_center": other_center,
    }


def listing(client, **params):
    return client.get(reverse("meetings:meeting_list"), {"fy": 2026, **params}).content.decode()


def test_it_lists_the_meetings_of_the_fiscal_year(city_client, listed):
    body = listing(city_client)
    assert all(theme in body for theme in ("見守りの事例", "小金の事例", "市全体の課題"))
    assert "前年度の会議" not in body
    assert "前年度の会議" in listing(city_client, fy=2025)


def test_it_filters_by_meeting_type_center_status_and_text(city_client, listed, city_body):
    by_type = listing(city_client, meeting_type=city_body.pk)
    assert "市全体の課題" in by_type and "見守りの事例" not in by_type
    by_center = listing(city_client, center=listed["other_center"].pk)
    assert "小金の事例" in by_center and "見守りの事例" not in by_center
    by_status = listing(city_client, status=Status.CANCELLED)
    assert "市全体の課題" in by_status and "小金の事例" not in by_status
    by_text = listing(city_client, q="明第1会館")
    assert "見守りの事例" in by_text and "小金の事例" not in by_text


def test_it_ignores_filters_it_does_not_know(city_client, listed):
    body = listing(city_client, meeting_type=999999, center="abc", status="bogus")
    assert "見守りの事例" in body and "市全体の課題" in body


def test_it_answers_htmx_with_the_results_only(city_client, listed):
    response = city_client.get(
        reverse("meetings:meeting_list"), {"fy": 2026, "q": "小金"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "小金の事例" in body and "見守りの事例" not in body
    assert "<html" not in body


def attend(meeting, name, profession, attended=True):
    return Attendance.objects.create(
        meeting=meeting, name=name, profession=profession, attended=attended
    )


def test_it_shows_the_attendees_present_in_the_list_and_the_detail(city_client, listed):
    meeting = listed["mine"]
    attend(meeting, "佐藤 陽子", "care_manager")
    attend(meeting, "鈴木 一郎", "physiotherapist")
    attend(meeting, "高橋 二郎", "physiotherapist")
    attend(meeting, "欠席 三郎", "physician", attended=False)
    row = listing(city_client, q="見守りの事例")
    assert '<td class="num">3</td>' in row
    detail = city_client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "3名（介護支援専門員、理学療法士）" in detail
    assert "欠席 三郎" in detail
