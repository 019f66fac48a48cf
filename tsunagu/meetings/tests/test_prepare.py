"""Preparing a meeting (issue 15): the list opens on what is coming, the invitation picker and
standing members, handouts, copying, a year's series, joint bodies and 圏域."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import AuditEntry
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.lib.uploads import handout_kind
from tsunagu.meetings import services
from tsunagu.meetings.models import Attendance, Handout, Meeting, MeetingType
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Person

TODAY = timezone.localdate()


def as_user(user):
    """A client of its own (the shared `client` fixture is one browser for every login)."""
    client = Client()
    client.force_login(user)
    return client


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def meeting(body, center, person):
    meeting = Meeting.objects.create(
        municipality=center.municipality,
        meeting_type=body,
        center=center,
        date=days(10),
        venue="地域会館",
        start_time=datetime.time(14, 0),
    )
    Attendance.objects.create(
        meeting=meeting, person=person, name=person.name, profession=person.profession
    )
    return meeting


@pytest.fixture
def directory(municipality, organization):
    return [
        Person.objects.create(
            municipality=municipality,
            name=name,
            furigana=kana,
            profession=profession,
            organization=organization,
        )
        for name, kana, profession in [
            ("理学 花子", "リガク ハナコ", Profession.PHYSIOTHERAPIST),
            ("栄養 次郎", "エイヨウ ジロウ", Profession.DIETITIAN),
            ("薬剤 三郎", "ヤクザイ サブロウ", Profession.PHARMACIST),
        ]
    ]


def office_file(name, part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue())


# --- 1. The list opens on what is coming ------------------------------------------------------


def test_the_list_opens_on_what_is_coming_soonest_first(city_client, body, center):
    for offset, theme in [
        (-5, "先週の会議"),
        (20, "来月の会議"),
        (0, "今日の会議"),
        (3, "近い会議"),
    ]:
        Meeting.objects.create(
            municipality=center.municipality,
            meeting_type=body,
            center=center,
            date=days(offset),
            theme=theme,
        )
    page = city_client.get(reverse("meetings:meeting_list")).content.decode()
    assert "先週の会議" not in page
    assert page.index("今日の会議") < page.index("近い会議") < page.index("来月の会議")
    past = city_client.get(reverse("meetings:meeting_list"), {"when": "past"}).content.decode()
    assert "先週の会議" in past and "来月の会議" not in past
    assert 'href="?when=past"' in page  # one click away
    searched = city_client.get(reverse("meetings:meeting_list"), {"q": "近い"}).content.decode()
    assert "近い会議" in searched and "来月の会議" not in searched


def test_the_list_counts_a_joint_meeting_under_each_body(city_client, body, city_body, center):
    joint = Meeting.objects.create(
        municipality=center.municipality, meeting_type=city_body, date=days(2), theme="合同会議"
    )
    joint.joint_meeting_types.set([body])
    page = city_client.get(
        reverse("meetings:meeting_list"), {"meeting_type": body.pk}
    ).content.decode()
    assert "合同会議" in page


# --- 2. Inviting ----------------------------------------------------------------------------


def test_the_picker_searches_and_filters_by_profession(city_client, meeting, directory):
    url = reverse("meetings:meeting_attendance", args=[meeting.pk])
    page = city_client.get(url, {"profession": Profession.DIETITIAN}).content.decode()
    assert "栄養 次郎" in page and "理学 花子" not in page
    assert "ケアプランあさがお" in page  # the affiliation is shown
    found = city_client.get(url, {"q": "りがく"}, HTTP_HX_REQUEST="true").content.decode()
    assert "理学 花子" in found and "栄養 次郎" not in found and "<html" not in found
    # Those already on the list are not offered again.
    assert (
        meeting.attendances.get().name
        not in city_client.get(url).content.decode().split("名簿から招待")[1]
    )


def test_it_invites_the_people_picked(city_client, meeting, directory, other_rows):
    ids = [directory[0].pk, directory[2].pk, other_rows["person"].pk]
    response = city_client.post(
        reverse("meetings:meeting_attendance", args=[meeting.pk]),
        {"action": "invite", "person": ids},
    )
    assert response.status_code == 302
    names = set(meeting.attendances.values_list("name", flat=True))
    assert {"理学 花子", "薬剤 三郎"} <= names and "他市 太郎" not in names
    added = meeting.attendances.get(person=directory[0])
    assert added.invited and added.affiliation == "ケアプランあさがお"
    assert added.role == "adviser"  # the picker's default: professionals come to advise


def test_the_picker_invites_in_the_role_chosen_and_refuses_an_unknown_one(
    city_client, meeting, directory
):
    url = reverse("meetings:meeting_attendance", args=[meeting.pk])
    city_client.post(url, {"action": "invite", "person": [directory[0].pk], "role": "chair"})
    assert meeting.attendances.get(person=directory[0]).role == "chair"
    response = city_client.post(
        url, {"action": "invite", "person": [directory[1].pk], "role": "boss"}, follow=True
    )
    assert not meeting.attendances.filter(person=directory[1]).exists()
    assert "役割" in response.content.decode()


def test_roles_are_changed_with_the_attendance(city_client, meeting, directory):
    url = reverse("meetings:meeting_attendance", args=[meeting.pk])
    city_client.post(url, {"action": "invite", "person": [directory[0].pk, directory[1].pk]})
    first, second = (meeting.attendances.get(person=p) for p in directory[:2])
    city_client.post(
        url,
        {
            "action": "present",
            "present": [first.pk],
            f"role-{first.pk}": "chair",
            f"role-{second.pk}": "participant",
        },
    )
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.attended, first.role) == (True, "chair")
    assert (second.attended, second.role) == (False, "participant")
    response = city_client.post(
        url,
        {"action": "present", "present": [second.pk], f"role-{first.pk}": "boss"},
        follow=True,
    )
    first.refresh_from_db(), second.refresh_from_db()
    assert "役割の選択が正しくありません。" in response.content.decode()
    assert first.role == "chair" and not second.attended  # nothing saved


def test_it_invites_the_standing_members_in_one_click(city_client, meeting, body, directory):
    body.standing_members.set(directory[:2])
    url = reverse("meetings:meeting_attendance", args=[meeting.pk])
    assert "構成員 2名" in city_client.get(url).content.decode()
    city_client.post(url, {"action": "standing"})
    city_client.post(url, {"action": "standing"})  # twice: nobody twice
    assert meeting.attendances.filter(person__in=directory[:2]).count() == 2
    assert AuditEntry.objects.filter(action="meeting.attendees_invited").count() == 1


def test_standing_members_are_edited_on_the_body_form(city_client, body, directory, other_rows):
    url = reverse("meetings:meeting_type_edit", args=[body.pk])
    data = {
        "name": body.name,
        "category": body.category,
        "level": body.level,
        "host": body.host,
        "follow_up_months": "3,6",
        "sort_order": 0,
        "is_active": "on",
        "standing_members": [directory[0].pk, directory[1].pk],
        "implementation_plan": "実施計画の本文",
    }
    assert city_client.post(url, data).status_code == 302
    body.refresh_from_db()
    assert set(body.standing_members.all()) == set(directory[:2])
    assert body.implementation_plan == "実施計画の本文"
    refused = city_client.post(url, {**data, "standing_members": [other_rows["person"].pk]})
    assert refused.status_code == 200 and set(body.standing_members.all()) == set(directory[:2])


def test_it_adds_someone_not_in_the_directory(city_client, meeting):
    url = reverse("meetings:meeting_attendance", args=[meeting.pk])
    missing = city_client.post(url, {"action": "add", "name": "", "role": "participant"})
    assert missing.status_code == 200 and "氏名を入力してください。" in missing.content.decode()
    city_client.post(
        url,
        {
            "action": "add",
            "name": "民生 委員",
            "profession": Profession.WELFARE_COMMISSIONER,
            "affiliation": "明第1地区民生委員児童委員協議会",
            "role": "participant",
        },
    )
    added = meeting.attendances.get(name="民生 委員")
    assert added.person is None and added.affiliation.startswith("明第1")


def test_removing_an_attendee_asks_first(city_client, meeting):
    attendance = meeting.attendances.get()
    url = reverse("meetings:attendance_remove", args=[meeting.pk, attendance.pk])
    page = city_client.get(url)
    assert page.status_code == 200 and "外しますか" in page.content.decode()
    assert meeting.attendances.exists()
    assert city_client.post(url).status_code == 302
    assert not meeting.attendances.exists()


def test_the_viewer_and_other_municipalities_cannot_invite(viewer, outsider, meeting, directory):
    url = reverse("meetings:meeting_attendance", args=[meeting.pk])
    data = {"action": "invite", "person": [directory[0].pk]}
    assert as_user(viewer).post(url, data).status_code == 403
    assert as_user(outsider).post(url, data).status_code == 404
    assert meeting.attendances.count() == 1


def test_invite_service_refuses_another_municipality(meeting, city_admin, other_rows):
    with pytest.raises(ValidationError):
        services.invite_people(meeting=meeting, people=[other_rows["person"]], by=city_admin)


# --- 4. Handouts ----------------------------------------------------------------------------


def test_handout_kind_is_judged_by_content():
    assert handout_kind(SimpleUploadedFile("a.pdf", b"%PDF-1.7 x")) == "pdf"
    assert handout_kind(office_file("a.docx", "word/document.xml")) == "docx"
    assert handout_kind(office_file("a.xlsx", "xl/workbook.xml")) == "xlsx"
    assert handout_kind(office_file("a.docx", "xl/workbook.xml")) is None  # renamed
    assert handout_kind(SimpleUploadedFile("a.pdf", b"MZ not a pdf")) is None
    assert handout_kind(SimpleUploadedFile("a.docx", b"PK\x03\x04 broken")) is None
    assert handout_kind(SimpleUploadedFile("a.exe", b"%PDF-1.7")) is None


def test_it_attaches_downloads_and_deletes_a_handout(city_client, viewer, meeting):
    viewer_client = as_user(viewer)
    url = reverse("meetings:meeting_handouts", args=[meeting.pk])
    upload = office_file("次第.docx", "word/document.xml")
    response = city_client.post(url, {"title": "会議次第", "file": upload})
    assert response.status_code == 302
    handout = Handout.objects.get()
    assert handout.kind == "docx" and handout.file.name.endswith(".docx")
    assert "次第" not in handout.file.name  # stored under a name of our own
    detail = viewer_client.get(
        reverse("meetings:meeting_detail", args=[meeting.pk])
    ).content.decode()
    assert "会議次第" in detail
    download = viewer_client.get(
        reverse("meetings:handout_download", args=[meeting.pk, handout.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")
    assert AuditEntry.objects.filter(action="meeting.handout_downloaded").exists()
    delete = reverse("meetings:handout_delete", args=[meeting.pk, handout.pk])
    assert viewer_client.post(delete).status_code == 403
    assert "削除しますか" in city_client.get(delete).content.decode()
    assert Handout.objects.exists()
    assert city_client.post(delete).status_code == 302
    assert not Handout.objects.exists()


def test_it_refuses_a_renamed_or_oversized_handout(city_client, meeting, monkeypatch):
    url = reverse("meetings:meeting_handouts", args=[meeting.pk])
    renamed = city_client.post(url, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")})
    assert renamed.status_code == 200
    assert (
        "PDF・Word（.docx）・Excel（.xlsx）のファイルを選んでください。" in renamed.content.decode()
    )
    monkeypatch.setattr(services, "MAX_HANDOUT_BYTES", 10)
    big = city_client.post(url, {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4" + b"0" * 20)})
    assert "ファイルが大きすぎます（10MBまで）。" in big.content.decode()
    assert not Handout.objects.exists()


def test_handouts_are_hidden_from_other_municipalities_and_viewers_cannot_add(
    viewer, outsider, meeting
):
    viewer_client, outsider_client, client = as_user(viewer), as_user(outsider), Client()
    handout = services.add_handout(
        meeting=meeting,
        upload=SimpleUploadedFile("資料.pdf", b"%PDF-1.4 x"),
        title="",
        by=None,
    )
    assert handout.title == "資料"
    download = reverse("meetings:handout_download", args=[meeting.pk, handout.pk])
    assert outsider_client.get(download).status_code == 404
    assert client.get(download).status_code == 302  # not logged in: to the login page
    url = reverse("meetings:meeting_handouts", args=[meeting.pk])
    refused = viewer_client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert refused.status_code == 403 and Handout.objects.count() == 1


def test_the_policy_and_the_plan_are_handed_out_at_personal_information_meetings(
    city_client, meeting, body
):
    url = reverse("meetings:meeting_handouts", args=[meeting.pk])
    assert "個人情報基本方針" not in city_client.get(url).content.decode()
    assert (
        city_client.get(reverse("meetings:meeting_handout_policy", args=[meeting.pk])).status_code
        == 404
    )
    body.handles_personal_info = True
    body.implementation_plan = "参加者へ本実施計画を配布する。"
    body.save()
    policy_for_signing(meeting.municipality)
    page = city_client.get(url).content.decode()
    assert "個人情報基本方針" in page and "地域個別ケア会議実施計画" in page
    policy = city_client.get(reverse("meetings:meeting_handout_policy", args=[meeting.pk]))
    assert "第1版" in policy.content.decode()
    plan = city_client.get(reverse("meetings:meeting_handout_plan", args=[meeting.pk]))
    assert "参加者へ本実施計画を配布する。" in plan.content.decode()


# --- 5. Copy and series ---------------------------------------------------------------------


def test_it_copies_a_meeting_with_its_attendees(city_client, meeting, body, city_body):
    meeting.joint_meeting_types.set([city_body])
    url = reverse("meetings:meeting_copy", args=[meeting.pk])
    bad = city_client.post(url, {"date": "9999-12-31"})
    assert bad.status_code == 200 and Meeting.objects.count() == 1
    response = city_client.post(url, {"date": days(40).isoformat()})
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response.url == reverse("meetings:meeting_detail", args=[copy.pk])
    assert (copy.meeting_type, copy.center, copy.venue, copy.start_time) == (
        body,
        meeting.center,
        "地域会館",
        datetime.time(14, 0),
    )
    assert copy.date == days(40) and list(copy.joint_meeting_types.all()) == [city_body]
    invited = copy.attendances.get()
    assert invited.invited and not invited.attended and invited.person_id is not None


def test_the_viewer_cannot_copy(viewer, outsider, meeting):
    url = reverse("meetings:meeting_copy", args=[meeting.pk])
    assert as_user(viewer).post(url, {"date": days(3).isoformat()}).status_code == 403
    assert as_user(outsider).get(url).status_code == 404
    assert Meeting.objects.count() == 1


def test_it_schedules_a_series_for_the_year(city_client, body, center, area):
    dates = [days(30), days(90), days(150), days(210), days(270)]
    data = {
        "meeting_type": body.pk,
        "center": center.pk,
        "area": area.pk,
        "venue": "地域会館",
        "format": "in_person",
        "start_time": "14:00",
        **{f"date_{n}": d.isoformat() for n, d in enumerate(dates, start=1)},
    }
    response = city_client.post(reverse("meetings:meeting_series"), data)
    assert response.status_code == 302, response.content.decode()
    made = Meeting.objects.order_by("date")
    assert [m.date for m in made] == dates
    assert {(m.venue, m.area_id, m.center_id) for m in made} == {("地域会館", area.pk, center.pk)}


def test_a_series_needs_a_date_and_says_so_next_to_it(city_client, body, center):
    data = {"meeting_type": body.pk, "center": center.pk, "format": "in_person"}
    response = city_client.post(reverse("meetings:meeting_series"), {**data, "date_2": "R8.2.30"})
    page = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "開催日を1つ以上入力してください。" in page or "日付" in page


def test_the_viewer_cannot_schedule_a_series(viewer_client):
    assert viewer_client.get(reverse("meetings:meeting_series")).status_code == 403


# --- 6 and 7. Joint bodies and 圏域 ---------------------------------------------------------


def test_a_meeting_is_saved_with_joint_bodies_and_an_area(city_client, body, city_body, area):
    response = city_client.post(
        reverse("meetings:meeting_create"),
        {
            "meeting_type": city_body.pk,
            "date": days(5).isoformat(),
            "format": "in_person",
            "area": area.pk,
            "joint_meeting_types": [body.pk],
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.area == area and list(meeting.joint_meeting_types.all()) == [body]
    page = city_client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "合同開催" in page and "明第1圏域" in page


def test_joint_bodies_and_areas_stay_in_the_municipality(
    city_admin, municipality, city_body, other_rows, other_municipality
):
    foreign = MeetingType.objects.create(
        municipality=other_municipality,
        name="他市の会議",
        category="promotion",
        level="city",
        host="city",
    )
    meeting = Meeting(municipality=municipality, meeting_type=city_body, date=days(5))
    with pytest.raises(ValidationError):
        services.save_meeting(meeting=meeting, by=city_admin, joint_types=[foreign])
    meeting.area = other_rows["area"]
    with pytest.raises(ValidationError):
        services.save_meeting(meeting=meeting, by=city_admin)
    assert not Meeting.objects.exists()
