"""From a case to a city policy in a real browser: center staff tag a case review with the
community issue it shows, the city raises area issues into a city issue and gives it a
proposal, and the case's staff see on their dashboard what became of it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tsunagu.accounts.models import User
from tsunagu.cases.models import CaseReview
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.demo.issues import load_issues
from tsunagu.issues.models import CommunityIssue, IssueTag
from tsunagu.meetings.models import Pledge

from .conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def issues(meetings):
    load_issues()


def sign(user_name, meeting):
    Pledge.objects.create(
        municipality=meeting.municipality,
        meeting=meeting,
        user=User.objects.get(username=user_name),
        signer_name=user_name,
        affiliation="明第1地域包括支援センター",
        method="online",
        policy_version=policy_for_signing(meeting.municipality),
    )


def test_a_case_is_tagged_raised_to_the_city_and_gets_a_proposal(page, live_server, issues):
    review = CaseReview.objects.filter(
        case__center__name="明第1地域包括支援センター", issue_tags__isnull=True
    ).first()
    sign("center", review.meeting)
    area_issue = CommunityIssue.objects.filter(area=review.case.center.area).first()

    # Center staff tag the review; the issue their area already has is suggested.
    login(page, live_server, "center")
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    page.get_by_role("link", name="地域課題のタグ").click()
    page.get_by_label("テーマ").select_option(label="移動・交通")
    page.get_by_label("地域課題").select_option(label=area_issue.title)
    page.get_by_label("気づき（自由記述）").fill("バス停まで歩けず通院に困っている")
    expect(page.locator("#suggestions")).to_contain_text("移動")
    page.get_by_role("button", name="記録").click()
    expect(page.locator("table")).to_contain_text(area_issue.title)

    # The recorded tag's note is changed afterwards, on the same page.
    tag = IssueTag.objects.get(review=review)
    page.get_by_text("直す・課題に結び付ける").click()
    page.locator(f"#tag-note-{tag.pk}").fill("バス停まで遠く、通院をあきらめている")
    page.locator(f"form[action='{reverse('issues:tag_edit', args=[tag.pk])}']").get_by_role(
        "button", name="保存"
    ).click()
    expect(page.get_by_text("「移動・交通」のタグを変更しました。")).to_be_visible()
    expect(page.locator("table")).to_contain_text("通院をあきらめている")

    # The city raises the area issue into a new city issue and gives it a proposal.
    page.context.clear_cookies()
    login(page, live_server, "shi")
    page.goto(f"{live_server.url}/issues/{area_issue.pk}/")
    page.get_by_role("link", name="上位の課題へ提起").click()
    page.get_by_label("新しい課題の課題名").fill("通院の移動支援")
    page.get_by_label("新しい課題のテーマ").select_option(label="移動・交通")
    page.get_by_role("button", name="提起する").click()
    expect(page.locator("h1")).to_contain_text("通院の移動支援")
    expect(page.get_by_text(area_issue.title).first).to_be_visible()
    page.get_by_role("link", name="施策・取組を追加").click()
    page.get_by_label("種類").select_option(label="施策提案")
    page.get_by_label("件名").fill("通院バスの試行")
    page.get_by_label("担当").fill("高齢者支援課")
    page.get_by_label("進捗（%）").fill("30")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".proposal-tree")).to_contain_text("通院バスの試行")
    expect(page.locator(".details")).to_contain_text("30%")
    expect(page.locator(".timeline")).to_contain_text("通院バスの試行")

    # Back at the center, the dashboard says what became of the case's issue.
    page.context.clear_cookies()
    login(page, live_server, "center")
    feedback = page.locator("section", has_text="担当事例から上がった地域課題の動き")
    expect(feedback).to_contain_text("通院の移動支援")
