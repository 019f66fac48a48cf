"""Views over all issues of a municipality: the heat map of areas × themes, the trend by
年度, the longest-open issues, the documents for a city meeting, and the feedback that
reaches the staff of the cases an issue came from. Counts are done in SQL; every function
runs a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from tsunagu.meetings.choices import Level as MeetingLevel
from tsunagu.organizations.models import Area

from .choices import OPEN_STATUSES, Level
from .evidence import proposal_tree
from .models import CommunityIssue, IssueDiscussion, IssueTag, Proposal, StatusChange, Theme


@dataclass
class HeatMap:
    themes: list[Theme]
    rows: list[tuple[str, list[int], int]]  # area name, count per theme, row total
    totals: list[int]
    maximum: int


def heat_map(municipality, start: datetime.date, end: datetime.date) -> HeatMap:
    """Cases tagged per area and theme in the period (a case counts once per cell)."""
    themes = list(Theme.objects.filter(municipality=municipality, active=True))
    areas = list(Area.objects.filter(municipality=municipality).order_by("sort_order", "id"))
    counts = {
        (row["area_id"], row["theme_id"]): row["n"]
        for row in IssueTag.objects.filter(municipality=municipality, tagged_on__range=(start, end))
        .values("area_id", "theme_id")
        .annotate(n=Count("case_id", distinct=True))
    }
    rows = []
    for area in areas:
        cells = [counts.get((area.pk, theme.pk), 0) for theme in themes]
        rows.append((area.name, cells, sum(cells)))
    totals = [sum(row[1][index] for row in rows) for index in range(len(themes))]
    maximum = max((cell for row in rows for cell in row[1]), default=0)
    return HeatMap(themes, rows, totals, maximum)


def heat_level(count: int, maximum: int) -> int:
    """0–5 for the cell's shade (CSS classes heat-0 … heat-5; no inline styles under CSP)."""
    if not count or not maximum:
        return 0
    return max(1, round(5 * count / maximum))


def trend(municipality, years: list[int]) -> tuple[list[Theme], list[tuple[int, list[int]]]]:
    """Cases tagged per 年度 and theme."""
    themes = list(Theme.objects.filter(municipality=municipality, active=True))
    counts = {
        (row["fiscal_year"], row["theme_id"]): row["n"]
        for row in IssueTag.objects.filter(municipality=municipality, fiscal_year__in=years)
        .values("fiscal_year", "theme_id")
        .annotate(n=Count("case_id", distinct=True))
    }
    return themes, [(year, [counts.get((year, t.pk), 0) for t in themes]) for year in years]


def longest_open(municipality, limit: int = 10) -> list[CommunityIssue]:
    return list(
        CommunityIssue.objects.filter(municipality=municipality, status__in=OPEN_STATUSES)
        .select_related("theme", "area")
        .order_by("opened_on", "id")[:limit]
    )


@dataclass
class AreaSummary:
    """資料2: what one area's meetings discussed in the period."""

    area: str
    case_count: int = 0
    top_themes: list[tuple[str, int]] = field(default_factory=list)
    discussions: list[IssueDiscussion] = field(default_factory=list)


@dataclass
class CityIssueRow:
    """資料3: one city-level issue, its evidence in the period and its proposals.

    `case_count` is the period's cases only; the issue's stored 事例数 (issue.case_count, all
    time, as the register shows) is shown beside it so the two are not read as one figure."""

    issue: CommunityIssue
    case_count: int
    areas: list[str]
    discussions: list[IssueDiscussion]
    proposals: list


@dataclass
class CityMeetingDocuments:
    start: datetime.date
    end: datetime.date
    areas: list[AreaSummary]
    issues: list[CityIssueRow]

    @property
    def is_empty(self) -> bool:
        return not self.issues and not any(
            area.case_count or area.discussions for area in self.areas
        )


def _lineage_roots(issues: list[CommunityIssue]) -> dict[int, int]:
    """Each issue's topmost ancestor (issues are loaded once, so no query per level)."""
    parent = {issue.pk: issue.escalated_to_id for issue in issues}
    roots = {}
    for pk in parent:
        current, steps = pk, 0
        while parent.get(current) and steps < len(parent):
            current, steps = parent[current], steps + 1
        roots[pk] = current
    return roots


def city_meeting_documents(municipality, start, end) -> CityMeetingDocuments:
    """資料2 (area-level discussions) and 資料3 (city-level issues with evidence and proposals)."""
    tags = IssueTag.objects.filter(municipality=municipality, tagged_on__range=(start, end))
    areas = _area_summaries(municipality, tags)
    city_discussions = _sort_discussions(municipality, start, end, areas)
    rows = _city_issue_rows(municipality, start, end, tags, city_discussions)
    return CityMeetingDocuments(start, end, list(areas.values()), rows)


