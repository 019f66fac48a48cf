"""The access gate on every meetings page: anonymous, other municipality, read-only, no role,
center staff and the roles that see only the meetings they attend."""

import datetime

import pytest
from django.urls import reverse

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.meetings.choices import Status
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, PlanEntry
from tsunagu.organizations.models import Center

DAY = datetime.date(2026, 12, 10)


@pytest.fixture
def meeting(body, center, person):
    meeting = Meeting.objects.create(
        municipality=center.municipality,
        meeting_type=body,
        center=center,
        date=DAY,
        theme="元のテーマ",
    )
    Attendance.objects.create(
        meeting=meeting, person=person, name=person.name, profession=person.profession
    )
    return meeting


@pytest.fixture
def other_center(municipality):
    return Center.objects.create(municipality=municipality, name="小金地域包括支援センター")


def meeting_urls(meeting):
    attendance = meeting.attendances.first()
    pk = meeting.pk
    return {
        "edit": reverse("meetings:meeting_edit", args=[pk]),
        "attendance": reverse("meetings:meeting_attendance", args=[pk]),
        "minutes": reverse("meetings:meeting_minutes", args=[pk]),
        "close": reverse("meetings:meeting_close", args=[pk]),
        "status": reverse("meetings:meeting_status", args=[pk]),
        "remove": reverse("meetings:attendance_remove", args=[pk, attendance.pk]),
    }


def write_data(meeting):
    """What each write page would accept from someone allowed to change the meeting."""
    attendance = meeting.attendances.first()
    return {
        "edit": {
            "meeting_type": meeting.meeting_type_id,
            "center": meeting.center_id or "",
            "date": "R8.12.11",
            "format": "in_person",
            "theme": "変更したテーマ",
        },
        "attendance": {"action": "present", "present": [attendance.pk]},
        "minutes": {"minutes": "変更した議事録", "decisions": ""},
        "close": {"summary": "変更した要約", "cases_reviewed": 1},
        "status": {"status": Status.CANCELLED},
        "remove": {},
    }


def snapshot():
    meetings = list(
        Meeting.objects.order_by("pk").values_list(
            "pk", "date", "theme", "status", "minutes", "summary", "closed_at"
        )
    )
    attendances = list(Attendance.objects.order_by("pk").values_list("pk", "attended"))
    types = list(MeetingType.objects.order_by("pk").values_list("pk", "name"))
    # Refused attempts are logged (access.refused); nothing else may be.
    changes = AuditEntry.objects.exclude(action="access.refused").count()
    return meetings, attendances, types, PlanEntry.objects.count(), changes


def assert_writes_refused(client, meeting, expected):
    before = snapshot()
    urls, data = meeting_urls(meeting), write_data(meeting)
    for page, url in urls.items():
        if page != "remove":
            assert client.get(url).status_code == expected, page
        assert client.post(url, data[page]).status_code == expected, page
    assert snapshot() == before


