import json

import pytest
from django.core.exceptions import ValidationError

from tsunagu.audit.models import AuditEntry
from tsunagu.lib.jtext import normalize
from tsunagu.meetings import presets
from tsunagu.meetings.choices import Category, Host, Level
from tsunagu.meetings.models import MeetingType
from tsunagu.meetings.presets import available_presets, load_preset
from tsunagu.organizations.choices import OrganizationKind
from tsunagu.organizations.models import Organization

# 6 bodies of the 実施計画 (the 協議会 split by layer, as its hosts differ) + 14 liaison meetings
# of 事業計画 §5 (16 less (5), which is the 地域ケア会議 itself, and (15), the same 協議会).
EXPECTED_COUNTS = {"kodaira": 21, "matsudo": 6}


def preset_data(key):
    return json.loads((presets.PRESETS_DIR / f"{key}.json").read_text(encoding="utf-8"))


def load(municipality, city_admin, key):
    return load_preset(municipality=municipality, key=key, by=city_admin)


def test_it_lists_both_presets_sorted_with_name_and_description():
    listed = available_presets()
    assert [key for key, _, _ in listed] == ["kodaira", "matsudo"]
    assert all(name and description for _, name, description in listed)
    assert listed[0][1].startswith("小平市型")
    assert listed[1][1].startswith("松戸市型")


@pytest.mark.parametrize("key", sorted(EXPECTED_COUNTS))
def test_it_loads_every_meeting_type_of_the_preset(municipality, city_admin, key):
    created, skipped = load(municipality, city_admin, key)

    assert (created, skipped) == (EXPECTED_COUNTS[key], 0)
    rows = MeetingType.objects.filter(municipality=municipality)
    assert rows.count() == EXPECTED_COUNTS[key]
    for row in rows:
        row.full_clean()


@pytest.mark.parametrize("key", sorted(EXPECTED_COUNTS))
def test_it_keeps_names_unique_and_frequencies_consistent(key):
    rows = preset_data(key)["meeting_types"]
    names = [normalize(row["name"]) for row in rows]
    assert len(names) == len(set(names))
    assert len({row["sort_order"] for row in rows}) == len(rows)
    for row in rows:
        as_needed = row["frequency_note"].startswith(("必要", "随時"))
        assert (row["frequency_per_year"] is None) == as_needed, row["name"]
        # Only meetings that review cases see personal information, and all of them do.
        assert row["handles_personal_info"] == row["reviews_cases"], row["name"]
        assert row["reviews_cases"] == (row["category"] == Category.INDIVIDUAL), row["name"]


def test_it_gives_kodaira_its_six_care_meetings_and_liaison_meetings(municipality, city_admin):
    load(municipality, city_admin, "kodaira")
    rows = MeetingType.objects.filter(municipality=municipality)

    assert rows.filter(category=Category.INDIVIDUAL).count() == 3
    assert rows.filter(category=Category.PROMOTION).count() == 4
    assert rows.filter(category=Category.OTHER).count() == 14
    assert not rows.filter(category=Category.OTHER, handles_personal_info=True).exists()

    difficult = rows.get(name="困難ケースの事例検討")
    assert difficult.reviews_cases and difficult.handles_personal_info
    assert difficult.host == Host.EACH_CENTER
    assert difficult.frequency_per_year is None
    assert difficult.frequency_label == "必要時"

    preventive = rows.get(name="介護予防に資するケアプランの検討")
    assert (preventive.host, preventive.frequency_per_year) == (Host.CITY, 5)
    assert "dietitian" in preventive.member_professions

    core = rows.get(name="基幹型地域ケア会議")
    assert (core.level, core.host, core.functions) == (Level.CITY, Host.CORE_CENTER, ["policy"])


def test_it_splits_the_kodaira_council_by_layer(municipality, city_admin):
    load(municipality, city_admin, "kodaira")
    rows = MeetingType.objects.filter(municipality=municipality, name__startswith="生活支援体制")

    first = rows.get(name__contains="第1層")
    second = rows.get(name__contains="第2層")
    assert (first.level, first.host) == (Level.CITY, Host.CORE_CENTER)
    assert (second.level, second.host) == (Level.AREA, Host.EACH_CENTER)
    assert first.category == second.category == Category.PROMOTION


def test_it_creates_the_medical_association_hosting_kodaira_meetings(municipality, city_admin):
    load(municipality, city_admin, "kodaira")

    association = Organization.objects.get(municipality=municipality, name="松風テスト市医師会")
    assert association.kind == OrganizationKind.MEDICAL_ASSOCIATION
    hosted = MeetingType.objects.filter(host=Host.OTHER, host_organization=association)
    assert hosted.count() == 3
    council = hosted.get(name="在宅医療・介護連携推進事業協議会")
    assert (council.frequency_per_year, council.frequency_note) == (3, "年3回")


def test_it_reuses_an_existing_host_organization(municipality, city_admin):
    association = Organization.objects.create(
        municipality=municipality,
        name="松風テスト市医師会",
        kind=OrganizationKind.MEDICAL_ASSOCIATION,
    )

    load(municipality, city_admin, "kodaira")

    assert Organization.objects.filter(municipality=municipality).count() == 1
    assert MeetingType.objects.filter(host_organization=association).count() == 3


