"""What a resource, a need and an activity accept, and the services that save them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tsunagu.audit.models import AuditEntry
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Person
from tsunagu.resources import services
from tsunagu.resources.models import Activity, Need, Resource, ResourcePlace

from .conftest import TODAY, make_resource


def test_the_schedule_is_kept_as_typed_and_as_rules(resource):
    assert resource.schedule_text == "第2・第4火曜 10:00〜12:00"
    assert resource.schedule.rules[0].days == ((2, 1), (4, 1))
    assert resource.weekdays == 1 << 1  # 火
    assert resource.weekday_labels == "火"


def test_a_schedule_that_does_not_parse_is_refused(municipality):
    resource = Resource(
        municipality=municipality, name="謎の会", kind="salon", provider_name="有志"
    )
    resource.schedule_text = "気が向いたとき"
    with pytest.raises(ValidationError) as error:
        resource.full_clean()
    assert "日時「気が向いたとき」を読み取れません" in error.value.message_dict["schedule_text"][0]


def test_capacity_below_zero_is_refused_by_the_model_and_the_database(municipality, resource):
    resource.capacity = -1
    with pytest.raises(ValidationError) as error:
        resource.full_clean()
    assert "capacity" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(capacity=-1)


def test_a_provider_is_either_the_directory_or_a_name(municipality, organization):
    resource = Resource(municipality=municipality, name="配食", kind="meals")
    with pytest.raises(ValidationError) as error:
        resource.full_clean()
    assert "提供主体" in error.value.message_dict["provider_name"][0]
    resource.provider, resource.provider_name = organization, "別の名前"
    with pytest.raises(ValidationError):
        resource.full_clean()
    resource.provider_name = ""
    resource.full_clean()
    assert resource.provider_label == "ケアプランあさがお"


def test_another_municipalitys_provider_is_refused(municipality, other_rows):
    resource = Resource(
        municipality=municipality, name="配食", kind="meals", provider=other_rows["organization"]
    )
    with pytest.raises(ValidationError) as error:
        resource.full_clean()
    assert "他の市町村" in error.value.message_dict["provider"][0]


def test_stale_after_a_year_without_confirmation(municipality):
    fresh = make_resource(municipality, "A", last_confirmed_on=TODAY - datetime.timedelta(days=364))
    old = make_resource(municipality, "B", last_confirmed_on=TODAY - datetime.timedelta(days=366))
    never = make_resource(municipality, "C", last_confirmed_on=None)
    assert (fresh.is_stale, old.is_stale, never.is_stale) == (False, True, True)


def test_save_resource_refuses_a_duplicate_of_the_same_name_provider_and_area(
    municipality, area, second_area, resource, city_admin
):
    copy = Resource(
        municipality=municipality,
        name=" いきいきサロン明 ",
        kind="salon",
        provider_name="明第1町会",
    )
    with pytest.raises(ValidationError) as error:
        services.save_resource(resource=copy, areas=[area, second_area], by=city_admin)
    assert "名称・提供主体・対象圏域が同じ" in str(error.value)
    # Another area, or another provider, is another resource.
    services.save_resource(resource=copy, areas=[second_area], by=city_admin)
    other = Resource(
        municipality=municipality, name="いきいきサロン明", kind="salon", provider_name="明第2町会"
    )
    services.save_resource(resource=other, areas=[area], by=city_admin)
    assert Resource.objects.filter(name="いきいきサロン明").count() == 3


def test_whole_municipality_resources_duplicate_each_other(municipality, city_admin):
    first = Resource(municipality=municipality, name="配食", kind="meals", provider_name="社協")
    services.save_resource(resource=first, areas=[], by=city_admin)
    second = Resource(municipality=municipality, name="配食", kind="meals", provider_name="社協")
    with pytest.raises(ValidationError):
        services.save_resource(resource=second, areas=[], by=city_admin)


def test_save_resource_replaces_the_places_and_logs(municipality, area, resource, city_admin):
    kept = resource.places.get()
    uuid = kept.uuid
    kept.address = "松風一丁目2番"
    services.save_resource(
        resource=resource,
        areas=[area],
        places=[kept, ResourcePlace(name="第二会場", postal_code="271-0001")],
        by=city_admin,
    )
    assert [(p.name, p.address) for p in resource.places.all()] == [
        ("明第1町会会館", "松風一丁目2番"),
        ("第二会場", ""),
    ]
    assert resource.places.get(name="明第1町会会館").uuid == uuid  # HSDS ids stay stable
    services.save_resource(resource=resource, areas=[area], places=[], by=city_admin)
    assert not resource.places.exists()
    assert AuditEntry.objects.filter(action="resource.updated").count() == 2


def test_another_municipalitys_area_is_refused(municipality, resource, other_area, city_admin):
    with pytest.raises(ValidationError):
        services.save_resource(resource=resource, areas=[other_area], by=city_admin)


def test_a_need_from_a_case_names_the_case(municipality, area):
    need = Need(municipality=municipality, area=area, kind="transport", source="case")
    with pytest.raises(ValidationError) as error:
        need.full_clean()
    assert "事例番号" in error.value.message_dict["source"][0]


def test_a_need_counts_at_least_one_person(municipality, area):
    need = Need(municipality=municipality, area=area, kind="transport", source="hearing", people=0)
    with pytest.raises(ValidationError) as error:
        need.full_clean()
    assert "people" in error.value.message_dict


def test_save_need_logs_the_case_code_only(municipality, area, case, city_admin):
    need = Need(municipality=municipality, area=area, kind="transport", source="case", case=case)
    services.save_need(need=need, by=city_admin)
    entry = AuditEntry.objects.get(action="need.created")
    assert entry.data["case"] == "C-001"
    assert "誓約書" not in str(entry.data) and need.created_by == city_admin


def test_a_needs_area_must_be_of_its_municipality(municipality, other_area):
    need = Need(municipality=municipality, area=other_area, kind="salon", source="hearing")
    with pytest.raises(ValidationError):
        need.full_clean()


def test_an_activity_is_a_coordinators_and_second_tier_ones_have_an_area(
    municipality, area, coordinator, person
):
    activity = Activity(
        municipality=municipality, coordinator=coordinator, kind="visit", title="訪問"
    )
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "第2層" in error.value.message_dict["area"][0]
    activity.area = area
    activity.full_clean()
    first_tier = Person.objects.create(
        municipality=municipality,
        name="市 第一",
        furigana="シ ダイイチ",
        profession=Profession.COORDINATOR_1,
    )
    Activity(
        municipality=municipality, coordinator=first_tier, kind="council", title="第1層協議体"
    ).full_clean()
    activity.coordinator = person  # a care manager
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "生活支援コーディネーター" in error.value.message_dict["coordinator"][0]


def test_an_activity_without_a_coordinator_is_refused_without_crashing(municipality):
    activity = Activity(municipality=municipality, kind="visit", title="訪問")
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "coordinator" in error.value.message_dict
