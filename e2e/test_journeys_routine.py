"""Routine journeys, each by the role that does it and from the page where the feature is
offered: a case review's issue tag linked to another issue, a 施策's milestone changed and
achieved, a draft case deleted after its confirmation, a need's 不足 raised into a community
issue, a case's matching resources, the system administrator's landing page, a notification
read, and the wide grids keeping their first column in view on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tsunagu.accounts.models import Membership, User
from tsunagu.cases.models import Case, CaseReview
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.demo.accounts import DEMO_PASSWORD
from tsunagu.demo.issues import load_issues
from tsunagu.demo.resources import load_resources
from tsunagu.issues import services as issue_services
from tsunagu.issues.models import CommunityIssue, IssueTag, Milestone, Theme
from tsunagu.lib.wareki import format_wareki
from tsunagu.meetings.models import Pledge
from tsunagu.notifications import services as notification_services
from tsunagu.notifications.models import Kind, Notification
from tsunagu.resources import matching
from tsunagu.resources.choices import NeedStatus
from tsunagu.resources.models import Need

from .conftest import current_code, login

pytestmark = pytest.mark.browser

CENTER = "明第1地域包括支援センター"


@pytest.fixture
def issues(meetings):
    load_issues()


@pytest.fixture
def resources(meetings):
    load_resources()


def sign(username, meeting):
    Pledge.objects.create(
        municipality=meeting.municipality,
        meeting=meeting,
        user=User.objects.get(username=username),
        signer_name=username,
        affiliation=CENTER,
        method="online",
        policy_version=policy_for_signing(meeting.municipality),
    )


def header_count(page):
    """The unread count beside お知らせ in the header ("" when there is none)."""
    link = page.get_by_role("navigation", name="利用者メニュー").get_by_role(
        "link", name=re.compile("^お知らせ")
    )
    badge = link.locator(".badge")
    return badge.evaluate("e => e.firstChild.textContent") if badge.count() else ""


def tag_row(page, theme):
    """The row of the recorded tag with the theme (every row's select lists every theme)."""
    return page.locator("tbody tr").filter(
        has=page.locator("td:first-child").get_by_text(theme, exact=True)
    )


# 1 -------------------------------------------------------------------------------------------


def test_center_staff_link_a_recorded_tag_to_another_issue_and_a_duplicate_is_one_sentence(
    page, live_server, issues
):
    review = CaseReview.objects.filter(case__center__name=CENTER, issue_tags__isnull=True).first()
    sign("center", review.meeting)
    municipality = review.case.municipality
    first, other = CommunityIssue.objects.filter(municipality=municipality).order_by("pk")[:2]
    issue_services.themes_for(municipality)
    theme = Theme.objects.get(municipality=municipality, name="移動・交通")
    tag = issue_services.tag_review(
        tag=IssueTag(review=review, theme=theme, issue=first, note="バス停まで遠い"),
        by=User.objects.get(username="center"),
    )
    other_before = CommunityIssue.objects.get(pk=other.pk).case_count

    login(page, live_server, "center")
    page.goto(f"{live_server.url}/cases/{review.case_id}/")
    page.get_by_role("link", name=re.compile(format_wareki(review.meeting.date))).first.click()
    page.get_by_role("link", name="地域課題のタグ（記録あり）").click()
    expect(page.locator("h1")).to_contain_text("地域課題のタグ")
    row = tag_row(page, "移動・交通")
    expect(row).to_contain_text(first.title)

    row.get_by_text("直す・課題に結び付ける").click()
    row.get_by_label("地域課題").select_option(label=other.title)
    row.get_by_label("気づき（自由記述）").fill("バス停まで遠く、通院をあきらめている")
    row.get_by_role("button", name="保存").click()
    expect(page.get_by_text("「移動・交通」のタグを変更しました。")).to_be_visible()
    row = tag_row(page, "移動・交通")
    expect(row).to_contain_text(other.title)
    expect(row).to_contain_text("通院をあきらめている")
    tag.refresh_from_db()
    assert tag.issue_id == other.pk and tag.note == "バス停まで遠く、通院をあきらめている"
    # The case now counts as evidence for the issue it is linked to.
    assert CommunityIssue.objects.get(pk=other.pk).case_count == other_before + 1

    # The same theme again for the same review: one plain sentence, nothing saved.
    form = page.locator("form", has=page.get_by_role("button", name="記録"))
    form.get_by_label("テーマ").select_option(label="移動・交通")
    form.get_by_label("気づき（自由記述）").fill("もう一度")
    form.get_by_role("button", name="記録").click()
    sentence = "この事例検討には、このテーマがすでに記録されています。"
    expect(page.get_by_text(sentence)).to_have_count(1)
    summary = page.locator(".form-error-summary")
    expect(summary).to_have_text(sentence)
    expect(page.locator("main")).not_to_contain_text("already")
    assert IssueTag.objects.filter(review=review).count() == 1

    # A second theme is recorded; changed to the first one's theme, it gets the same sentence.
    form.get_by_label("テーマ").select_option(label="住まい")
    form.get_by_label("気づき（自由記述）").fill("")
    form.get_by_role("button", name="記録").click()
    expect(page.get_by_text("「住まい」を記録しました。")).to_be_visible()
    second = tag_row(page, "住まい")
    second.get_by_text("直す・課題に結び付ける").click()
    second.get_by_label("テーマ").select_option(label="移動・交通")
    second.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("タグを直す")
    expect(page.get_by_text(sentence)).to_have_count(1)
    expect(page.locator(".form-error-summary")).to_have_text(sentence)
    assert set(IssueTag.objects.filter(review=review).values_list("theme__name", flat=True)) == {
        "移動・交通",
        "住まい",
    }


# 2 -------------------------------------------------------------------------------------------


def test_the_city_edits_a_milestone_and_marks_it_achieved(page, live_server, issues):
    milestone = Milestone.objects.filter(
        done_on__isnull=True, proposal__municipality__code="129909"
    ).first()
    issue = milestone.proposal.issue

    login(page, live_server, "shi")
    page.get_by_role("link", name="地域課題", exact=True).click()
    page.locator("#results").get_by_role("link", name=issue.title, exact=True).first.click()
    expect(page.locator("h1")).to_contain_text(issue.title)
    item = page.locator("ul.milestones > li", has_text=milestone.title)
    item.get_by_text("節目を編集").click()
    item.get_by_label("節目", exact=True).fill("利用状況の報告（中間）")
    item.get_by_label("予定日").fill("令和9年3月31日")
    item.get_by_role("button", name="保存").click()
    expect(page.get_by_text("節目「利用状況の報告（中間）」を保存しました。")).to_be_visible()
    milestone.refresh_from_db()
    assert milestone.title == "利用状況の報告（中間）"
    assert milestone.due_on.isoformat() == "2027-03-31" and milestone.done_on is None

    item = page.locator("ul.milestones > li", has_text="利用状況の報告（中間）")
    expect(item).to_contain_text("令和9年3月31日")
    item.get_by_role("button", name="達成にする").click()
    expect(page.get_by_text("節目「利用状況の報告（中間）」を保存しました。")).to_be_visible()
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    item = page.locator("ul.milestones > li", has_text="利用状況の報告（中間）")
    expect(item).to_contain_text(f"（{format_wareki(milestone.done_on)} 達成）")
    expect(item.get_by_role("button", name="達成にする")).to_have_count(0)


# 3 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["cm", "center"])
def test_a_draft_case_is_deleted_after_its_confirmation(page, live_server, meetings, username):
    case = Case.objects.get(municipality__code="129909", status="draft")

    login(page, live_server, username)
    page.get_by_role("link", name="事例", exact=True).click()
    page.get_by_role("link", name=case.code).first.click()
    expect(page.locator(".status")).to_have_text("下書き")

    # Cancelled at the question: nothing happens.
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="下書きを削除").click()
    expect(page.locator(".status")).to_have_text("下書き")
    assert questions == [f"下書きの{case}を削除します。よろしいですか。"]
    assert Case.objects.filter(pk=case.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="下書きを削除").click()
    page.wait_for_url(f"{live_server.url}/cases/")
    expect(page.get_by_text(f"下書きの{case}を削除しました。")).to_be_visible()
    expect(page.locator("#results")).not_to_contain_text(case.code)
    assert not Case.objects.filter(pk=case.pk).exists()


