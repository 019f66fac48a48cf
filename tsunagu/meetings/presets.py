"""Ready-made catalogues of meeting bodies (会議体) that a municipality can start from.

Each preset is a JSON file in data/presets/, written from one municipality's published plan.
Loading one only adds the bodies the municipality does not have yet, so a city can load a
preset, edit the result, and load it again without losing its changes.
"""

import json
from pathlib import Path

from django.db import transaction

from tsunagu.audit.services import record
from tsunagu.lib.jtext import normalize
from tsunagu.organizations.choices import OrganizationKind
from tsunagu.organizations.models import Organization

from .choices import Host
from .models import MeetingType

PRESETS_DIR = Path(__file__).resolve().parents[2] / "data" / "presets"

# The keys a preset's meeting type may carry; anything else is a typo in the file.
FIELDS = {"name", "category", "level", "host", *MeetingType.PLAN_DESCRIPTION, "sort_order"}
HOST_ORGANIZATION_FIELDS = {"host_organization_name", "host_organization_kind"}


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as file:
        return json.load(file)


def available_presets() -> list[tuple[str, str, str]]:
    """(key, name, description) of every preset file, sorted by key."""
    if not PRESETS_DIR.is_dir():
        return []
    presets = []
    for path in sorted(PRESETS_DIR.glob("*.json")):
        data = _read(path)
        presets.append((path.stem, data["name"], data.get("description", "")))
    return presets


def _host_organization(municipality, entry: dict) -> Organization | None:
    """The organisation hosting a body whose host is "other", created on first use.

    A preset names the organisation without the city (医師会), since the same preset serves
    every municipality; the row is named after the municipality loading it (<市名>医師会).
    """
    if entry.get("host") != Host.OTHER:
        return None
    suffix = entry.get("host_organization_name")
    if not suffix:
        raise ValueError(f"主催団体の名前がありません: {entry.get('name')}")
    name = normalize(f"{municipality.name}{suffix}")
    organization = Organization.objects.filter(municipality=municipality, name=name).first()
    if organization is None:
        organization = Organization(
            municipality=municipality,
            name=name,
            kind=entry.get("host_organization_kind", OrganizationKind.MEDICAL_ASSOCIATION),
        )
        organization.full_clean()
        organization.save()
    return organization


@transaction.atomic
def load_preset(*, municipality, key: str, by, request=None) -> tuple[int, int]:
    """Add the preset's meeting bodies the municipality lacks; return (created, skipped).

    A body whose name the municipality already uses is left exactly as it is.
    """
    # Only a key that names a listed file is opened, so no caller can reach another path.
    presets = {preset_key: name for preset_key, name, _ in available_presets()}
    if key not in presets:
        raise ValueError(f"プリセットが見つかりません: {key}")
    data = _read(PRESETS_DIR / f"{key}.json")

    existing = {
        normalize(name)
        for name in MeetingType.objects.filter(municipality=municipality).values_list(
            "name", flat=True
        )
    }
    created = skipped = 0
    for entry in data["meeting_types"]:
        unknown = set(entry) - FIELDS - HOST_ORGANIZATION_FIELDS
        if unknown:
            raise ValueError(f"プリセットに不明な項目があります: {', '.join(sorted(unknown))}")
        name = normalize(entry["name"])
        if name in existing:
            skipped += 1
            continue
        meeting_type = MeetingType(
            municipality=municipality,
            host_organization=_host_organization(municipality, entry),
            **{field: value for field, value in entry.items() if field in FIELDS},
        )
        meeting_type.full_clean()
        meeting_type.save()
        existing.add(name)
        created += 1

    record(
        "meeting_type.preset_loaded",
        by=by,
        municipality=municipality,
        request=request,
        summary=presets[key],
        preset=key,
        created=created,
        skipped=skipped,
    )
    return created, skipped
