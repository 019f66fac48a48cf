"""Free text with personal identifiers is shown masked before it is saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, Pledge

TYPED = "山田花子さん（松戸市小金原3丁目5番2号、電話047-123-4567）の事例を検討した。"


@pytest.fixture
def meeting(municipality, center, city_admin):
    body = MeetingType.objects.create(
        municipality=municipality,
        name="個別",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
    )
    meeting = Meeting.objects.create(
        municipality=municipality, meeting_type=body, center=center, date=timezone.localdate()
    )
    Pledge.objects.create(
        municipality=municipality,
        meeting=meeting,
        user=city_admin,
        signer_name="市 職員",
        affiliation="市",
        method="online",
        policy_version=policy_for_signing(municipality),
    )
    return meeting


def post_minutes(client, meeting, **extra):
    return client.post(
        reverse("meetings:meeting_minutes", args=[meeting.pk]),
        {"minutes": TYPED, "decisions": "", **extra},
    )


def test_it_offers_the_masked_text_before_saving(city_client, meeting):
    body = post_minutes(city_client, meeting).content.decode()
    assert "個人を特定できる情報が含まれている可能性があります" in body
    assert "A氏" in body and "［電話番号］" in body and "松戸市〇〇" in body
    assert Meeting.objects.get(pk=meeting.pk).minutes == ""


def test_it_saves_the_masked_text_when_chosen(city_client, meeting):
    response = post_minutes(city_client, meeting, masking_choice="masked")
    assert response.status_code == 302
    saved = Meeting.objects.get(pk=meeting.pk).minutes
    assert "山田" not in saved and "047-123-4567" not in saved and "A氏" in saved


def test_it_saves_the_text_as_typed_when_the_user_confirms(city_client, meeting):
    post_minutes(city_client, meeting, masking_choice="as_typed")
    assert Meeting.objects.get(pk=meeting.pk).minutes == TYPED


def test_text_without_identifiers_saves_at_once(city_client, meeting):
    response = city_client.post(
        reverse("meetings:meeting_minutes", args=[meeting.pk]),
        {"minutes": "A氏 80代 女性。要支援2。", "decisions": ""},
    )
    assert response.status_code == 302


def test_the_closing_summary_is_checked_too(city_client, meeting, person):
    Attendance.objects.create(
        meeting=meeting,
        person=person,
        name=person.name,
        profession=person.profession,
        attended=True,
    )
    Pledge.objects.create(  # present and signed on paper, so the meeting can be closed
        municipality=meeting.municipality,
        meeting=meeting,
        person=person,
        signer_name=person.name,
        affiliation="所属",
        method="paper",
        policy_version=policy_for_signing(meeting.municipality),
    )
    url = reverse("meetings:meeting_close", args=[meeting.pk])
    body = city_client.post(url, {"summary": TYPED, "cases_reviewed": 1}).content.decode()
    assert "伏せ字にして保存" in body
    city_client.post(url, {"summary": TYPED, "cases_reviewed": 1, "masking_choice": "masked"})
    assert Meeting.objects.get(pk=meeting.pk).summary.startswith("A氏")