# 4 -------------------------------------------------------------------------------------------


def test_a_needs_shortfall_becomes_a_community_issue_from_the_need_page(
    page, live_server, resources
):
    need = next(
        n
        for n in Need.objects.filter(
            municipality__code="129909", status=NeedStatus.OPEN, issue__isnull=True
        ).select_related("area", "municipality")
        if matching.gap_at(n.municipality, n.area, n.kind) is not None
    )

    login(page, live_server, "shi")
    page.get_by_role("link", name="社会資源", exact=True).click()
    page.get_by_role("navigation", name="社会資源のメニュー").get_by_role(
        "link", name="ニーズ", exact=True
    ).click()
    page.locator(f'a[href="/resources/needs/{need.pk}/"]').first.click()
    expect(page.locator("h1")).to_have_text(f"ニーズ: {need.area}の{need.get_kind_display()}")
    gap = page.locator("section", has=page.locator("#gap-heading"))
    expect(gap).to_contain_text("不足として地域課題にする")
    gap.get_by_role("button", name="地域課題にする").click()

    # Back on the need's page, which now says the need is the issue's evidence.
    page.wait_for_url(f"{live_server.url}/resources/needs/{need.pk}/")
    need.refresh_from_db()
    issue = need.issue
    assert issue is not None and issue.area_id == need.area_id and issue.level == "area"
    expect(page.get_by_text(f"地域課題「{issue}」を登録しました。")).to_be_visible()
    expect(gap).to_contain_text("すでに地域課題になっています。")
    expect(gap.get_by_role("button", name="新しいニーズも課題に結び付ける")).to_be_visible()
    page.locator("dl.details").get_by_role("link", name=issue.title).click()
    expect(page.locator("h1")).to_contain_text(issue.title)
    expect(page.locator("main")).to_contain_text(f"{need.area}圏域で{need.get_kind_display()}")


