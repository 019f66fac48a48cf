"""The catalogue of meeting bodies: registering one by hand and loading a preset."""

from django.urls import reverse

from tsunagu.audit.models import AuditEntry
from tsunagu.meetings.choices import Category, Host, Level
from tsunagu.meetings.models import MeetingType


def form_data(**overrides):
    data = {
        "name": "認知症ケア会議",
        "category": Category.OTHER,
        "level": Level.CITY,
        "host": Host.CITY,
        "host_organization": "",
        "purpose": "認知症の人の支援を話し合う",
        "functions": ["network", "discovery"],
        "member_professions": ["physician", "social_worker"],
        "member_note": "",
        "frequency_per_year": 4,
        "frequency_note": "",
        "follow_up_months": "3,6",
        "sort_order": 10,
        "is_active": "on",
    }
    return {**data, **overrides}


def test_it_creates_a_meeting_type_with_functions_and_professions(city_client, municipality):
    response = city_client.post(reverse("meetings:meeting_type_create"), form_data())
    meeting_type = MeetingType.objects.get(municipality=municipality)
    assert response.status_code == 302
    assert response.url == reverse("meetings:meeting_type_detail", args=[meeting_type.pk])
    assert meeting_type.functions == ["network", "discovery"]
    assert meeting_type.member_professions == ["physician", "social_worker"]
    entry = AuditEntry.objects.get(action="meeting_type.created")
    assert entry.target_id == str(meeting_type.pk) and entry.municipality_id == municipality.pk
    detail = city_client.get(response.url).content.decode()
    assert "ネットワーク構築、地域課題発見" in detail
    assert "医師、社会福祉士" in detail


def test_it_refuses_a_duplicate_name_and_keeps_the_input(city_client, municipality):
    city_client.post(reverse("meetings:meeting_type_create"), form_data())
    response = city_client.post(
        reverse("meetings:meeting_type_create"), form_data(purpose="二度目に入力した目的")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "同じ名前の会議体がすでに登録されています" in body
    assert "二度目に入力した目的" in body
    assert MeetingType.objects.filter(municipality=municipality).count() == 1


def test_it_edits_a_meeting_type_and_logs_it(city_client, municipality):
    city_client.post(reverse("meetings:meeting_type_create"), form_data())
    meeting_type = MeetingType.objects.get()
    response = city_client.post(
        reverse("meetings:meeting_type_edit", args=[meeting_type.pk]),
        form_data(functions=["policy"]),
    )
    assert response.status_code == 302
    meeting_type.refresh_from_db()
    assert meeting_type.functions == ["policy"]
    assert AuditEntry.objects.filter(action="meeting_type.updated").count() == 1


def test_it_loads_the_preset_once_however_often_it_is_posted(city_client, municipality):
    first = city_client.post(
        reverse("meetings:meeting_type_preset"), {"preset": "matsudo"}, follow=True
    )
    assert "プリセットから6件の会議体を登録しました" in first.content.decode()
    assert MeetingType.objects.filter(municipality=municipality).count() == 6
    second = city_client.post(
        reverse("meetings:meeting_type_preset"), {"preset": "matsudo"}, follow=True
    )
    assert "プリセットから0件の会議体を登録しました" in second.content.decode()
    assert "同名で登録済みの6件" in second.content.decode()
    assert MeetingType.objects.filter(municipality=municipality).count() == 6
    assert AuditEntry.objects.filter(action="meeting_type.preset_loaded").count() == 2


def test_it_refuses_an_unknown_preset(city_client, municipality):
    response = city_client.post(
        reverse("meetings:meeting_type_preset"), {"preset": "../settings"}, follow=True
    )
    assert "プリセットを選んでください" in response.content.decode()
    assert not MeetingType.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting_type.preset_loaded").exists()


def test_it_offers_the_presets_to_a_city_admin(city_client):
    assert (
        "プリセットから読み込む"
        in city_client.get(reverse("meetings:meeting_type_list")).content.decode()
    )


def test_it_hides_the_presets_from_a_viewer(viewer_client):
    body = viewer_client.get(reverse("meetings:meeting_type_list")).content.decode()
    assert "プリセットから読み込む" not in body
    assert "新規登録" not in body
