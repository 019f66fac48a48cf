"""誓約書: signing, paper pledges, versions, the content gate and the advisers' window."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.confidentiality.models import PledgeScope, PrivacySettings
from tsunagu.confidentiality.services import publish_policy
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, Pledge
from tsunagu.tests.url_names import reverse

TODAY = timezone.localdate()


@pytest.fixture
def body(municipality):
    return MeetingType.objects.create(
        municipality=municipality,
        name="地域個別ケア会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        reviews_cases=True,
    )


@pytest.fixture
def meeting(municipality, body, center):
    return Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        center=center,
        date=TODAY,
        minutes="A氏 80代 女性の事例を検討した。",
        summary="支援方針を決めた。",
    )


@pytest.fixture
def adviser(municipality, person):
    user = make_user("adviser", (municipality, Role.ADVISER, None))
    user.memberships.update(person=person)
    return user


def sign(client, meeting, **changes):
    data = {"affiliation": "明第1地域包括支援センター", "signer_name": "署名 太郎", "confirm": "on"}
    data.update(changes)
    return client.post(reverse("meetings:meeting_pledge", args=[meeting.pk]), data)


def detail(client, meeting):
    return client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()


def test_it_hides_the_minutes_until_the_pledge_is_signed(city_client, meeting):
    body = detail(city_client, meeting)
    assert "誓約書への署名が必要です" in body
    assert "A氏 80代" not in body and "支援方針を決めた" not in body
    assert (
        city_client.get(reverse("meetings:meeting_minutes", args=[meeting.pk])).status_code == 403
    )
    assert city_client.get(reverse("meetings:meeting_close", args=[meeting.pk])).status_code == 403


def test_it_shows_the_minutes_after_signing_and_logs_each_view(city_client, city_admin, meeting):
    response = sign(city_client, meeting)
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.user, pledge.meeting, pledge.method) == (city_admin, meeting, "online")
    assert pledge.policy_version.version == 1
    assert "A氏 80代" in detail(city_client, meeting)
    assert AuditEntry.objects.filter(action="pledge.signed").count() == 1
    assert AuditEntry.objects.filter(action="meeting.content_viewed").count() == 1


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"signer_name": ""}, "氏名を入力してください"),
        ({"affiliation": ""}, "所属・団体または住所を入力してください"),
        ({"confirm": ""}, "同意する場合はチェックを入れてください"),
    ],
)
def test_it_refuses_an_incomplete_pledge_and_keeps_the_input(
    city_client, meeting, changes, message
):
    response = sign(city_client, meeting, **changes)
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert not Pledge.objects.exists()


def test_a_pledge_for_one_meeting_does_not_open_another(city_client, meeting, body, center):
    other = Meeting.objects.create(
        municipality=meeting.municipality,
        meeting_type=body,
        center=center,
        date=TODAY,
        minutes="別の事例",
    )
    sign(city_client, meeting)
    assert "別の事例" not in detail(city_client, other)


def test_a_yearly_pledge_opens_every_meeting_of_the_year(city_client, meeting, body, center):
    PrivacySettings.objects.create(
        municipality=meeting.municipality, pledge_scope=PledgeScope.PER_FISCAL_YEAR
    )
    other = Meeting.objects.create(
        municipality=meeting.municipality,
        meeting_type=body,
        center=center,
        date=TODAY,
        minutes="別の事例",
    )
    sign(city_client, meeting)
    assert Pledge.objects.get().meeting is None
    assert "別の事例" in detail(city_client, other)


def test_a_new_version_leaves_earlier_pledges_as_signed(city_client, city_admin, meeting):
    sign(city_client, meeting)
    publish_policy(
        municipality=meeting.municipality, policy_text="新方針", pledge_text="新誓約", by=city_admin
    )
    pledge = Pledge.objects.get()
    assert pledge.policy_version.version == 1
    assert "新方針" not in pledge.policy_version.policy_text
    assert "A氏 80代" in detail(city_client, meeting)


def test_the_adviser_sees_the_case_only_inside_the_window(client, adviser, meeting, person):
    Attendance.objects.create(
        meeting=meeting,
        person=person,
        name=person.name,
        profession=person.profession,
        role="adviser",
    )
    client = logged_in(client, adviser)
    sign(client, meeting)
    assert Pledge.objects.get().person == person
    assert "A氏 80代" in detail(client, meeting)
    for shift, visible in ((-7, True), (-8, False), (1, True), (2, False)):
        Meeting.objects.filter(pk=meeting.pk).update(date=TODAY - datetime.timedelta(days=shift))
        body = detail(client, meeting)
        assert ("A氏 80代" in body) is visible, shift
        if not visible:
            assert "外部の助言者は" in body


def test_the_adviser_sees_only_meetings_on_which_they_are(client, adviser, meeting):
    client = logged_in(client, adviser)
    assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:meeting_pledge", args=[meeting.pk])).status_code == 404


def test_a_pledge_by_the_directory_person_counts_for_their_login(
    client, adviser, meeting, person, staff_client
):
    Attendance.objects.create(
        meeting=meeting,
        person=person,
        name=person.name,
        profession=person.profession,
        role="adviser",
    )
    pdf = SimpleUploadedFile("pledge.pdf", b"%PDF-1.4 scanned", content_type="application/pdf")
    response = staff_client.post(
        reverse("meetings:meeting_pledge_paper", args=[meeting.pk]),
        {"person": person.pk, "scan": pdf},
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.method, pledge.signer_name, pledge.recorded_by) == (
        "paper",
        person.name,
        "center_staff",
    )
    assert "署名済" in detail(staff_client, meeting)
    assert "A氏 80代" in detail(logged_in(client, adviser), meeting)


def test_it_refuses_a_scan_of_the_wrong_kind(staff_client, meeting):
    exe = SimpleUploadedFile("pledge.exe", b"MZ", content_type="application/octet-stream")
    response = staff_client.post(
        reverse("meetings:meeting_pledge_paper", args=[meeting.pk]),
        {"signer_name": "紙 花子", "affiliation": "自治会", "scan": exe},
    )
    assert "PDF・JPEG・PNG" in response.content.decode()
    assert not Pledge.objects.exists()


def test_it_refuses_a_second_pledge_by_the_same_person(staff_client, meeting, person):
    Attendance.objects.create(
        meeting=meeting, person=person, name=person.name, profession=person.profession
    )
    url = reverse("meetings:meeting_pledge_paper", args=[meeting.pk])
    staff_client.post(url, {"person": person.pk, "affiliation": "x"})
    response = staff_client.post(url, {"person": person.pk, "affiliation": "x"})
    assert "すでに記録されています" in response.content.decode()
    assert Pledge.objects.count() == 1


def test_viewers_cannot_record_paper_pledges(viewer_client, meeting):
    url = reverse("meetings:meeting_pledge_paper", args=[meeting.pk])
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, {"signer_name": "x", "affiliation": "y"}).status_code == 403
    assert not Pledge.objects.exists()


def test_another_municipality_gets_404_everywhere(outsider_client, meeting):
    for name in ("meeting_pledge", "meeting_pledge_paper", "meeting_pledge_pdf"):
        url = reverse(name, args=[meeting.pk])
        assert outsider_client.get(url).status_code == 404, name
        assert outsider_client.post(url, {"signer_name": "x"}).status_code == 404, name
    assert not Pledge.objects.exists()


def test_anonymous_users_are_sent_to_login(client, meeting):
    for name in ("meeting_pledge", "meeting_pledge_paper", "meeting_pledge_pdf"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 302


def test_the_blank_pledge_pdf_names_the_meeting(city_client, meeting, tmp_path):
    import subprocess

    response = city_client.get(reverse("meetings:meeting_pledge_pdf", args=[meeting.pk]))
    path = tmp_path / "pledge.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "誓約書" in text and "地域個別ケア会議" in text
    assert "第115条の48第5項" in text and "（氏名）" in text


def test_meetings_without_personal_information_need_no_pledge(viewer_client, meeting):
    MeetingType.objects.filter(pk=meeting.meeting_type_id).update(handles_personal_info=False)
    assert "A氏 80代" in detail(viewer_client, meeting)


def test_staff_download_the_scan_through_the_gate(staff_client, viewer, meeting):
    pdf = SimpleUploadedFile("pledge.pdf", b"%PDF-1.4 scanned", content_type="application/pdf")
    staff_client.post(
        reverse("meetings:meeting_pledge_paper", args=[meeting.pk]),
        {"signer_name": "紙 花子", "affiliation": "自治会", "scan": pdf},
    )
    pledge = Pledge.objects.get()
    url = reverse("meetings:pledge_scan", args=[meeting.pk, pledge.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scanned"
    assert AuditEntry.objects.filter(action="pledge.scan_viewed").count() == 1
    other = Client()
    other.force_login(viewer)
    assert other.get(url).status_code == 403


def test_a_forged_calendar_address_is_refused_and_logged(client, db):
    assert client.get("/calendar/forged-token.ics").status_code == 404
    entry = AuditEntry.objects.get(action="access.refused")
    assert entry.data["path"] == "/calendar/forged-token.ics" and entry.actor_id is None


def test_it_checks_a_scan_by_its_content_not_its_name(staff_client, meeting):
    renamed = SimpleUploadedFile(
        "pledge.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    png_as_pdf = SimpleUploadedFile("pledge.pdf", b"\x89PNG\r\n\x1a\n....")
    for scan in (renamed, png_as_pdf):
        response = staff_client.post(
            reverse("meetings:meeting_pledge_paper", args=[meeting.pk]),
            {"signer_name": "紙 花子", "affiliation": "自治会", "scan": scan},
        )
        assert "ファイルの中身が PDF・JPEG・PNG ではありません" in response.content.decode()
    assert not Pledge.objects.exists()
    jpeg = SimpleUploadedFile("pledge.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF")
    staff_client.post(
        reverse("meetings:meeting_pledge_paper", args=[meeting.pk]),
        {"signer_name": "紙 花子", "affiliation": "自治会", "scan": jpeg},
    )
    assert Pledge.objects.get().scan.name.endswith(".JPG")
