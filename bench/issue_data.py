"""Community-issue data on top of the prefecture-sized bench data (bench/data.py): one theme
tag on every reviewed case (about 200,000), three area issues per area with the matching
tags linked, one city issue per theme with the area issues escalated into it, proposals and
discussions. Idempotent: nothing is added once the tags exist."""

import random

from django.db import transaction

from bench import data
from tsunagu.cases.models import CaseReview
from tsunagu.issues.choices import IssueStatus
from tsunagu.issues.models import CommunityIssue, IssueDiscussion, IssueTag, Proposal
from tsunagu.issues.services import recount_cases, themes_for
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.meetings.models import Meeting
from tsunagu.organizations.models import Area

CASES = 200_000
CHUNK = 20_000


def generate(cases: int = CASES):
    municipality = data.generate_cases(cases)
    if IssueTag.objects.filter(municipality=municipality).exists():
        return municipality
    rng = random.Random(6)
    themes = themes_for(municipality)
    areas = list(Area.objects.filter(municipality=municipality).order_by("id"))
    # Each area leans to three themes: its area issues, and half of its tags.
    leanings = {area.pk: rng.sample(themes, 3) for area in areas}
    with transaction.atomic():
        city_issues = {
            theme.pk: CommunityIssue.objects.create(
                municipality=municipality,
                title=f"{theme.name}に関する市の課題",
                theme=theme,
                level="city",
                status=IssueStatus.IN_PROGRESS,
                opened_on=f"{data.YEARS[-1]}-06-01",
            )
            for theme in themes
        }
        area_issues = CommunityIssue.objects.bulk_create(
            CommunityIssue(
                municipality=municipality,
                title=f"{area.name}の{theme.name}",
                description=f"{area.name}で{theme.name}に関する事例が続いている。",
                theme=theme,
                level="area",
                area=area,
                status=IssueStatus.RAISED,
                escalated_to=city_issues[theme.pk],
                opened_on=f"{rng.choice(list(data.YEARS))}-{rng.randint(4, 12):02d}-01",
            )
            for area in areas
            for theme in leanings[area.pk]
        )
        by_area_theme = {(issue.area_id, issue.theme_id): issue.pk for issue in area_issues}
        city_meetings = list(
            Meeting.objects.filter(municipality=municipality, meeting_type__level="city")
            .order_by("date")
            .values_list("pk", flat=True)
        )
        for issue in city_issues.values():
            for meeting_id in city_meetings[-4:]:
                IssueDiscussion.objects.create(
                    issue=issue, meeting_id=meeting_id, discussion="検討した。", conclusion="継続"
                )
            parent = Proposal.objects.create(
                municipality=municipality, issue=issue, kind="policy", title="施策案", owner="課"
            )
            for weight in (1, 2):
                Proposal.objects.create(
                    municipality=municipality,
                    issue=issue,
                    parent=parent,
                    kind="resource",
                    title=f"取組{weight}",
                    owner="課",
                    weight=weight,
                    progress=rng.randint(0, 100),
                )
    reviews = CaseReview.objects.filter(case__municipality=municipality).order_by("case_id", "id")
    rows = reviews.values_list("id", "case_id", "case__center__area_id", "meeting__date")
    tags, seen = [], set()
    for review_id, case_id, area_id, date in rows.iterator(chunk_size=CHUNK):
        if case_id in seen:
            continue  # One tag per case, on its first review.
        seen.add(case_id)
        theme = rng.choice(leanings[area_id]) if rng.random() < 0.5 else rng.choice(themes)
        tags.append(
            IssueTag(
                municipality=municipality,
                review_id=review_id,
                case_id=case_id,
                theme=theme,
                issue_id=by_area_theme.get((area_id, theme.pk)),
                area_id=area_id,
                tagged_on=date,
                fiscal_year=fiscal_year(date),
            )
        )
        if len(tags) == CHUNK:
            IssueTag.objects.bulk_create(tags)
            tags = []
    IssueTag.objects.bulk_create(tags)
    recount_cases(
        CommunityIssue.objects.filter(municipality=municipality).values_list("pk", flat=True)
    )
    return municipality
