"""The HSDS 3.0 export, validated against the standard's JSON schemas (hsds_schema/)."""

import datetime
import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing import Resource as SchemaResource
from referencing.jsonschema import DRAFT202012

from tsunagu.organizations.models import Organization
from tsunagu.resources.hsds import hsds_document
from tsunagu.resources.models import Resource

from .conftest import TODAY, make_need, make_resource

SCHEMA_DIR = Path(__file__).parent / "hsds_schema"
# Where the specification publishes the 3.0 files; their relative $refs resolve against it.
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
SCHEMAS = {
    path.name: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMA_DIR.glob("*.json")
}
REGISTRY = Registry().with_resources(
    (BASE + name, SchemaResource.from_contents(schema, default_specification=DRAFT202012))
    for name, schema in SCHEMAS.items()
)
KINDS = {
    "organizations": "organization.json",
    "services": "service.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}


def problems(schema_name: str, instance) -> list[str]:
    validator = Draft202012Validator(
        {"$ref": BASE + schema_name},
        registry=REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def validate_document(document: dict) -> list[str]:
    found = []
    for key, schema_name in KINDS.items():
        for index, item in enumerate(document[key]):
            found += [f"{key}[{index}] {p}" for p in problems(schema_name, item)]
    return found


def walk(value):
    """Every (key, value) pair in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


@pytest.fixture
def directory(municipality, area, second_area, organization, case, person):
    organization.phone = "047-000-2222"
    organization.save()
    make_resource(
        municipality,
        "いきいきサロン明",
        areas=[area, second_area],
        places=[
            {"name": "明第1町会会館", "postal_code": "271-0000", "address": "松風一丁目1番"},
            {"name": "明第2集会所", "postal_code": "", "address": ""},
        ],
        phone="047-000-1111",
        email="salon@example.jp",
        cost="1回100円",
        capacity=20,
        eligibility="65歳以上の市民",
    )
    make_resource(
        municipality,
        "あさがお配食",
        kind="meals",
        provider=organization,
        provider_name="",
        schedule_text="平日 11:00-13:00",
    )
    make_resource(
        municipality, "見守りネット", kind="watching", schedule_text="随時", provider_name="社協"
    )
    make_resource(
        municipality,
        "認知症カフェ 月の庭",
        kind="dementia_cafe",
        schedule_text="毎月15日 13:30〜15:30",
    )
    make_resource(
        municipality, "閉じた移動支援", kind="transport", schedule_text="", status="ended"
    )
    make_need(municipality, area, note="ニーズの内容は出さない", case=case, source="case")
    return municipality


def test_every_object_validates_against_the_hsds_3_0_schemas(directory):
    document = hsds_document(directory)
    assert validate_document(document) == []
    assert document["version"] == "3.0"
    assert len(document["services"]) == 5
    # 明第1町会 (three resources, one organization), 社協, and ケアプランあさがお of the directory.
    assert sorted(o["name"] for o in document["organizations"]) == sorted(
        ["明第1町会", "社協", "ケアプランあさがお"]
    )


def test_the_schemas_themselves_are_valid_and_do_refuse_bad_data(directory):
    for schema in SCHEMAS.values():
        Draft202012Validator.check_schema(schema)
    service = by_name(hsds_document(directory), "いきいきサロン明")
    assert any("uuid" in p for p in problems("service.json", {**service, "id": "not-a-uuid"}))
    assert problems("service.json", {**service, "status": "open"})
    location = service["service_at_locations"][0]["location"]
    address = {**location["addresses"][0]}
    del address["state_province"]
    assert problems("address.json", address)
    schedule = {**service["schedules"][0], "wkst": "MON"}
    assert problems("schedule.json", schedule)


def by_name(document, name):
    return next(s for s in document["services"] if s["name"] == name)


def test_services_embed_locations_with_japanese_addresses(directory):
    salon = by_name(hsds_document(directory), "いきいきサロン明")
    located = salon["service_at_locations"]
    assert [sal["location"]["name"] for sal in located] == ["明第1町会会館", "明第2集会所"]
    (address,) = located[0]["location"]["addresses"]
    assert address == {
        "id": address["id"],
        "location_id": located[0]["location_id"],
        "address_1": "松風一丁目1番",
        "city": "松風テスト市",
        "state_province": "千葉県",
        "postal_code": "271-0000",
        "country": "JP",
        "address_type": "physical",
    }
    assert "addresses" not in located[1]["location"]  # no address typed: none invented
    assert [a["name"] for a in salon["service_areas"]] == ["明第1", "明第2西"]
    assert salon["fees_description"] == "1回100円"
    assert salon["eligibility_description"] == "65歳以上の市民"
    assert "定員: 20人" in salon["description"]
    assert salon["phones"][0]["number"] == "047-000-1111"
    assert salon["assured_date"] == (TODAY - datetime.timedelta(days=30)).isoformat()
    datetime.datetime.fromisoformat(salon["last_modified"])  # format date-time


def test_schedules_in_their_ical_like_form(directory):
    document = hsds_document(directory)
    salon = by_name(document, "いきいきサロン明")["schedules"]
    assert [(s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in salon] == [
        ("MONTHLY", "2TU,4TU", "10:00+09:00", "12:00+09:00")
    ]
    assert salon[0]["description"] == "第2・第4火曜 10:00〜12:00" and salon[0]["timezone"] == 9
    meals = by_name(document, "あさがお配食")["schedules"]
    assert [(s["freq"], s["byday"]) for s in meals] == [("WEEKLY", "MO,TU,WE,TH,FR")]
    cafe = by_name(document, "認知症カフェ 月の庭")["schedules"]
    assert [(s["freq"], s["bymonthday"]) for s in cafe] == [("MONTHLY", "15")]
    anytime = by_name(document, "見守りネット")["schedules"]
    assert anytime == [
        {"id": anytime[0]["id"], "service_id": anytime[0]["service_id"], "description": "随時"}
    ]
    assert "schedules" not in by_name(document, "閉じた移動支援")


def test_status_organizations_and_taxonomy(directory, organization):
    document = hsds_document(directory)
    assert by_name(document, "閉じた移動支援")["status"] == "defunct"
    meals = by_name(document, "あさがお配食")
    org = next(o for o in document["organizations"] if o["id"] == meals["organization_id"])
    assert org["name"] == "ケアプランあさがお" and org["phones"][0]["number"] == "047-000-2222"
    assert meals["organization"]["id"] == org["id"]
    (attribute,) = meals["attributes"]
    assert attribute["taxonomy_term"]["name"] == "配食" and attribute["link_id"] == meals["id"]
    term_ids = {t["id"] for t in document["taxonomy_terms"]}
    assert attribute["taxonomy_term_id"] in term_ids
    assert {t["taxonomy_id"] for t in document["taxonomy_terms"]} == {
        document["taxonomies"][0]["id"]
    }


def test_ids_are_uuids_that_do_not_change_between_exports(directory):
    first, second = hsds_document(directory), hsds_document(directory)
    assert first == second
    ids = [value for key, value in walk(first) if key == "id" or key.endswith("_id")]
    assert ids and all(uuid.UUID(value) for value in ids)
    # Each object of a service has its own id (the embedded organization and taxonomy term
    # repeat the ids of those listed at the top).
    own = []
    for service in first["services"]:
        own.append(service["id"])
        for key in ("schedules", "service_areas", "phones", "attributes", "service_at_locations"):
            own += [item["id"] for item in service.get(key, [])]
        for link in service.get("service_at_locations", []):
            own.append(link["location"]["id"])
            own += [address["id"] for address in link["location"].get("addresses", [])]
    assert len(own) == len(set(own))
    salon = by_name(first, "いきいきサロン明")
    assert salon["id"] == str(Resource.objects.get(name="いきいきサロン明").uuid)


def test_it_holds_no_needs_cases_or_people(directory, person):
    text = json.dumps(hsds_document(directory), ensure_ascii=False)
    for secret in [
        "ニーズの内容は出さない",
        "C-001",
        "誓約書",
        person.name,
        "明第1地域包括支援センター",
    ]:
        assert secret not in text


def test_it_reads_in_a_fixed_number_of_queries(municipality, area, organization):
    def count():
        with CaptureQueriesContext(connection) as queries:
            hsds_document(municipality)
        return len(queries)

    make_resource(municipality, "A", areas=[area], places=[{"name": "会場"}])
    few = count()
    for i in range(12):
        org = Organization.objects.create(municipality=municipality, name=f"団体{i}", kind="npo")
        make_resource(
            municipality,
            f"資源{i}",
            areas=[area],
            provider=org,
            provider_name="",
            places=[{"name": f"会場{i}"}],
        )
    assert count() == few


def test_the_command_writes_json_to_standard_output(directory):
    out = io.StringIO()
    call_command("export_hsds", municipality="129909", stdout=out)
    document = json.loads(out.getvalue())
    assert validate_document(document) == []
    assert "いきいきサロン明" in out.getvalue()  # Japanese as such, not \u escapes


def test_the_command_refuses_an_unknown_code_in_japanese(db):
    with pytest.raises(CommandError) as error:
        call_command("export_hsds", municipality="999999", stdout=io.StringIO())
    assert "市町村コード「999999」の市町村は登録されていません" in str(error.value)


def test_the_read_only_url_serves_the_members_municipality(directory, viewer_client):
    response = viewer_client.get(reverse("resources:resource_hsds"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["publisher"]["municipality_code"] == "129909"
    assert validate_document(document) == []


def test_another_municipality_gets_its_own_directory(directory, outsider_client):
    document = json.loads(outsider_client.get(reverse("resources:resource_hsds")).content)
    assert document["publisher"]["municipality_code"] == "139904"
    assert document["services"] == []


def test_the_url_needs_a_login(directory, client):
    response = client.get(reverse("resources:resource_hsds"))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_json_downloads_as_a_file(viewer_client, directory):
    response = viewer_client.get(reverse("resources:resource_hsds"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="hsds_' in response["Content-Disposition"]
