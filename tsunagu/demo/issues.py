"""Community issues for the demo (data/demo/issues.json, 松風市): past case reviews at the
centers' meetings tagged with themes, area issues raised from them, one city issue they were
escalated into with its discussions, proposals and milestones, and a finished text-mining run.

The case texts come from the labelled set the suggestion quality is measured on
(data/textmining/labelled_texts.csv, all fictional), so the demo shows what the measured
suggestions and the text mining do on realistic wording. Which texts, and the cases' details,
are drawn with a fixed seed, so every load makes the same ones.
"""

import csv
import datetime
import random

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.cases.models import Advice, Case, CaseReview
from tsunagu.cases.services import add_advice, place_on_agenda
from tsunagu.issues import mining, services
from tsunagu.issues.models import (
    CommunityIssue,
    IssueDiscussion,
    IssueTag,
    Milestone,
    MiningJob,
    Proposal,
)
from tsunagu.lib.fiscal import fiscal_year, fiscal_year_range
from tsunagu.meetings.models import Meeting, MeetingType, Pledge, PledgeMethod
from tsunagu.meetings.services import record_pledge, save_meeting
from tsunagu.organizations.models import Center, Municipality

from .files import data_path, days_ago, read_json


def labelled_texts(name) -> dict[str, list[str]]:
    by_theme: dict[str, list[str]] = {}
    with data_path(name).open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            by_theme.setdefault(row["theme"], []).append(row["text"])
    return by_theme


def load_issues():
    data = read_json("issues.json")
    municipality = Municipality.objects.get(code=data["municipality"])
    if IssueTag.objects.filter(municipality=municipality).exists():
        return
    services.themes_for(municipality)
    rng = random.Random(data["seed"])
    texts = labelled_texts(data["texts"])
    centers = list(
        Center.objects.filter(municipality=municipality, is_core=False)
        .select_related("area")
        .order_by("id")[: data["centers"]]
    )
    body = MeetingType.objects.get(municipality=municipality, name=data["body"])
    leanings = data["leanings"]
    today = timezone.localdate()
    this_year = fiscal_year(today)
    for index, center in enumerate(centers):
        leaning = leanings[index % len(leanings)]
        for year in (this_year - 2, this_year - 1, this_year):
            meetings = past_meetings(body, center, year, today, data["past_meetings"])
            for number, meeting in enumerate(meetings * 2, start=1):
                theme = (
                    leaning[0] if rng.random() < 0.5 else rng.choice([leaning[1], *texts.keys()])
                )
                text = rng.choice(texts[theme])
                review = review_case(center, meeting, year, number, text, rng, data)
                services.tag_review(
                    tag=IssueTag(review=review, theme=services.theme_named(municipality, theme)),
                    by=None,
                )
            if year == this_year:
                # Reviews nobody has tagged yet, about a problem the register does not have:
                # what the text mining's "groups of untagged cases" is there to find.
                for number, meeting in enumerate(meetings[:2], start=90):
                    text = rng.choice(texts[data["unrecognised"]])
                    review_case(center, meeting, year, number, text, rng, data)
    load_issue_chain(municipality, centers[:: len(leanings)][:2], today, data)
    sign_for_mining(municipality, today, data["mining"])
    _mining_job(municipality, today, data["mining"])


def past_meetings(body, center, year, today, spec):
    """Held meetings of the center in the 年度, scheduled and held for earlier years, which
    the demo's meeting data does not cover."""
    start, end = fiscal_year_range(year)
    held = list(
        Meeting.objects.filter(
            center=center,
            meeting_type=body,
            date__range=(start, min(end, today - datetime.timedelta(days=1))),
        ).order_by("date")[:3]
    )
    if held or year == fiscal_year(today):
        return held
    return [
        save_meeting(
            meeting=Meeting(
                municipality=center.municipality,
                meeting_type=body,
                center=center,
                date=datetime.date(year + (month < 4), month, 10 + center.pk % 10),
                status="held",
                summary=spec["summary"],
                closed_at=timezone.now(),
            ),
            by=None,
        )
        for month in spec["months"]
    ]


def _past_case(**fields) -> Case:
    """A case of an earlier 年度, numbered in the 500s so it never meets a case made on screen
    (create_case numbers cases in today's 年度)."""
    case = Case(status="monitoring", **fields)
    case.full_clean()
    case.save()
    return case


def _past_review(case, meeting, text) -> CaseReview:
    """The review of a case at a meeting already closed, where the agenda service refuses to
    add cases."""
    with transaction.atomic():
        return place_on_agenda(
            case=case, meeting=meeting, support_policy=text, reviewed_at=timezone.now()
        )