def test_it_sends_anonymous_users_to_login(client, meeting, body):
    urls = [
        reverse("meetings:meeting_type_list"),
        reverse("meetings:meeting_type_create"),
        reverse("meetings:meeting_type_detail", args=[body.pk]),
        reverse("meetings:meeting_type_edit", args=[body.pk]),
        reverse("meetings:meeting_list"),
        reverse("meetings:meeting_create"),
        reverse("meetings:meeting_import"),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:plan"),
        reverse("meetings:calendar_settings"),
        *meeting_urls(meeting).values(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url
    for url in [
        reverse("meetings:meeting_type_preset"),
        reverse("meetings:plan"),
        *meeting_urls(meeting).values(),
    ]:
        response = client.post(url, {"preset": "matsudo"})
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url
    assert not MeetingType.objects.exclude(pk=body.pk).exists()


def test_it_answers_404_for_another_municipalitys_meetings(outsider_client, meeting):
    assert_writes_refused(outsider_client, meeting, 404)
    assert (
        outsider_client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code
        == 404
    )
    listing = outsider_client.get(reverse("meetings:meeting_list"), {"fy": 2026})
    assert listing.status_code == 200
    assert "元のテーマ" not in listing.content.decode()


def test_it_answers_404_for_another_municipalitys_meeting_types(outsider_client, body):
    detail = reverse("meetings:meeting_type_detail", args=[body.pk])
    edit = reverse("meetings:meeting_type_edit", args=[body.pk])
    assert outsider_client.get(detail).status_code == 404
    assert outsider_client.get(edit).status_code == 404
    response = outsider_client.post(
        edit, {"name": "乗っ取り", "category": "individual", "level": "center", "host": "city"}
    )
    assert response.status_code == 404
    assert MeetingType.objects.get(pk=body.pk).name == "地域個別ケア会議"
    listing = outsider_client.get(reverse("meetings:meeting_type_list"))
    assert ">地域個別ケア会議</a>" not in listing.content.decode()


def test_it_lets_a_viewer_read_but_not_write(viewer_client, meeting, body):
    for url in [
        reverse("meetings:meeting_type_list"),
        reverse("meetings:meeting_type_detail", args=[body.pk]),
        reverse("meetings:meeting_list") + "?fy=2026",
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:plan"),
    ]:
        response = viewer_client.get(url)
        assert response.status_code == 200, url
        assert "会議を登録" not in response.content.decode()
    assert (
        "元のテーマ"
        in viewer_client.get(reverse("meetings:meeting_list"), {"fy": 2026}).content.decode()
    )
    assert_writes_refused(viewer_client, meeting, 403)
    before = snapshot()
    for url in [
        reverse("meetings:meeting_type_create"),
        reverse("meetings:meeting_type_edit", args=[body.pk]),
        reverse("meetings:meeting_create"),
        reverse("meetings:meeting_import"),
    ]:
        assert viewer_client.get(url).status_code == 403, url
        assert viewer_client.post(url, write_data(meeting)["edit"]).status_code == 403, url
    response = viewer_client.post(reverse("meetings:meeting_type_preset"), {"preset": "matsudo"})
    assert response.status_code == 403
    assert snapshot() == before


def test_it_refuses_a_plan_change_from_a_viewer(viewer_client, meeting, body, center):
    response = viewer_client.post(reverse("meetings:plan"), {f"c{center.pk}_t{body.pk}": 4})
    assert response.status_code == 403
    assert not PlanEntry.objects.exists()
    assert not AuditEntry.objects.filter(action="plan.saved").exists()


def test_it_accepts_only_posts_on_the_post_only_pages(city_client, meeting):
    assert city_client.get(reverse("meetings:meeting_type_preset")).status_code == 405
    # Removing an attendee asks first: a GET shows the question and removes no one.
    page = city_client.get(meeting_urls(meeting)["remove"])
    assert page.status_code == 200 and "外しますか" in page.content.decode()
    assert Attendance.objects.filter(meeting=meeting).count() == 1


def test_it_refuses_a_user_without_membership(stranger_client, meeting, body):
    before = snapshot()
    urls = [
        reverse("meetings:meeting_type_list"),
        reverse("meetings:meeting_type_detail", args=[body.pk]),
        reverse("meetings:meeting_list"),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:meeting_create"),
        reverse("meetings:meeting_import"),
        reverse("meetings:plan"),
    ]
    for url in urls:
        response = stranger_client.get(url)
        assert response.status_code == 403, url
        assert "権限がありません" in response.content.decode()
    for url in meeting_urls(meeting).values():
        assert stranger_client.post(url, {"status": "cancelled"}).status_code == 403, url
    assert (
        stranger_client.post(
            reverse("meetings:meeting_type_preset"), {"preset": "matsudo"}
        ).status_code
        == 403
    )
    assert snapshot() == before


def test_it_lets_center_staff_change_only_their_own_centers_meetings(
    staff_client, meeting, body, city_body, other_center, person
):
    for url in meeting_urls(meeting).values():
        if "remove" not in url:
            assert staff_client.get(url).status_code == 200, url
    elsewhere = Meeting.objects.create(
        municipality=meeting.municipality, meeting_type=body, center=other_center, date=DAY
    )
    city_run = Meeting.objects.create(
        municipality=meeting.municipality, meeting_type=city_body, center=None, date=DAY
    )
    for other in (elsewhere, city_run):
        Attendance.objects.create(
            meeting=other, name="外部 一郎", profession="physician", attended=False
        )
        assert (
            staff_client.get(reverse("meetings:meeting_detail", args=[other.pk])).status_code == 200
        )
        assert_writes_refused(staff_client, other, 403)


def test_it_refuses_center_staff_a_meeting_for_another_center(staff_client, body, other_center):
    response = staff_client.post(
        reverse("meetings:meeting_create"),
        {
            "meeting_type": body.pk,
            "center": other_center.pk,
            "date": "R8.12.10",
            "format": "in_person",
        },
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_it_refuses_center_staff_meeting_types_and_import(staff_client, body):
    before = snapshot()
    for url in [
        reverse("meetings:meeting_type_create"),
        reverse("meetings:meeting_type_edit", args=[body.pk]),
        reverse("meetings:meeting_import"),
    ]:
        assert staff_client.get(url).status_code == 403, url
        assert staff_client.post(url, {"name": "変更", "action": "confirm"}).status_code == 403
    assert (
        staff_client.post(
            reverse("meetings:meeting_type_preset"), {"preset": "matsudo"}
        ).status_code
        == 403
    )
    assert snapshot() == before


@pytest.fixture
def adviser_client(client, municipality, person):
    user = make_user("adviser", (municipality, Role.ADVISER, None))
    user.memberships.update(person=person)
    return logged_in(client, user)


def test_it_shows_an_adviser_only_the_meetings_they_attend(adviser_client, meeting, body, center):
    hidden = Meeting.objects.create(
        municipality=meeting.municipality,
        meeting_type=body,
        center=center,
        date=DAY,
        theme="招待されていない会議",
    )
    body_html = adviser_client.get(reverse("meetings:meeting_list"), {"fy": 2026}).content.decode()
    assert "元のテーマ" in body_html
    assert "招待されていない会議" not in body_html
    assert (
        adviser_client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 200
    )
    assert (
        adviser_client.get(reverse("meetings:meeting_detail", args=[hidden.pk])).status_code == 404
    )
    assert_writes_refused(adviser_client, meeting, 403)
    assert adviser_client.get(reverse("meetings:plan")).status_code == 403


def test_it_shows_a_care_manager_without_a_person_no_meetings(client, municipality, meeting):
    user = make_user("cm", (municipality, Role.CARE_MANAGER, None))
    care_manager = logged_in(client, user)
    listing = care_manager.get(reverse("meetings:meeting_list"), {"fy": 2026})
    assert listing.status_code == 200
    assert "元のテーマ" not in listing.content.decode()
    assert "該当する会議はありません" in listing.content.decode()
    assert (
        care_manager.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 404
    )
