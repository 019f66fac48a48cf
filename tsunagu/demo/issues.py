"""Community issues for the demo (松風市): past case reviews at the centers' meetings tagged
with themes, area issues raised from them, one city issue they were escalated into with its
discussions, proposals and milestones, and a finished text-mining run.

The case texts come from the labelled set the suggestion quality is measured on
(data/textmining/labelled_texts.csv, all fictional), so the demo shows what the measured
suggestions and the text mining do on realistic wording."""

import csv
import datetime
import random

from django.conf import settings
from django.utils import timezone

from tsunagu.accounts.models import User
from tsunagu.cases.models import Advice, Case, CaseReview
from tsunagu.confidentiality.models import Pledge
from tsunagu.confidentiality.services import policy_for_signing
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
from tsunagu.meetings.models import Meeting, MeetingType
from tsunagu.organizations.models import Center, Municipality

LABELLED = settings.BASE_DIR / "data" / "textmining" / "labelled_texts.csv"
# Which themes each area's cases lean to, so the heat map shows a pattern worth discussing.
LEANINGS = [
    ["移動・交通", "買い物・配食"],
    ["認知症", "独居・孤立・見守り"],
    ["8050・多問題世帯・ひきこもり", "経済困窮"],
    ["フレイル・通いの場", "栄養・口腔"],
]
UNRECOGNISED = "ゴミ出し・住環境"
ADVISERS = [("physiotherapist", "青木 修"), ("dietitian", "村上 恵"), ("pharmacist", "小林 誠")]


def labelled_texts() -> dict[str, list[str]]:
    by_theme: dict[str, list[str]] = {}
    with LABELLED.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            by_theme.setdefault(row["theme"], []).append(row["text"])
    return by_theme


def load_issues():
    municipality = Municipality.objects.get(code="129909")
    if IssueTag.objects.filter(municipality=municipality).exists():
        return
    services.themes_for(municipality)
    rng = random.Random(20261122)
    texts = labelled_texts()
    centers = list(
        Center.objects.filter(municipality=municipality, is_core=False)
        .select_related("area")
        .order_by("id")[:8]
    )
    body = MeetingType.objects.get(municipality=municipality, name="地域個別ケア会議")
    today = timezone.localdate()
    this_year = fiscal_year(today)
    for index, center in enumerate(centers):
        leaning = LEANINGS[index % len(LEANINGS)]
        for year in (this_year - 2, this_year - 1, this_year):
            meetings = past_meetings(municipality, body, center, year, today)
            for number, meeting in enumerate(meetings * 2, start=1):
                theme = (
                    leaning[0] if rng.random() < 0.5 else rng.choice([leaning[1], *texts.keys()])
                )
                review = review_case(
                    municipality, center, meeting, year, number, rng.choice(texts[theme]), rng
                )
                services.tag_review(
                    tag=IssueTag(review=review, theme=services.theme_named(municipality, theme)),
                    by=None,
                )
            if year == this_year:
                # Reviews nobody has tagged yet, about a problem the register does not have:
                # what the text mining's "groups of untagged cases" is there to find.
                for number, meeting in enumerate(meetings[:2], start=90):
                    text = rng.choice(texts[UNRECOGNISED])
                    review_case(municipality, center, meeting, year, number, text, rng)
    load_issue_chain(municipality, centers, today)
    sign_for_mining(municipality, today)
    job = MiningJob.objects.create(
        municipality=municipality,
        start=fiscal_year_range(this_year - 2)[0],
        end=today,
        sources=["advice", "minutes", "issues"],
    )
    mining.run(job.pk)


def past_meetings(municipality, body, center, year, today):
    """Held meetings of the center in the 年度 (made for earlier years, which the demo's
    meeting data does not cover)."""
    start, end = fiscal_year_range(year)
    held = list(
        Meeting.objects.filter(
            municipality=municipality,
            center=center,
            meeting_type=body,
            date__range=(start, min(end, today - datetime.timedelta(days=1))),
        ).order_by("date")[:3]
    )
    if held or year == fiscal_year(today):
        return held
    return [
        Meeting.objects.create(
            municipality=municipality,
            meeting_type=body,
            center=center,
            date=datetime.date(year + (month < 4), month, 10 + center.pk % 10),
            status="held",
            summary="事例検討2件",
            closed_at=timezone.now(),
        )
        for month in (6, 10, 2)
    ]


def review_case(municipality, center, meeting, year, number, text, rng):
    case = Case.objects.create(
        municipality=municipality,
        code=f"{year}-{center.pk:03d}-{500 + number:03d}",
        center=center,
        status="monitoring",
        case_type=rng.choice(["independence", "difficulty", "not_connected", "community"]),
        age_band=rng.choice(["75", "80", "85", "90"]),
        sex=rng.choice(["female", "male"]),
        care_level=rng.choice(["support_1", "support_2", "care_1", "care_2"]),
        household=rng.choice(["alone", "elderly_only", "with_family"]),
        question=text,
    )
    review = CaseReview.objects.create(
        case=case, meeting=meeting, support_policy=text, reviewed_at=timezone.now()
    )
    profession, name = rng.choice(ADVISERS)
    Advice.objects.create(review=review, adviser_name=name, profession=profession, text=text)
    return review