# 5 -------------------------------------------------------------------------------------------


def test_the_case_page_offers_the_resources_that_fit_the_case(page, live_server, resources):
    case = Case.objects.filter(municipality__code="129909", center__name=CENTER).first()

    login(page, live_server, "center")
    page.get_by_role("link", name="事例", exact=True).click()
    page.get_by_role("link", name=case.code).first.click()
    page.get_by_role("link", name="この事例に合う社会資源を探す").click()
    page.wait_for_url(re.compile(rf"/resources/match/case/{case.pk}/$"))
    expect(page.locator("h1")).to_have_text(f"事例 {case.code} に合う社会資源")
    area = case.center.area
    expect(page.locator("main")).to_contain_text(f"圏域「{area}」")
    rows = page.locator("main table tbody tr")
    expect(rows.first).to_be_visible()
    # Narrowed to one kind: only resources of that kind, in the area or the whole city.
    kind = rows.first.locator("td").nth(1).inner_text()
    page.get_by_label("種別").select_option(label=kind)
    page.get_by_role("button", name="探す").click()
    expect(page.locator("h1")).to_have_text(f"事例 {case.code} に合う社会資源")
    expect(page.get_by_label("種別")).to_have_value(re.compile(".+"))
    expect(rows.first).to_be_visible()
    for index in range(rows.count()):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(1)).to_have_text(kind)
        expect(cells.nth(2)).to_have_text(re.compile("^(圏域内|市全域)$"))


# 6 -------------------------------------------------------------------------------------------