def _area_summaries(municipality, tags) -> dict[int, AreaSummary]:
    """Each area with the cases tagged in the period and its three most frequent themes."""
    areas = {
        area.pk: AreaSummary(area.name)
        for area in Area.objects.filter(municipality=municipality).order_by("sort_order", "id")
    }
    for row in tags.values("area_id").annotate(n=Count("case_id", distinct=True)):
        if row["area_id"] in areas:
            areas[row["area_id"]].case_count = row["n"]
    by_theme = defaultdict(list)
    for row in tags.values("area_id", "theme__name").annotate(n=Count("case_id", distinct=True)):
        by_theme[row["area_id"]].append((row["theme__name"], row["n"]))
    for area_id, themes in by_theme.items():
        if area_id in areas:
            areas[area_id].top_themes = sorted(themes, key=lambda t: (-t[1], t[0]))[:3]
    return areas


def _sort_discussions(municipality, start, end, areas) -> dict[int, list[IssueDiscussion]]:
    """The period's discussions: those at area meetings go to their area's summary (the
    issue's area, else the meeting center's); those at city meetings are returned by issue."""
    discussions = IssueDiscussion.objects.filter(
        issue__municipality=municipality, meeting__date__range=(start, end)
    ).select_related("issue__theme", "issue__area", "meeting__meeting_type", "meeting__center")
    city_discussions = defaultdict(list)
    for discussion in discussions:
        if discussion.meeting.meeting_type.level == MeetingLevel.CITY:
            city_discussions[discussion.issue_id].append(discussion)
            continue
        area_id = discussion.issue.area_id or (
            discussion.meeting.center.area_id if discussion.meeting.center_id else None
        )
        if area_id in areas:
            areas[area_id].discussions.append(discussion)
    return city_discussions


def _city_issue_rows(municipality, start, end, tags, city_discussions) -> list[CityIssueRow]:
    """資料3: the city- and prefecture-level issues active in the period, most cases first.
    An issue counts the cases of every issue raised into it, and lists those issues' areas."""
    issues = list(
        CommunityIssue.objects.filter(municipality=municipality).select_related("theme", "area")
    )
    roots = _lineage_roots(issues)
    cases_per_root = defaultdict(set)
    for issue_id, case_id in tags.filter(issue__isnull=False).values_list("issue_id", "case_id"):
        cases_per_root[roots.get(issue_id, issue_id)].add(case_id)
    child_areas = defaultdict(set)
    for issue in issues:
        if issue.area_id and roots[issue.pk] != issue.pk:
            child_areas[roots[issue.pk]].add(issue.area.name)
    proposals = _proposals_by_issue(municipality)
    changed = set(
        StatusChange.objects.filter(
            municipality=municipality, changed_at__date__range=(start, end)
        ).values_list("issue_id", flat=True)
    )
    rows = []
    for issue in issues:
        if issue.level not in (Level.CITY, Level.PREFECTURE):
            continue
        active = (
            cases_per_root.get(issue.pk)
            or city_discussions.get(issue.pk)
            or issue.pk in changed
            or (issue.status in OPEN_STATUSES and issue.opened_on <= end)
        )
        if not active:
            continue
        rows.append(
            CityIssueRow(
                issue,
                len(cases_per_root.get(issue.pk, ())),
                sorted(child_areas.get(issue.pk, ())),
                city_discussions.get(issue.pk, []),
                proposal_tree(proposals.get(issue.pk, [])),
            )
        )
    rows.sort(key=lambda row: (-row.case_count, row.issue.opened_on))
    return rows


def _proposals_by_issue(municipality) -> dict[int, list[Proposal]]:
    proposals = defaultdict(list)
    for proposal in (
        Proposal.objects.filter(municipality=municipality)
        .prefetch_related("milestones")
        .order_by("id")
    ):
        proposals[proposal.issue_id].append(proposal)
    return proposals


def feedback_for(member, cases, *, days: int = 90, limit: int = 10) -> list[StatusChange]:
    """Status changes of the issues (and the higher issues they were raised into) that the
    member's cases were tagged with: 「検討結果が個別支援にフィードバックされる」."""
    ids = set(
        IssueTag.objects.filter(case__in=cases, issue__isnull=False)
        .values_list("issue_id", flat=True)
        .distinct()
    )
    frontier = ids
    for _level in range(3):
        frontier = (
            set(
                CommunityIssue.objects.filter(
                    pk__in=frontier, escalated_to__isnull=False
                ).values_list("escalated_to_id", flat=True)
            )
            - ids
        )
        if not frontier:
            break
        ids |= frontier
    since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    return list(
        StatusChange.objects.filter(
            municipality_id=member.municipality_id, issue_id__in=ids, changed_at__gte=since
        ).select_related("issue", "proposal")[:limit]
    )
