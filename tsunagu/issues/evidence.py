"""What an issue rests on and what came of it: lineage, evidence counts, proposal progress and
the timeline. Each function runs a fixed number of queries, however many cases are tagged."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Min

from .choices import ProposalStatus
from .models import CommunityIssue, IssueDiscussion, IssueTag, Proposal, StatusChange

# Levels are 個別 → 圏域 → 市 → 県・国, so a lineage is at most four issues deep.
MAX_DEPTH = 4


def descendant_ids(issue) -> list[int]:
    """The issue and every lower issue escalated into it (one query per level)."""
    found, frontier = [issue.pk], [issue.pk]
    for _level in range(MAX_DEPTH - 1):
        frontier = list(
            CommunityIssue.objects.filter(escalated_to_id__in=frontier).values_list("pk", flat=True)
        )
        if not frontier:
            break
        found += frontier
    return found


def ancestors(issue) -> list[CommunityIssue]:
    """The higher issues this one was raised into, nearest first."""
    chain, current = [], issue
    while current.escalated_to_id and len(chain) < MAX_DEPTH:
        current = CommunityIssue.objects.select_related("theme").get(pk=current.escalated_to_id)
        chain.append(current)
    return chain


@dataclass
class Evidence:
    case_count: int
    tag_count: int
    first: datetime.date | None
    last: datetime.date | None
    by_area: list[tuple[str, int]]
    by_year: list[tuple[int, int]]
    recent_tags: list[IssueTag]


def evidence(issue_ids: list[int], *, recent: int = 20) -> Evidence:
    tags = IssueTag.objects.filter(issue_id__in=issue_ids)
    totals = tags.aggregate(
        cases=Count("case_id", distinct=True),
        tags=Count("id"),
        first=Min("tagged_on"),
        last=Max("tagged_on"),
    )
    by_area = [
        (row["area__name"] or "圏域なし", row["n"])
        for row in tags.values("area__name")
        .annotate(n=Count("case_id", distinct=True))
        .order_by("-n", "area__name")
    ]
    by_year = [
        (row["fiscal_year"], row["n"])
        for row in tags.values("fiscal_year")
        .annotate(n=Count("case_id", distinct=True))
        .order_by("fiscal_year")
    ]
    recent_tags = list(
        tags.select_related("case__center", "theme", "review__meeting__meeting_type").order_by(
            "-tagged_on", "-id"
        )[:recent]
    )
    return Evidence(
        totals["cases"],
        totals["tags"],
        totals["first"],
        totals["last"],
        by_area,
        by_year,
        recent_tags,
    )


@dataclass
class ProposalNode:
    proposal: Proposal
    progress: int
    children: list


def proposal_tree(proposals: list[Proposal]) -> list[ProposalNode]:
    """Proposals as a tree; a parent's progress is the weighted mean of its children's
    (dropped children do not count; a finished leaf counts as 100%)."""
    children = defaultdict(list)
    for proposal in proposals:
        children[proposal.parent_id].append(proposal)

    def build(proposal) -> ProposalNode:
        nodes = [build(child) for child in children.get(proposal.pk, [])]
        counted = [node for node in nodes if node.proposal.status != ProposalStatus.DROPPED]
        if counted:
            weight = sum(node.proposal.weight for node in counted)
            progress = round(sum(node.progress * node.proposal.weight for node in counted) / weight)
        elif proposal.status == ProposalStatus.DONE:
            progress = 100
        else:
            progress = proposal.progress
        return ProposalNode(proposal, progress, nodes)

    return [build(proposal) for proposal in children.get(None, [])]


def overall_progress(nodes: list[ProposalNode]) -> int | None:
    counted = [node for node in nodes if node.proposal.status != ProposalStatus.DROPPED]
    if not counted:
        return None
    weight = sum(node.proposal.weight for node in counted)
    return round(sum(node.progress * node.proposal.weight for node in counted) / weight)


@dataclass
class Event:
    when: datetime.date
    kind: str  # case / issue / meeting / proposal / result
    text: str
    url_name: str = ""
    url_pk: int | None = None


def timeline(issue, issue_ids: list[int], *, limit_cases: int = 30) -> list[Event]:
    """case → issue → meeting → proposal → result, oldest first."""
    events = []
    for tag in (
        IssueTag.objects.filter(issue_id__in=issue_ids)
        .select_related("case", "review__meeting__meeting_type")
        .order_by("tagged_on", "id")[:limit_cases]
    ):
        events.append(
            Event(
                tag.tagged_on,
                "case",
                f"事例 {tag.case.code} を{tag.review.meeting.meeting_type}で検討",
                "cases:case_detail",
                tag.case_id,
            )
        )
    for change in StatusChange.objects.filter(issue_id__in=issue_ids).select_related(
        "issue", "proposal"
    ):
        subject = f"「{change.proposal.title}」" if change.proposal_id else f"「{change.issue}」"
        arrow = f"{change.old_status} → " if change.old_status else ""
        kind = "proposal" if change.proposal_id else "issue"
        if change.new_status in ("完了", "解決"):
            kind = "result"
        note = f"（{change.note}）" if change.note else ""
        events.append(
            Event(
                change.changed_at.date(),
                kind,
                f"{subject}: {arrow}{change.new_status}{note}",
                "issues:issue_detail",
                change.issue_id,
            )
        )
    for discussion in IssueDiscussion.objects.filter(issue_id__in=issue_ids).select_related(
        "meeting__meeting_type", "issue"
    ):
        conclusion = f" 結論: {discussion.conclusion}" if discussion.conclusion else ""
        events.append(
            Event(
                discussion.meeting.date,
                "meeting",
                f"{discussion.meeting.meeting_type}で「{discussion.issue}」を検討。{conclusion}",
                "meetings:meeting_detail",
                discussion.meeting_id,
            )
        )
    events.sort(
        key=lambda event: (
            event.when,
            ["case", "issue", "meeting", "proposal", "result"].index(event.kind),
        )
    )
    return events