def review_case(center, meeting, year, number, text, rng, data):
    choices = data["case_choices"]
    fields = {name: rng.choice(options) for name, options in choices.items()}
    case = _past_case(
        municipality=center.municipality,
        code=f"{year}-{center.pk:03d}-{500 + number:03d}",
        center=center,
        question=text,
        **fields,
    )
    review = _past_review(case, meeting, text)
    profession, name = rng.choice(data["advisers"])
    add_advice(
        advice=Advice(review=review, adviser_name=name, profession=profession, text=text), by=None
    )
    return review


def _link_tags(issue, center) -> None:
    """The center's tags of the issue's theme become its evidence (no single-tag service)."""
    IssueTag.objects.filter(
        municipality=issue.municipality, theme=issue.theme, case__center=center
    ).update(issue=issue)
    services.recount_cases([issue.pk])


def _discuss(issue, meeting, spec):
    if meeting is not None:
        discussion = IssueDiscussion(
            issue=issue,
            meeting=meeting,
            discussion=spec["discussion"],
            conclusion=spec["conclusion"],
        )
        services.save_discussion(discussion=discussion, by=None)


def _milestone(proposal, spec, today) -> None:
    """No service changes milestones on their own; the proposal page saves them as a form."""
    done = spec.get("done_in_days")
    milestone = Milestone(
        proposal=proposal,
        title=spec["title"],
        due_on=today + datetime.timedelta(days=spec["due_in_days"]),
        done_on=today + datetime.timedelta(days=done) if done is not None else None,
    )
    milestone.full_clean()
    milestone.save()


def load_issue_chain(municipality, centers, today, data):
    """Two area issues about getting about, raised to one city issue that became policy."""
    spec = data["area_issues"]
    theme = services.theme_named(municipality, spec["theme"])
    area_issues = []
    for center in centers:
        issue = services.open_issue(
            issue=CommunityIssue(
                municipality=municipality,
                title=spec["title"].format(area=center.area),
                description=spec["description"],
                theme=theme,
                level="area",
                area=center.area,
                opened_on=days_ago(spec["days_ago"], today),
            ),
            by=None,
        )
        _link_tags(issue, center)
        promotion = Meeting.objects.filter(
            meeting_type__name=spec["discussion"]["body"], center=center, date__lt=today
        ).first()
        _discuss(issue, promotion, spec["discussion"])
        area_issues.append(issue)
    spec = data["city_issue"]
    city = _city_issue(municipality, spec, today)
    services.escalate(issues=area_issues, into=city, by=None)
    city_meeting = (
        Meeting.objects.filter(
            municipality=municipality, meeting_type__name=spec["discussion"]["body"]
        )
        .order_by("date")
        .first()
    )
    _discuss(city, city_meeting, spec["discussion"])
    saved = {}
    for row in spec["proposals"]:
        fields = {
            name: row[name]
            for name in ("kind", "title", "owner", "target_body", "progress", "weight", "status")
            if name in row
        }
        fields.setdefault("status", "in_progress")
        proposal = services.save_proposal(
            proposal=Proposal(
                municipality=municipality,
                issue=city,
                parent=saved[row["parent"]] if "parent" in row else None,
                **fields,
            ),
            by=None,
        )
        if "key" in row:
            saved[row["key"]] = proposal
        for milestone in row.get("milestones", []):
            _milestone(proposal, milestone, today)
    # A second, older city issue still open, for the 'longest open' list.
    services.open_issue(issue=_city_issue(municipality, data["older_city_issue"], today), by=None)


def sign_for_mining(municipality, today, spec):
    """市職員 and 基幹型 sign on screen for this 年度's city meeting, as text mining asks."""
    meeting = (
        Meeting.objects.filter(
            municipality=municipality, date__range=fiscal_year_range(fiscal_year(today))
        )
        .order_by("-meeting_type__level", "date")
        .first()
    )
    for user in User.objects.filter(username__in=spec["signers"]).order_by("id"):
        if meeting and not Pledge.objects.filter(user=user, meeting=meeting).exists():
            pledge = Pledge(
                municipality=municipality,
                meeting=meeting,
                user=user,
                signer_name=user.full_name,
                affiliation=spec["affiliation"],
                method=PledgeMethod.ONLINE,
            )
            record_pledge(pledge=pledge, by=user)


def _mining_job(municipality, today, spec) -> None:
    """A finished run, done here at once (the page starts one in the background)."""
    job = MiningJob.objects.create(
        municipality=municipality,
        start=fiscal_year_range(fiscal_year(today) - spec["years_back"])[0],
        end=today,
        sources=spec["sources"],
    )
    mining.run(job.pk)


def _city_issue(municipality, spec, today) -> CommunityIssue:
    """A city-level issue as the demo file describes it (not saved yet)."""
    return CommunityIssue(
        municipality=municipality,
        title=spec["title"],
        description=spec["description"],
        theme=services.theme_named(municipality, spec["theme"]),
        level="city",
        status=spec["status"],
        opened_on=days_ago(spec["days_ago"], today),
    )
