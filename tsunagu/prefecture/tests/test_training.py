"""Training sessions with their attendees, and the meeting page's 司会者養成研修 mark."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in
from tsunagu.audit.models import AuditEntry
from tsunagu.meetings.models import Attendance
from tsunagu.prefecture import services
from tsunagu.prefecture.models import Training, TrainingAttendee

from .conftest import directory_person, make_adviser


@pytest.fixture
def facilitator_course(prefecture):
    return Training.objects.create(
        prefecture=prefecture,
        kind="facilitator",
        title="司会者養成研修",
        held_on=timezone.localdate(),
    )


def test_staff_register_a_training_and_its_attendees(client, prefecture, municipality, pref_staff):
    client = logged_in(client, pref_staff)
    response = client.post(
        reverse("prefecture:pref_training_create"),
        {"kind": "basic", "title": "基礎研修", "held_on": "2026-06-01", "venue": "県庁"},
    )
    training = Training.objects.get()
    assert response.status_code == 302 and training.prefecture == prefecture
    person = directory_person(municipality)
    adviser = make_adviser(prefecture)
    detail = reverse("prefecture:pref_training_detail", args=[training.pk])
    client.post(detail, {"person": person.pk, "completed": "on"})
    client.post(detail, {"adviser": adviser.pk, "completed": "on"})
    client.post(detail, {"name": "見学 者", "affiliation": "他県"})
    names = set(TrainingAttendee.objects.values_list("name", flat=True))
    assert names == {person.name, adviser.name, "見学 者"}
    assert AuditEntry.objects.filter(action="training.attendee_added").count() == 3


def test_the_coordinator_may_read_but_not_add_attendees(
    client, prefecture, facilitator_course, coordinator
):
    client = logged_in(client, coordinator)
    detail = reverse("prefecture:pref_training_detail", args=[facilitator_course.pk])
    assert client.get(detail).status_code == 200
    assert client.post(detail, {"name": "誰か"}).status_code == 403


def test_a_person_of_another_prefecture_cannot_attend(
    prefecture, other_municipality, facilitator_course, pref_staff
):
    with pytest.raises(ValidationError):
        services.add_training_attendee(
            training=facilitator_course,
            attendee=TrainingAttendee(person=directory_person(other_municipality)),
            by=pref_staff,
        )


def test_the_meeting_shows_whether_its_chair_completed_the_course(
    client, prefecture, municipality, meeting, facilitator_course, city_admin
):
    chair = directory_person(municipality, "司会 太郎")
    Attendance.objects.create(
        meeting=meeting, person=chair, name=chair.name, profession="social_worker", role="chair"
    )
    client = logged_in(client, city_admin)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "司会 太郎（未修了）" in page
    TrainingAttendee.objects.create(training=facilitator_course, person=chair, name=chair.name)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "司会 太郎（修了）" in page


def test_a_course_attended_but_not_completed_does_not_count(
    client, prefecture, municipality, meeting, facilitator_course, city_admin
):
    chair = directory_person(municipality, "司会 次郎")
    Attendance.objects.create(
        meeting=meeting, person=chair, name=chair.name, profession="social_worker", role="chair"
    )
    TrainingAttendee.objects.create(
        training=facilitator_course, person=chair, name=chair.name, completed=False
    )
    page = logged_in(client, city_admin).get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert "司会 次郎（未修了）" in page.content.decode()
