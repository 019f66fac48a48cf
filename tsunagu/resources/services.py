"""Changes to resources, needs and coordinator activities: validated, atomic and logged.

A gap (needs with no active resource of their kind in their area) becomes a community issue
here, through the issues capability, so that the resource development it starts is tracked
to its result there.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from tsunagu.audit.services import record
from tsunagu.issues.services import issue_for_gap, open_issue, theme_named, themes_for
from tsunagu.lib.jtext import normalize
from tsunagu.lib.wareki import format_wareki

from .choices import FALLBACK_THEME, KIND_THEMES, NeedStatus, ResourceKind
from .models import Need, Resource

# --- Duplicates ----------------------------------------------------------------------------


def provider_key(provider_id, provider_name: str) -> tuple:
    return ("org", provider_id) if provider_id else ("name", normalize(provider_name))


def areas_overlap(first: set, second: set) -> bool:
    """Two sets of areas served overlap; an empty set is the whole municipality, and two
    whole-municipality resources overlap (a whole-municipality one and an area one do not:
    a city-wide 配食 and a pilot in one area are two resources)."""
    return (not first and not second) or bool(first & second)


class DuplicateIndex:
    """The municipality's resources by (name, provider), with the areas each serves, read
    with two queries so that an import of many rows checks duplicates without more."""

    def __init__(self, municipality, exclude_pk=None):
        rows = Resource.objects.filter(municipality=municipality)
        if exclude_pk is not None:
            rows = rows.exclude(pk=exclude_pk)
        areas: dict[int, set] = {}
        through = Resource.areas.through.objects.filter(resource__in=rows)
        for resource_id, area_id in through.values_list("resource_id", "area_id"):
            areas.setdefault(resource_id, set()).add(area_id)
        self.entries: dict[tuple, list] = {}
        for pk, name, provider_id, provider_name in rows.values_list(
            "pk", "name", "provider_id", "provider_name"
        ):
            key = (normalize(name), provider_key(provider_id, provider_name))
            self.entries.setdefault(key, []).append((pk, name, areas.get(pk, set())))

    def find(self, name, provider_id, provider_name, area_ids) -> tuple | None:
        """(pk, name) of an existing resource this one would duplicate, or None."""
        key = (normalize(name), provider_key(provider_id, provider_name))
        for pk, existing_name, served in self.entries.get(key, []):
            if areas_overlap(set(area_ids), served):
                return pk, existing_name
        return None


def find_duplicate(resource: Resource, area_ids) -> tuple | None:
    index = DuplicateIndex(resource.municipality_id, resource.pk)
    return index.find(resource.name, resource.provider_id, resource.provider_name, area_ids)


DUPLICATE_MESSAGE = "名称・提供主体・対象圏域が同じ社会資源がすでに登録されています（{name}）。"


# --- Resources -----------------------------------------------------------------------------


@transaction.atomic
def save_resource(*, resource: Resource, areas, places=None, by, request=None) -> Resource:
    """Create or update a resource with the areas it serves; `places` (a list of
    ResourcePlace) replaces its places when given. Duplicates are refused."""
    created = resource.pk is None
    resource.full_clean()
    area_ids = {area.pk for area in areas}
    if any(area.municipality_id != resource.municipality_id for area in areas):
        raise ValidationError({"areas": "他の市町村の圏域は選べません。"})
    duplicate = find_duplicate(resource, area_ids)
    if duplicate:
        raise ValidationError(DUPLICATE_MESSAGE.format(name=duplicate[1]))
    resource.save()
    resource.areas.set(areas)
    if places is not None:
        keep = [place.pk for place in places if place.pk]
        resource.places.exclude(pk__in=keep).delete()
        for place in places:
            place.resource = resource
            place.full_clean()
            place.save()
    record(
        "resource.created" if created else "resource.updated",
        target=resource,
        by=by,
        request=request,
        kind=resource.kind,
        status=resource.status,
    )
    return resource


@transaction.atomic
def delete_resource(*, resource: Resource, by, request=None) -> None:
    """Delete a resource; needs it met keep their history without the link."""
    label, pk = str(resource), resource.pk
    resource.delete()
    resource.pk = pk  # keeps the log's target id after Django cleared it
    record("resource.deleted", target=resource, by=by, request=request, summary=label or None)


# --- Needs and activities ------------------------------------------------------------------


@transaction.atomic
def save_need(*, need: Need, by, request=None) -> Need:
    created = need.pk is None
    if created and getattr(by, "is_authenticated", False):
        need.created_by = by
    need.full_clean()
    need.save()
    # The case's code only: a need never carries the case's content into the log.
    record(
        "need.created" if created else "need.updated",
        target=need,
        by=by,
        request=request,
        kind=need.kind,
        status=need.status,
        case=need.case.code if need.case_id else "",
    )
    return need


@transaction.atomic
def save_activity(*, activity, by, request=None):
    created = activity.pk is None
    activity.full_clean()
    activity.save()
    record(
        "coordinator_activity.created" if created else "coordinator_activity.updated",
        target=activity,
        by=by,
        request=request,
        kind=activity.kind,
    )
    return activity


# --- Gaps become community issues ----------------------------------------------------------


def theme_for_kind(municipality, kind: str):
    """The issue theme for a missing resource of `kind` (KIND_THEMES), or the fallback."""
    return (
        theme_named(municipality, KIND_THEMES[ResourceKind(kind)])
        or theme_named(municipality, FALLBACK_THEME)
        or themes_for(municipality)[0]
    )


class NoGap(ValidationError):
    pass


@transaction.atomic
def open_gap_issue(*, municipality, area, kind: str, by, request=None):
    """Turn the gap at (area, kind) into an area-level community issue, and link its open
    needs to it. If some of the gap's needs already point to an issue, the rest join that
    one instead of opening a second. Returns (issue, created)."""
    from .matching import gap_at  # matching imports the models only; no cycle at import

    needs = list(
        Need.objects.select_for_update(of=("self",))
        .filter(municipality=municipality, area=area, kind=kind, status=NeedStatus.OPEN)
        .select_related("issue")
        .order_by("recorded_on", "id")
    )
    gap = gap_at(municipality, area, kind, needs)
    if gap is None:
        raise NoGap(
            "この圏域と種別には、いま不足（未充足のニーズがあり、運営中の社会資源がない状態）は"
            "ありません。"
        )
    existing = next((need.issue for need in reversed(needs) if need.issue_id), None)
    label = ResourceKind(kind).label
    if existing is None:
        sources = sorted({need.get_source_display() for need in needs})
        issue = issue_for_gap(
            municipality=municipality,
            area=area,
            theme=theme_for_kind(municipality, kind),
            title=f"{area}圏域に{label}がない（ニーズ{gap.needs}件・{gap.people}人）",
            description=(
                f"{area}圏域で{label}のニーズが{gap.needs}件（{gap.people}人）把握されていますが、"
                f"圏域内にも市全域にも、希望する曜日に運営している{label}がありません。\n"
                f"把握のきっかけ: {'、'.join(sources)}\n"
                f"把握日: {format_wareki(needs[0].recorded_on)}"
                f"〜{format_wareki(needs[-1].recorded_on)}"
            ),
        )
        open_issue(
            issue=issue,
            by=by,
            request=request,
            note="社会資源の不足（ニーズと資源の突き合わせ）から課題化",
        )
        created = True
    else:
        issue, created = existing, False
    linked = Need.objects.filter(pk__in=[need.pk for need in needs], issue__isnull=True).update(
        issue=issue
    )
    record(
        "resource_gap.issue_opened" if created else "resource_gap.issue_linked",
        by=by,
        municipality=municipality,
        target=issue,
        request=request,
        summary=f"{area}・{label}",
        area=area.pk,
        kind=kind,
        needs=linked,
    )
    return issue, created
