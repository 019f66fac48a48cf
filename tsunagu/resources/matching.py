"""Matching needs and resources, and finding gaps.

"In or near the person's area" is kept simple on purpose, since areas have no geometry:
first the resources that serve the area itself (対象圏域 includes it), then those that serve
the whole municipality (no 対象圏域). Resources of other areas are not offered: 日常生活圏域
are drawn so that daily life happens inside them.

"On suitable days": a weekday mask (月=bit 0 … 日=bit 6). A resource matches when it runs on
one of the wanted days; one whose days are unknown (no 日時) or not bound to days (随時,
毎月15日) is still offered, marked as such, since it may well suit.

Only active resources (運営中) are offered, and only open needs (未充足) are matched.
A gap is an area and kind with open needs and no active resource serving that area (nor the
whole municipality).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q

from tsunagu.organizations.models import Area

from .choices import NeedStatus, ResourceKind, ResourceStatus
from .models import Need, Resource
from .schedule import ALL_DAYS_MASK


def serves(area) -> Q:
    """Resources serving `area`: those naming it, and those naming no area (the whole
    municipality). Subqueries rather than a join, so a resource of several areas comes once."""
    through = Resource.areas.through.objects
    return Q(pk__in=through.filter(area=area).values("resource_id")) | ~Q(
        pk__in=through.values("resource_id")
    )


@dataclass
class Match:
    resource: Resource
    in_area: bool  # serves the area itself (else: the whole municipality)
    day_match: bool | None  # None: no days wanted, or the resource is not bound to days

    @property
    def scope_label(self) -> str:
        return "圏域内" if self.in_area else "市全域"


def resources_for(municipality, *, area, kind: str = "", weekdays: int = 0) -> list[Match]:
    """Active resources for a person in `area`, of `kind` (all kinds if empty), running on
    one of `weekdays` (any day if 0). Ordered: the area's own first; then those on a wanted
    day, those on any day, those whose days are unknown."""
    rows = Resource.objects.filter(municipality=municipality, status=ResourceStatus.ACTIVE)
    if kind:
        rows = rows.filter(kind=kind)
    rows = rows.filter(serves(area))
    if weekdays:
        rows = rows.annotate(day_hits=F("weekdays").bitand(weekdays)).filter(
            Q(day_hits__gt=0) | Q(weekdays=0)
        )
    rows = rows.select_related("provider").prefetch_related("areas", "places")
    matches = []
    for resource in rows:
        served = {a.pk for a in resource.areas.all()}
        bound = resource.weekdays not in (0, ALL_DAYS_MASK)
        day_match = bool(resource.weekdays & weekdays) if weekdays and bound else None
        matches.append(Match(resource, area.pk in served, day_match))
    matches.sort(key=lambda m: (not m.in_area, _day_rank(m), m.resource.kind, m.resource.name))
    return matches


def _day_rank(match: Match) -> int:
    """Runs on a wanted day, then on any day (随時), then days unknown (no 日時)."""
    if match.day_match:
        return 0
    return 1 if match.resource.weekdays else 2


def needs_for(resource: Resource) -> list[Need]:
    """Open needs this resource could meet: same kind, in an area it serves (any area if it
    serves the whole municipality), wanting a day it runs on (or no day in particular)."""
    needs = Need.objects.filter(
        municipality_id=resource.municipality_id, kind=resource.kind, status=NeedStatus.OPEN
    )
    served = [a.pk for a in resource.areas.all()]
    if served:
        needs = needs.filter(area_id__in=served)
    if resource.weekdays not in (0, ALL_DAYS_MASK):
        needs = needs.annotate(day_hits=F("weekdays").bitand(resource.weekdays)).filter(
            Q(day_hits__gt=0) | Q(weekdays=0)
        )
    return list(
        needs.select_related("area", "case").order_by("area__sort_order", "-people", "recorded_on")
    )


# --- Gaps ----------------------------------------------------------------------------------


@dataclass
class Cell:
    needs: int = 0
    people: int = 0
    resources: int = 0  # active resources serving the area itself
    citywide: int = 0  # active resources serving the whole municipality
    issue_id: int | None = None
    uncovered: int = 0  # open needs no active resource covers (see covers)
    uncovered_people: int = 0

    @property
    def is_gap(self) -> bool:
        return self.uncovered > 0


@dataclass
class Gap:
    area: Area
    kind: str
    needs: int
    people: int
    issue_id: int | None = None

    @property
    def kind_label(self) -> str:
        return ResourceKind(self.kind).label


@dataclass
class GapTable:
    areas: list
    kinds: list  # (value, label)
    cells: dict = field(default_factory=dict)  # (area id, kind) -> Cell

    def cell(self, area, kind) -> Cell:
        return self.cells.get((area.pk, kind)) or Cell()

    def rows(self):
        """(area, [(kind, cell) ...]) for the template."""
        for area in self.areas:
            yield area, [(kind, self.cell(area, kind)) for kind, _label in self.kinds]

    def gaps(self) -> list[Gap]:
        return [
            Gap(area, kind, cell.uncovered, cell.uncovered_people, cell.issue_id)
            for area in self.areas
            for kind, _label in self.kinds
            if (cell := self.cell(area, kind)).is_gap
        ]


def covers(resource_days: int, need_days: int) -> bool:
    """The one rule of cover, as the need page lists resources (resources_for): a resource
    covers a need when the need wants no day in particular, the resource's days are not
    known, or it runs on one of the wanted days. A weekday-only resource does not cover a
    weekend need."""
    return not need_days or not resource_days or bool(resource_days & need_days)


def _active_resources(municipality, kind: str = ""):
    """(kind, weekdays, area ids or None for the whole municipality) of every active
    resource: two queries."""
    active = Resource.objects.filter(municipality=municipality, status=ResourceStatus.ACTIVE)
    if kind:
        active = active.filter(kind=kind)
    rows = list(active.values_list("pk", "kind", "weekdays"))
    areas = defaultdict(set)
    for resource_id, area_id in Resource.areas.through.objects.filter(
        resource__in=active
    ).values_list("resource_id", "area_id"):
        areas[resource_id].add(area_id)
    return [(kind, days, areas.get(pk)) for pk, kind, days in rows]


def _covered(need_area_id, need_kind, need_days, resources) -> bool:
    return any(
        kind == need_kind and (served is None or need_area_id in served) and covers(days, need_days)
        for kind, days, served in resources
    )


def gap_table(municipality) -> GapTable:
    """Areas × kinds: open needs, active resources, and the gaps (open needs no resource
    covers, by `covers`). Three queries, whatever the number of needs and resources."""
    areas = list(Area.objects.filter(municipality=municipality))
    table = GapTable(areas=areas, kinds=list(ResourceKind.choices))
    resources = _active_resources(municipality)
    for kind, _days, served in resources:
        for area in areas:
            if served is None:
                table.cells.setdefault((area.pk, kind), Cell()).citywide += 1
            elif area.pk in served:
                table.cells.setdefault((area.pk, kind), Cell()).resources += 1
    needs = Need.objects.filter(municipality=municipality, status=NeedStatus.OPEN).values_list(
        "area_id", "kind", "weekdays", "people", "issue_id"
    )
    for area_id, kind, days, people, issue_id in needs:
        cell = table.cells.setdefault((area_id, kind), Cell())
        cell.needs += 1
        cell.people += people or 0
        cell.issue_id = max(cell.issue_id or 0, issue_id or 0) or None
        if not _covered(area_id, kind, days, resources):
            cell.uncovered += 1
            cell.uncovered_people += people or 0
    return table


def gap_at(municipality, area, kind: str, needs=None) -> Gap | None:
    """The gap at one area and kind now (its open needs that no resource covers), or None."""
    if needs is None:
        needs = list(
            Need.objects.filter(
                municipality=municipality, area=area, kind=kind, status=NeedStatus.OPEN
            )
        )
    resources = _active_resources(municipality, kind)
    uncovered = [
        need for need in needs if not _covered(need.area_id, need.kind, need.weekdays, resources)
    ]
    if not uncovered:
        return None
    issue_id = max((need.issue_id for need in needs if need.issue_id), default=None)
    return Gap(area, kind, len(uncovered), sum(need.people for need in uncovered), issue_id)
