"""Fixtures of the resources tests: resources, needs, a coordinator, a case of the center."""

import datetime

import pytest
from django.utils import timezone

from tsunagu.cases.models import Case
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Area, Person
from tsunagu.resources.models import Need, Resource, ResourcePlace

TODAY = timezone.localdate()


def make_resource(municipality, name="いきいきサロン明", *, areas=(), places=(), **fields):
    values = {
        "kind": "salon",
        "provider_name": "明第1町会",
        "schedule_text": "第2・第4火曜 10:00〜12:00",
        "last_confirmed_on": TODAY - datetime.timedelta(days=30),
    }
    values.update(fields)
    resource = Resource(municipality=municipality, name=name, **values)
    resource.full_clean()
    resource.save()
    resource.areas.set(areas)
    for place in places:
        ResourcePlace.objects.create(resource=resource, **place)
    return resource


def make_need(municipality, area, kind="salon", **fields):
    values = {"people": 1, "source": "hearing"}
    values.update(fields)
    need = Need(municipality=municipality, area=area, kind=kind, **values)
    need.full_clean()
    need.save()
    return need


@pytest.fixture
def second_area(municipality):
    return Area.objects.create(municipality=municipality, name="明第2西", sort_order=2)


@pytest.fixture
def resource(municipality, area):
    return make_resource(
        municipality,
        areas=[area],
        places=[{"name": "明第1町会会館", "postal_code": "271-0000", "address": "松風一丁目1番"}],
        phone="047-000-1111",
        cost="1回100円",
        capacity=20,
    )


@pytest.fixture
def need(municipality, area):
    return make_need(municipality, area, people=3, note="歩いて行けるサロンがほしい")


@pytest.fixture
def coordinator(municipality):
    return Person.objects.create(
        municipality=municipality,
        name="高橋 恵美",
        furigana="タカハシ エミ",
        profession=Profession.COORDINATOR_2,
    )


@pytest.fixture
def case(municipality, center):
    return Case.objects.create(
        municipality=municipality,
        code="C-001",
        center=center,
        status="ready",
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="support_2",
        household="alone",
        wishes="事例の内容（誓約書がないと見られない）",
    )