def load_issue_chain(municipality, centers, today):
    """Two area issues about getting about, raised to one city issue that became policy."""
    transport = services.theme_named(municipality, "移動・交通")
    area_issues = []
    for center in centers[:: len(LEANINGS)][:2]:
        issue = services.open_issue(
            issue=CommunityIssue(
                municipality=municipality,
                title=f"{center.area}の通院・買い物の移動手段がない",
                description="路線バスの減便と免許返納で、通院や買い物に行けない高齢者の事例が続いている。",
                theme=transport,
                level="area",
                area=center.area,
                opened_on=today - datetime.timedelta(days=400),
            ),
            by=None,
        )
        IssueTag.objects.filter(
            municipality=municipality, theme=transport, case__center=center
        ).update(issue=issue)
        services.recount_cases([issue.pk])
        promotion = Meeting.objects.filter(
            municipality=municipality,
            meeting_type__name="地域包括ケア推進会議",
            center=center,
            date__lt=today,
        ).first()
        if promotion:
            services.save_discussion(
                discussion=IssueDiscussion(
                    issue=issue,
                    meeting=promotion,
                    discussion="個別会議で移動の課題が続いている。圏域内の送迎ボランティアは1団体のみ。",
                    conclusion="圏域だけでは解決できないため、市地域ケア会議へ提起する。",
                ),
                by=None,
            )
        area_issues.append(issue)
    city = CommunityIssue(
        municipality=municipality,
        title="高齢者の移動手段の確保",
        description="複数の圏域から、通院・買い物の移動手段がないという課題が上がっている。",
        theme=transport,
        level="city",
        status="discussing",
        opened_on=today - datetime.timedelta(days=300),
    )
    services.escalate(issues=area_issues, into=city, by=None)
    city_meeting = (
        Meeting.objects.filter(municipality=municipality, meeting_type__name="市地域ケア会議")
        .order_by("date")
        .first()
    )
    if city_meeting:
        services.save_discussion(
            discussion=IssueDiscussion(
                issue=city,
                meeting=city_meeting,
                discussion="交通政策課と協議し、乗合タクシーの実証と担い手の養成を進める。",
                conclusion="施策化して介護保険運営協議会へ報告する。",
            ),
            by=None,
        )
    pilot = proposal(
        city, "policy", "乗合タクシーの実証運行", "交通政策課", "介護保険運営協議会", 0
    )
    proposal(
        city,
        "resource",
        "運転ボランティアの養成講座",
        "生活支援コーディネーター",
        "",
        100,
        parent=pilot,
        status="done",
    )
    proposal(city, "resource", "車両と待合所の確保", "高齢者支援課", "", 40, parent=pilot, weight=2)
    plan = proposal(
        city,
        "plan",
        "介護保険事業計画への移動支援の位置付け",
        "高齢者支援課",
        "介護保険運営協議会",
        0,
        status="planned",
    )
    Milestone.objects.create(
        proposal=pilot,
        title="実証運行の開始",
        due_on=today - datetime.timedelta(days=60),
        done_on=today - datetime.timedelta(days=55),
    )
    Milestone.objects.create(
        proposal=pilot, title="利用状況の報告", due_on=today + datetime.timedelta(days=90)
    )
    Milestone.objects.create(
        proposal=plan, title="計画案への記載", due_on=today + datetime.timedelta(days=150)
    )
    # A second, older city issue still open, for the 'longest open' list.
    services.open_issue(
        issue=CommunityIssue(
            municipality=municipality,
            title="8050世帯の早期発見と多機関連携",
            description="高齢の親と無職の子の世帯で、支援につながるのが遅れる事例が多い。",
            theme=services.theme_named(municipality, "8050・多問題世帯・ひきこもり"),
            level="city",
            status="discussing",
            opened_on=today - datetime.timedelta(days=700),
        ),
        by=None,
    )


def sign_for_mining(municipality, today):
    """市職員 and 基幹型 sign for this 年度's city meeting, as text mining asks."""
    meeting = (
        Meeting.objects.filter(
            municipality=municipality, date__range=fiscal_year_range(fiscal_year(today))
        )
        .order_by("-meeting_type__level", "date")
        .first()
    )
    for username in ("shi", "kikan"):
        user = User.objects.filter(username=username).first()
        if user and meeting and not Pledge.objects.filter(user=user, meeting=meeting).exists():
            Pledge.objects.create(
                municipality=municipality,
                meeting=meeting,
                user=user,
                signer_name=user.full_name,
                affiliation="松風市",
                method="online",
                policy_version=policy_for_signing(municipality),
            )


def proposal(
    issue, kind, title, owner, target, progress, *, parent=None, weight=1, status="in_progress"
):
    return services.save_proposal(
        proposal=Proposal(
            municipality=issue.municipality,
            issue=issue,
            parent=parent,
            kind=kind,
            title=title,
            owner=owner,
            target_body=target,
            progress=progress,
            weight=weight,
            status=status,
        ),
        by=None,
    )
