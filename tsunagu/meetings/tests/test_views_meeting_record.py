"""Recording a meeting: attendees, attendance, minutes, cancelling, and closing the record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import AuditEntry
from tsunagu.meetings.choices import Status
from tsunagu.meetings.models import Attendance, Meeting


def make_meeting(body, center, days_from_today):
    return Meeting.objects.create(
        municipality=center.municipality,
        meeting_type=body,
        center=center,
        date=timezone.localdate() + datetime.timedelta(days=days_from_today),
    )


@pytest.fixture
def meeting(body, center):
    """A meeting held last week, not closed yet."""
    return make_meeting(body, center, -7)


def add(client, meeting, **data):
    url = reverse("meetings:meeting_attendance", args=[meeting.pk])
    return client.post(url, {"action": "add", "role": "participant", **data})


def present(client, meeting, *attendances):
    url = reverse("meetings:meeting_attendance", args=[meeting.pk])
    return client.post(url, {"action": "present", "present": [a.pk for a in attendances]})


def close(client, meeting, summary="見守りの体制を決めた", cases=2):
    url = reverse("meetings:meeting_close", args=[meeting.pk])
    return client.post(url, {"summary": summary, "cases_reviewed": cases})


def invite(client, meeting, *people):
    url = reverse("meetings:meeting_attendance", args=[meeting.pk])
    return client.post(url, {"action": "invite", "person": [p.pk for p in people]})


def test_it_invites_someone_from_the_directory_once(city_client, meeting, person):
    response = invite(city_client, meeting, person)
    assert response.status_code == 302
    attendance = meeting.attendances.get()
    assert attendance.person == person
    assert (attendance.name, attendance.profession) == ("佐藤 陽子", "care_manager")
    assert attendance.affiliation == "ケアプランあさがお"
    assert attendance.invited and not attendance.attended
    assert AuditEntry.objects.filter(action="meeting.attendees_invited").count() == 1

    # Once on the list, the picker no longer offers them, and a second invitation adds no one.
    picker = city_client.get(reverse("meetings:meeting_attendance", args=[meeting.pk]))
    assert f'name="person" value="{person.pk}"' not in picker.content.decode()
    again = invite(city_client, meeting, person)
    assert again.status_code == 302
    assert meeting.attendances.count() == 1


def test_it_adds_an_ad_hoc_attendee_by_name_and_profession(city_client, meeting):
    response = add(
        city_client, meeting, name="山田 花子", profession="physiotherapist", affiliation="病院"
    )
    assert response.status_code == 302
    attendance = meeting.attendances.get()
    assert attendance.person is None and not attendance.invited
    assert (attendance.name, attendance.profession) == ("山田 花子", "physiotherapist")


def test_it_needs_a_name_and_a_profession_for_an_ad_hoc_attendee(city_client, meeting):
    response = add(city_client, meeting, name="", profession="")
    body = response.content.decode()
    assert response.status_code == 200
    assert "氏名を入力してください。" in body
    assert "職種を選んでください。" in body
    assert not meeting.attendances.exists()


def test_it_refuses_a_person_of_another_municipality(city_client, meeting, other_rows):
    response = invite(city_client, meeting, other_rows["person"])
    assert "招待する人を選んでください。" in city_client.get(response.url).content.decode()
    assert not meeting.attendances.exists()


def test_it_records_who_was_present(city_client, meeting):
    here = Attendance.objects.create(meeting=meeting, name="出席 一郎", profession="physician")
    away = Attendance.objects.create(
        meeting=meeting, name="欠席 二郎", profession="nurse", attended=True
    )
    response = present(city_client, meeting, here)
    assert response.status_code == 302
    here.refresh_from_db()
    away.refresh_from_db()
    assert here.attended and not away.attended
    assert AuditEntry.objects.get(action="meeting.attendance_recorded").data["present"] == 1


def test_it_removes_an_attendee(city_client, meeting):
    attendance = Attendance.objects.create(meeting=meeting, name="外す 人", profession="nurse")
    url = reverse("meetings:attendance_remove", args=[meeting.pk, attendance.pk])
    response = city_client.post(url)
    assert response.status_code == 302
    assert not meeting.attendances.exists()
    assert AuditEntry.objects.get(action="meeting.attendee_removed").data["name"] == "外す 人"


def test_it_does_not_remove_an_attendee_through_another_meeting(city_client, meeting, body, center):
    other = make_meeting(body, center, 3)
    attendance = Attendance.objects.create(meeting=other, name="別の会議", profession="nurse")
    url = reverse("meetings:attendance_remove", args=[meeting.pk, attendance.pk])
    assert city_client.post(url).status_code == 404
    assert Attendance.objects.filter(pk=attendance.pk).exists()


def test_it_saves_the_minutes(city_client, meeting):
    url = reverse("meetings:meeting_minutes", args=[meeting.pk])
    response = city_client.post(url, {"minutes": "事例を検討した", "decisions": "見守りを続ける"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.decisions) == ("事例を検討した", "見守りを続ける")
    assert AuditEntry.objects.filter(action="meeting.minutes_saved").count() == 1
    detail = city_client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "事例を検討した" in detail


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.POSTPONED])
def test_it_cancels_or_postpones_a_meeting(city_client, meeting, status):
    response = city_client.post(
        reverse("meetings:meeting_status", args=[meeting.pk]), {"status": status}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == status
    entry = AuditEntry.objects.get(action="meeting.status_changed")
    assert entry.data == {"previous": "planned", "status": status}


def test_it_refuses_held_through_the_status_form(city_client, meeting):
    url = reverse("meetings:meeting_status", args=[meeting.pk])
    response = city_client.post(url, {"status": Status.HELD})
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == Status.PLANNED
    assert not AuditEntry.objects.filter(action="meeting.status_changed").exists()


def assert_not_closed(meeting):
    meeting.refresh_from_db()
    assert meeting.closed_at is None
    assert meeting.status != Status.HELD
    assert meeting.summary == ""
    assert not AuditEntry.objects.filter(action="meeting.closed").exists()


def test_it_refuses_to_close_without_attendance(city_client, meeting):
    Attendance.objects.create(meeting=meeting, name="欠席 一郎", profession="nurse")
    response = close(city_client, meeting)
    assert response.status_code == 200
    assert "出席者が記録されていません。" in response.content.decode()
    assert_not_closed(meeting)


def test_it_refuses_to_close_without_a_summary(city_client, meeting):
    Attendance.objects.create(meeting=meeting, name="出席", profession="nurse", attended=True)
    response = close(city_client, meeting, summary="   ")
    assert response.status_code == 200
    assert "開催結果の要約を入力してください。" in response.content.decode()
    assert_not_closed(meeting)


def test_it_refuses_to_close_before_the_date(city_client, body, center):
    meeting = make_meeting(body, center, 3)
    Attendance.objects.create(meeting=meeting, name="出席", profession="nurse", attended=True)
    response = close(city_client, meeting)
    assert response.status_code == 200
    assert "開催日より前に記録を確定することはできません。" in response.content.decode()
    assert_not_closed(meeting)


def test_it_refuses_to_close_a_cancelled_meeting(city_client, meeting):
    Attendance.objects.create(meeting=meeting, name="出席", profession="nurse", attended=True)
    meeting.status = Status.CANCELLED
    meeting.save()
    response = close(city_client, meeting)
    assert response.status_code == 200
    assert "中止した会議は確定できません。" in response.content.decode()
    assert_not_closed(meeting)
    assert meeting.status == Status.CANCELLED


def test_it_lists_the_problems_before_closing(city_client, body, center):
    meeting = make_meeting(body, center, 3)
    page = city_client.get(reverse("meetings:meeting_close", args=[meeting.pk])).content.decode()
    assert "開催日より前に記録を確定することはできません。" in page
    assert "出席者が記録されていません。" in page


@pytest.fixture
def closed(city_client, meeting):
    here = Attendance.objects.create(meeting=meeting, name="出席 一郎", profession="physician")
    present(city_client, meeting, here)
    response = close(city_client, meeting)
    assert response.status_code == 302
    meeting.refresh_from_db()
    return meeting


def test_it_closes_a_meeting_as_held(city_client, closed):
    assert closed.status == Status.HELD
    assert closed.closed_at is not None
    assert closed.summary == "見守りの体制を決めた" and closed.cases_reviewed == 2
    entry = AuditEntry.objects.get(action="meeting.closed")
    assert entry.data == {"attendees": 1, "cases_reviewed": 2}
    assert entry.target_id == str(closed.pk)
    detail = city_client.get(reverse("meetings:meeting_detail", args=[closed.pk])).content.decode()
    assert "実施済" in detail and "見守りの体制を決めた" in detail


def test_it_does_not_close_twice(city_client, closed):
    response = close(city_client, closed, summary="二度目")
    assert "この会議の記録はすでに確定しています。" in response.content.decode()
    closed.refresh_from_db()
    assert closed.summary == "見守りの体制を決めた"
    assert AuditEntry.objects.filter(action="meeting.closed").count() == 1


def test_it_refuses_attendance_changes_after_closing(city_client, closed):
    attendance = closed.attendances.get()
    response = present(city_client, closed)
    assert response.status_code == 302
    page = city_client.get(response.url).content.decode()
    assert "記録を確定した会議は変更できません。" in page
    attendance.refresh_from_db()
    assert attendance.attended

    url = reverse("meetings:attendance_remove", args=[closed.pk, attendance.pk])
    city_client.post(url)
    assert Attendance.objects.filter(pk=attendance.pk).exists()

    response = city_client.post(
        reverse("meetings:meeting_status", args=[closed.pk]), {"status": Status.CANCELLED}
    )
    assert "記録を確定した会議の状態は変更できません。" in response.content.decode()
    closed.refresh_from_db()
    assert closed.status == Status.HELD


def test_it_refuses_new_attendees_after_closing(city_client, closed):
    response = add(city_client, closed, name="後から 追加", profession="nurse")
    assert response.status_code == 200
    assert "記録を確定した会議は変更できません。" in response.content.decode()
    assert closed.attendances.count() == 1
    assert not AuditEntry.objects.filter(action="meeting.attendee_added").exists()


def test_it_refuses_new_minutes_after_closing(city_client, closed):
    url = reverse("meetings:meeting_minutes", args=[closed.pk])
    response = city_client.post(url, {"minutes": "確定後に書き換えた", "decisions": ""})
    assert response.status_code == 200
    assert "記録を確定した会議は変更できません。" in response.content.decode()
    closed.refresh_from_db()
    assert closed.minutes == ""
    assert not AuditEntry.objects.filter(action="meeting.minutes_saved").exists()


def test_it_refuses_to_move_a_closed_meeting(city_client, closed):
    response = city_client.post(
        reverse("meetings:meeting_edit", args=[closed.pk]),
        {
            "meeting_type": closed.meeting_type_id,
            "center": closed.center_id,
            "date": "R9.1.10",
            "format": "in_person",
        },
    )
    assert response.status_code == 200
    assert "記録を確定した会議は変更できません。" in response.content.decode()
    date = closed.date
    closed.refresh_from_db()
    assert closed.date == date