def test_it_gives_matsudo_its_meeting_bodies(municipality, city_admin):
    load(municipality, city_admin, "matsudo")
    rows = MeetingType.objects.filter(municipality=municipality)

    city = rows.get(name="市地域ケア会議")
    assert (city.level, city.category, city.frequency_per_year) == (
        Level.CITY,
        Category.PROMOTION,
        2,
    )
    area = rows.get(name="地域包括ケア推進会議")
    assert (area.level, area.category, area.host) == (
        Level.AREA,
        Category.PROMOTION,
        Host.EACH_CENTER,
    )
    individual = rows.get(name="地域個別ケア会議")
    assert (individual.frequency_per_year, individual.frequency_note) == (4, "年4〜6回程度")
    assert individual.reviews_cases and individual.handles_personal_info
    independence = rows.get(name="自立支援型個別ケア会議")
    assert (independence.frequency_per_year, independence.frequency_note) == (1, "年1〜2回程度")
    assert rows.get(name="高齢者支援連絡会").frequency_per_year == 12

    working = rows.get(name="2層ワーキング")
    assert working.frequency_per_year is None
    assert working.host_organization.name == "松風テスト市NPO協議会"
    assert working.host_organization.kind == OrganizationKind.NPO


@pytest.mark.parametrize("key", sorted(EXPECTED_COUNTS))
def test_it_creates_nothing_the_second_time(municipality, city_admin, key):
    load(municipality, city_admin, key)

    assert load(municipality, city_admin, key) == (0, EXPECTED_COUNTS[key])
    assert MeetingType.objects.filter(municipality=municipality).count() == EXPECTED_COUNTS[key]


def test_it_leaves_an_existing_type_with_the_same_name_unchanged(municipality, city_admin):
    mine = MeetingType.objects.create(
        municipality=municipality,
        name="市地域ケア会議",
        category=Category.OTHER,
        level=Level.CENTER,
        host=Host.EACH_CENTER,
        purpose="市が自分で書いた目的",
        frequency_per_year=9,
        sort_order=99,
    )

    assert load(municipality, city_admin, "matsudo") == (5, 1)

    mine.refresh_from_db()
    assert (mine.category, mine.level, mine.host) == (
        Category.OTHER,
        Level.CENTER,
        Host.EACH_CENTER,
    )
    assert (mine.purpose, mine.frequency_per_year, mine.sort_order) == (
        "市が自分で書いた目的",
        9,
        99,
    )
    assert MeetingType.objects.filter(municipality=municipality).count() == 6


def test_it_matches_existing_names_after_normalising(municipality, city_admin):
    # Names are stored NFKC-normalised, so full-width brackets in the file match half-width ones.
    MeetingType.objects.create(
        municipality=municipality,
        name="生活支援体制整備事業協議会(第1層)",
        category=Category.PROMOTION,
        level=Level.CITY,
        host=Host.CITY,
    )

    assert load(municipality, city_admin, "kodaira") == (20, 1)


def test_it_loads_into_each_municipality_separately(
    municipality, other_municipality, city_admin, outsider
):
    load(municipality, city_admin, "matsudo")

    assert load_preset(municipality=other_municipality, key="matsudo", by=outsider) == (6, 0)
    working = MeetingType.objects.get(municipality=other_municipality, name="2層ワーキング")
    assert working.host_organization.municipality == other_municipality


@pytest.mark.parametrize("key", ["nagoya", "../presets/kodaira", "kodaira.json", ""])
def test_it_rejects_an_unknown_key(municipality, city_admin, key):
    with pytest.raises(ValueError, match="プリセットが見つかりません"):
        load(municipality, city_admin, key)

    assert not MeetingType.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting_type.preset_loaded").exists()


def test_it_writes_an_audit_entry(municipality, city_admin):
    load(municipality, city_admin, "matsudo")
    load(municipality, city_admin, "matsudo")

    first, second = AuditEntry.objects.filter(action="meeting_type.preset_loaded").order_by("id")
    assert first.actor_id == city_admin.pk
    assert first.municipality_id == municipality.pk
    assert first.summary == preset_data("matsudo")["name"]
    assert first.data == {"preset": "matsudo", "created": 6, "skipped": 0}
    assert second.data == {"preset": "matsudo", "created": 0, "skipped": 6}


def test_it_rolls_back_a_preset_with_an_invalid_row(
    municipality, city_admin, tmp_path, monkeypatch
):
    good = preset_data("matsudo")["meeting_types"][0]
    bad = {**good, "name": "壊れた会議体", "functions": ["gossip"]}
    (tmp_path / "broken.json").write_text(
        json.dumps({"name": "壊れた型", "description": "", "meeting_types": [good, bad]}),
        encoding="utf-8",
    )
    monkeypatch.setattr(presets, "PRESETS_DIR", tmp_path)

    with pytest.raises(ValidationError):
        load(municipality, city_admin, "broken")

    assert not MeetingType.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting_type.preset_loaded").exists()


def test_it_rejects_an_unknown_field_in_a_preset(municipality, city_admin, tmp_path, monkeypatch):
    row = {**preset_data("matsudo")["meeting_types"][0], "frequncy": 3}
    (tmp_path / "typo.json").write_text(
        json.dumps({"name": "誤字の型", "meeting_types": [row]}), encoding="utf-8"
    )
    monkeypatch.setattr(presets, "PRESETS_DIR", tmp_path)

    with pytest.raises(ValueError, match="frequncy"):
        load(municipality, city_admin, "typo")
