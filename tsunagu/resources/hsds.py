"""The resource directory as Open Referral HSDS 3.0 JSON (https://docs.openreferral.org/).

One document per municipality:

    {
      "version": "3.0",
      "publisher": {"name": "松風市", "municipality_code": "129909"},
      "taxonomies": [taxonomy],
      "taxonomy_terms": [taxonomy_term, ...],   # every resource kind
      "organizations": [organization, ...],     # the providers
      "services": [service, ...]                # one per resource, objects embedded
    }

Each element is an HSDS object that validates against the HSDS 3.0 JSON schema of its kind
(tests vendor the schemas, see tests/hsds_schema/). A service embeds, as HSDS's compiled
service schema does: its organization, phones, schedules (RRULE fields from schedule.py),
service_areas (the 日常生活圏域 it serves, or the whole municipality), service_at_locations
with each location and its addresses (country JP, 都道府県 in state_province), and attributes
linking it to the taxonomy term of its kind.

Identifiers are UUIDs that do not change between exports: resources and places keep the
uuid stored with them; everything else derives a UUID5 from a fixed namespace and the
stored identifiers (so the same organisation, schedule or address always has the same id).

Only the directory is exported. Needs, cases, coordinators and other people are not: nothing
here reads them.
"""

import uuid

from django.utils import timezone

from .choices import HSDS_STATUS, KIND_DESCRIPTIONS, ResourceKind
from .models import Resource
from .schedule import UTC_OFFSET_HOURS

HSDS_VERSION = "3.0"
# Fixed for ever: changing it would change every derived identifier.
NAMESPACE = uuid.UUID("58a54167-1821-4c50-8054-703b8ce97609")
TAXONOMY_NAME = "つなぐ 社会資源の種別"
COUNTRY = "JP"


def derived_id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def _compact(data: dict) -> dict:
    """Leave out empty values: HSDS fields are optional, and an empty e-mail is not one."""
    return {key: value for key, value in data.items() if value not in ("", None, [])}


def taxonomy() -> dict:
    return {
        "id": derived_id("taxonomy", "resource-kinds"),
        "name": TAXONOMY_NAME,
        "description": "生活支援体制整備で扱う社会資源の種別（つなぐの分類）",
        "version": "1",
    }


def taxonomy_term(kind: str) -> dict:
    return {
        "id": derived_id("taxonomy_term", kind),
        "code": kind,
        "name": ResourceKind(kind).label,
        "description": KIND_DESCRIPTIONS[ResourceKind(kind)],
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": taxonomy()["id"],
        "language": "ja",
    }


def organization_id(municipality, resource: Resource) -> str:
    if resource.provider_id:
        return derived_id("organization", municipality.code, resource.provider_id)
    return derived_id("provider", municipality.code, resource.provider_name)


def organization(municipality, resource: Resource) -> dict:
    org_id = organization_id(municipality, resource)
    provider = resource.provider
    if provider is None:
        return {
            "id": org_id,
            "name": resource.provider_name,
            "description": f"{municipality.name}の地域の団体・グループ",
        }
    phones = []
    if provider.phone:
        phones.append(
            {
                "id": derived_id("organization_phone", org_id),
                "organization_id": org_id,
                "number": provider.phone,
                "type": "voice",
            }
        )
    return _compact(
        {
            "id": org_id,
            "name": provider.name,
            "description": f"{provider.get_kind_display()}（{municipality.name}）",
            "phones": phones,
        }
    )


def schedules(resource: Resource) -> list[dict]:
    service_id = str(resource.uuid)
    text = resource.schedule_text
    out = []
    for index, rule in enumerate(resource.schedule.rules):
        for part, fields in enumerate(rule.hsds()):
            out.append(
                {
                    "id": derived_id("schedule", service_id, index, part),
                    "service_id": service_id,
                    "description": text,
                    "timezone": UTC_OFFSET_HOURS,
                    **fields,
                }
            )
    if not out and text:  # 随時・要相談: the text alone says when.
        out.append(
            {
                "id": derived_id("schedule", service_id, 0, 0),
                "service_id": service_id,
                "description": text,
            }
        )
    return out