def test_the_system_administrator_lands_on_the_administration_site(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill("sysadmin")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{live_server.url}/login/code/")
    page.locator("#id_code").fill(current_code("sysadmin"))
    response_codes = []
    page.on("response", lambda r: response_codes.append((r.url, r.status)))
    page.get_by_role("button", name="確認").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert all(status != 403 for _, status in response_codes), response_codes
    expect(page.locator("#site-name")).to_have_text("つなぐ 管理サイト（システム管理者用）")
    expect(page.locator("#content")).not_to_contain_text("権限がありません")


# 7 -------------------------------------------------------------------------------------------


def test_reading_a_notification_lowers_the_count_in_the_header(page, live_server, meetings):
    person = Membership.objects.get(user__username="cm", municipality__code="129909").person
    for key, subject in (("a", "会議のご案内: 一つめ"), ("b", "会議のご案内: 二つめ")):
        notification_services.notify(
            person=person,
            kind=Kind.INVITATION,
            key=f"journey:{key}",
            subject=subject,
            body="本文",
            link="/meetings/",
        )
    unread = notification_services.unread_count(person.pk)
    assert unread >= 2

    login(page, live_server, "cm")
    assert header_count(page) == str(unread)
    page.get_by_role("navigation", name="利用者メニュー").get_by_role(
        "link", name=re.compile("^お知らせ")
    ).click()
    expect(page.locator("h1")).to_have_text("お知らせ")
    item = page.locator(".notification-list li", has_text="会議のご案内: 一つめ")
    expect(item).to_have_class("unread")
    item.get_by_role("button").click()
    page.wait_for_url(f"{live_server.url}/meetings/")  # what it is about
    expect(page.locator("h1")).to_be_visible()
    assert header_count(page) == (str(unread - 1) if unread > 1 else "")
    assert Notification.objects.get(key="journey:a").read_at is not None
    assert Notification.objects.get(key="journey:b").read_at is None

    page.get_by_role("navigation", name="利用者メニュー").get_by_role(
        "link", name=re.compile("^お知らせ")
    ).click()
    item = page.locator(".notification-list li", has_text="会議のご案内: 一つめ")
    expect(item).to_have_class("read")
    expect(item).not_to_contain_text("未読")


# 8 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("menu_label", ["開催状況", "年間計画"])
def test_a_grid_keeps_its_first_column_in_view_when_scrolled_sideways_on_a_phone(
    page, live_server, meetings, menu_label
):
    login(page, live_server, "shi")
    page.set_viewport_size({"width": 375, "height": 800})
    menu = page.get_by_role("navigation", name="メインメニュー")
    menu.get_by_role("button", name="メニュー").click()
    menu.get_by_role("link", name=menu_label, exact=True).click()
    expect(page.locator("h1")).to_contain_text(menu_label)

    box = page.locator(".table-scroll", has=page.locator("table.grid")).first
    table = box.locator("table.grid")
    first_cell = table.locator("tbody tr").first.locator(":scope > :first-child")
    second_cell = table.locator("tbody tr").first.locator(":scope > :nth-child(2)")
    scroll_width, client_width = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll_width > client_width, "the grid is wider than a phone, so it scrolls"
    before_first = first_cell.bounding_box()
    before_second = second_cell.bounding_box()
    box_left = box.bounding_box()["x"]

    box.evaluate("e => { e.scrollLeft = 300; }")
    assert box.evaluate("e => e.scrollLeft") > 0
    after_first = first_cell.bounding_box()
    after_second = second_cell.bounding_box()
    # The columns moved left; the first column stayed where it was, at the box's left edge.
    assert after_second["x"] < before_second["x"] - 100
    assert abs(after_first["x"] - before_first["x"]) < 1
    assert abs(after_first["x"] - box_left) < 2
    # And it is drawn over what scrolled under it.
    middle = (after_first["x"] + after_first["width"] / 2, after_first["y"] + 5)
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('th, td').cellIndex", list(middle)
    )
    assert on_top == 0
