"""The view above the municipalities: what they raise to 県・国, and how their meetings went.

Never case content: issues carry their titles, levels, evidence counts (the number of cases
tagged, kept on the issue) and proposals; the comparison counts meetings, cases reviewed and
follow-up outcomes. Each part is a fixed number of grouped queries, whatever the data size.
"""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, Sum

from tsunagu.cases.choices import Outcome
from tsunagu.cases.models import FollowUp
from tsunagu.issues.choices import Level
from tsunagu.issues.models import CommunityIssue, Proposal
from tsunagu.lib.fiscal import fiscal_year_range
from tsunagu.meetings.choices import Category, Status
from tsunagu.meetings.models import Meeting


def raised_issues(prefecture) -> list[CommunityIssue]:
    """Issues its municipalities hold at 県・国 level, with what was raised into them (two
    levels down: 市 ← 圏域) and their proposals. Four queries."""
    lower = CommunityIssue.objects.select_related("theme").order_by("level", "id")
    return list(
        CommunityIssue.objects.filter(
            municipality__code__startswith=prefecture.code, level=Level.PREFECTURE
        )
        .select_related("municipality", "theme")
        .prefetch_related(
            Prefetch(
                "escalated_from",
                queryset=lower.prefetch_related(Prefetch("escalated_from", queryset=lower)),
            ),
            Prefetch("proposals", queryset=Proposal.objects.order_by("id")),
        )
        .order_by("municipality__code", "-case_count", "id")
    )


def comparison(prefecture, fy: int) -> list[dict]:
    """Per municipality for 年度 fy: meetings held by category of body, cases reviewed at
    them, and follow-up outcomes recorded. Three queries."""
    start, end = fiscal_year_range(fy)
    municipalities = list(prefecture.municipalities.order_by("code"))
    rows = {
        m.pk: {
            "municipality": m,
            "held": {value: 0 for value in Category.values},
            "held_total": 0,
            "cases": 0,
            "outcomes": {value: 0 for value in Outcome.values},
            "outcomes_total": 0,
        }
        for m in municipalities
    }
    held = (
        Meeting.objects.filter(
            municipality__code__startswith=prefecture.code,
            status=Status.HELD,
            date__range=(start, end),
        )
        .values("municipality_id", "meeting_type__category")
        .annotate(n=Count("id"), cases=Sum("cases_reviewed"))
        .order_by()
    )
    for item in held:
        row = rows.get(item["municipality_id"])
        if row is None:
            continue
        row["held"][item["meeting_type__category"]] += item["n"]
        row["held_total"] += item["n"]
        row["cases"] += item["cases"] or 0
    outcomes = (
        FollowUp.objects.filter(
            review__meeting__municipality__code__startswith=prefecture.code,
            done_on__range=(start, end),
        )
        .exclude(Q(outcome="") | Q(outcome__isnull=True))
        .values("review__meeting__municipality_id", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in outcomes:
        row = rows.get(item["review__meeting__municipality_id"])
        if row is None or item["outcome"] not in row["outcomes"]:
            continue
        row["outcomes"][item["outcome"]] += item["n"]
        row["outcomes_total"] += item["n"]
    return list(rows.values())


def totals(rows: list[dict]) -> dict:
    total: dict = defaultdict(int)
    for row in rows:
        total["held_total"] += row["held_total"]
        total["cases"] += row["cases"]
        total["outcomes_total"] += row["outcomes_total"]
        for key, n in row["held"].items():
            total[f"held_{key}"] += n
        for key, n in row["outcomes"].items():
            total[f"outcome_{key}"] += n
    return dict(total)
