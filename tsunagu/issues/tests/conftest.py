import pytest
from django.utils import timezone

from tsunagu.cases.models import Advice, Case, CaseReview
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.issues import services
from tsunagu.issues.models import CommunityIssue, IssueTag
from tsunagu.meetings.models import Meeting, MeetingType, Pledge
from tsunagu.organizations.models import Area, Center

TODAY = timezone.localdate()


def body(municipality, level="center", name=None):
    return MeetingType.objects.get_or_create(
        municipality=municipality,
        name=name
        or {"center": "地域個別ケア会議", "area": "推進会議", "city": "市地域ケア会議"}[level],
        defaults={
            "category": "individual" if level == "center" else "promotion",
            "level": level,
            "host": "each_center" if level != "city" else "city",
            "handles_personal_info": level == "center",
            "reviews_cases": level == "center",
        },
    )[0]


def meeting(municipality, center=None, level="center", date=TODAY):
    return Meeting.objects.create(
        municipality=municipality,
        meeting_type=body(municipality, level),
        center=center if level != "city" else None,
        date=date,
    )


def reviewed_case(municipality, center, n, *, date=TODAY, policy="", advice=()):
    case = Case.objects.create(
        municipality=municipality,
        code=f"I-{center.pk}-{n:04d}",
        center=center,
        status="reviewed",
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
    )
    review = CaseReview.objects.create(
        case=case, meeting=meeting(municipality, center, date=date), support_policy=policy
    )
    for text in advice:
        Advice.objects.create(
            review=review, adviser_name="青木 修", profession="physiotherapist", text=text
        )
    return review


def tag(review, theme_name, issue=None, user=None):
    theme = services.theme_named(review.case.municipality, theme_name)
    return services.tag_review(
        tag=IssueTag(review=review, theme=theme, issue=issue), by=user, request=None
    )


def new_issue(municipality, title, *, theme="移動・交通", level="area", area=None, **fields):
    return services.open_issue(
        issue=CommunityIssue(
            municipality=municipality,
            title=title,
            theme=services.theme_named(municipality, theme),
            level=level,
            area=area,
            **fields,
        ),
        by=None,
    )


def sign(user, municipality, for_meeting=None):
    """A pledge for the meeting, or for a new meeting of this 年度 (what text mining asks)."""
    Pledge.objects.create(
        municipality=municipality,
        meeting=for_meeting or meeting(municipality),
        user=user,
        signer_name="署名",
        affiliation="所属",
        method="online",
        policy_version=policy_for_signing(municipality),
    )


@pytest.fixture
def second_area(municipality):
    return Area.objects.create(municipality=municipality, name="南部圏域", sort_order=2)


@pytest.fixture
def second_center(municipality, second_area):
    return Center.objects.create(municipality=municipality, name="南部センター", area=second_area)