def service_areas(municipality, resource: Resource) -> list[dict]:
    service_id = str(resource.uuid)
    areas = list(resource.areas.all())
    if not areas:
        return [
            {
                "id": derived_id("service_area", service_id, "all"),
                "service_id": service_id,
                "name": f"{municipality.name}全域",
            }
        ]
    return [
        {
            "id": derived_id("service_area", service_id, area.pk),
            "service_id": service_id,
            "name": area.name,
            "description": f"{municipality.name}の日常生活圏域「{area.name}」",
        }
        for area in areas
    ]


def service_at_locations(municipality, resource: Resource) -> list[dict]:
    service_id = str(resource.uuid)
    prefecture = municipality.get_prefecture_display()
    out = []
    for place in resource.places.all():
        location_id = str(place.uuid)
        addresses = []
        if place.address:
            addresses.append(
                {
                    "id": derived_id("address", location_id),
                    "location_id": location_id,
                    "address_1": place.address,
                    "city": municipality.name,
                    "state_province": prefecture,
                    "postal_code": place.postal_code,
                    "country": COUNTRY,
                    "address_type": "physical",
                }
            )
        location = _compact(
            {
                "id": location_id,
                "location_type": "physical",
                "name": place.name,
                "organization_id": organization_id(municipality, resource),
                "addresses": addresses,
            }
        )
        out.append(
            {
                "id": derived_id("service_at_location", service_id, location_id),
                "service_id": service_id,
                "location_id": location_id,
                "location": location,
            }
        )
    return out


def service(municipality, resource: Resource) -> dict:
    service_id = str(resource.uuid)
    description = resource.description or KIND_DESCRIPTIONS[ResourceKind(resource.kind)]
    if resource.capacity is not None:
        description += f"\n定員: {resource.capacity}人"
    term = taxonomy_term(resource.kind)
    phones = []
    if resource.phone:
        phones.append(
            {
                "id": derived_id("service_phone", service_id),
                "service_id": service_id,
                "number": resource.phone,
                "type": "voice",
            }
        )
    org = organization(municipality, resource)
    return _compact(
        {
            "id": service_id,
            "organization_id": org["id"],
            "name": resource.name,
            "description": description,
            "email": resource.email,
            "status": HSDS_STATUS[resource.status],
            "fees_description": resource.cost,
            "eligibility_description": resource.eligibility,
            "assured_date": resource.last_confirmed_on.isoformat()
            if resource.last_confirmed_on
            else None,
            "last_modified": timezone.localtime(resource.updated_at).isoformat(
                timespec="milliseconds"
            ),
            "organization": {key: org[key] for key in ("id", "name", "description")},
            "phones": phones,
            "schedules": schedules(resource),
            "service_areas": service_areas(municipality, resource),
            "service_at_locations": service_at_locations(municipality, resource),
            "attributes": [
                {
                    "id": derived_id("attribute", service_id, resource.kind),
                    "link_id": service_id,
                    "link_type": "service_type",
                    "link_entity": "service",
                    "taxonomy_term_id": term["id"],
                    "taxonomy_term": term,
                }
            ],
        }
    )


def hsds_document(municipality) -> dict:
    """Every resource of the municipality (ended ones as "defunct"): five queries."""
    resources = list(
        Resource.objects.filter(municipality=municipality)
        .select_related("provider")
        .prefetch_related("areas", "places")
        .order_by("kind", "name", "id")
    )
    organizations = {}
    for resource in resources:
        org = organization(municipality, resource)
        organizations.setdefault(org["id"], org)
    return {
        "version": HSDS_VERSION,
        "publisher": {"name": municipality.name, "municipality_code": municipality.code},
        "taxonomies": [taxonomy()],
        "taxonomy_terms": [taxonomy_term(kind) for kind in ResourceKind.values],
        "organizations": sorted(organizations.values(), key=lambda o: o["name"]),
        "services": [service(municipality, resource) for resource in resources],
    }
