"""Journeys through meetings, the 開催状況 report and cases, on the full demo data."""

import pytest
from playwright.sync_api import expect

from tsunagu.accounts.models import Membership, Role
from tsunagu.cases.models import Case
from tsunagu.demo.cases import load_cases
from tsunagu.demo.meetings import load_meetings
from tsunagu.meetings.models import Meeting

from .conftest import login

pytestmark = pytest.mark.browser

MINUTES_TEXT = "A氏 80代 女性"


@pytest.fixture
def meetings(demo):
    """The demo's meetings and cases on top of the directory and accounts, as load_demo does."""
    admins = {
        m.municipality.code: m.user
        for m in Membership.objects.filter(role=Role.CITY_ADMIN).select_related(
            "municipality", "user"
        )
    }
    load_meetings(admins)
    load_cases()


def test_it_shows_the_minutes_only_after_the_pledge_is_signed(page, live_server, meetings):
    meeting = Meeting.objects.get(
        center__name="明第1地域包括支援センター",
        meeting_type__name="地域個別ケア会議",
        minutes__contains=MINUTES_TEXT,
    )
    login(page, live_server, "center")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.get_by_text("誓約書への署名が必要です")).to_be_visible()
    expect(page.get_by_text(MINUTES_TEXT)).to_have_count(0)

    page.get_by_role("link", name="誓約書を読んで署名する").click()
    expect(page.locator("h1")).to_contain_text("誓約書への署名")
    page.get_by_label("所属・団体または住所").fill("明第1地域包括支援センター")
    page.get_by_label("氏名").fill("包括 花子")
    page.get_by_label("個人情報基本方針を読み、上記の誓約書の内容に同意します。").check()
    page.get_by_role("button", name="署名する").click()

    page.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.get_by_text("誓約書に署名しました。")).to_be_visible()
    expect(page.get_by_text(MINUTES_TEXT)).to_be_visible()
    expect(page.get_by_text("誓約書への署名が必要です")).to_have_count(0)


def test_it_downloads_the_schedule_as_excel(page, live_server, meetings):
    login(page, live_server, "shi")
    page.goto(f"{live_server.url}/reports/schedule/?fy=2021")
    expect(page.get_by_text("明第1地域包括支援センター").first).to_be_visible()
    expect(page.get_by_text("7月27日").first).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    assert "format=xlsx" in download.url


def test_it_lets_the_care_manager_edit_a_draft_case(page, live_server, meetings):
    draft = Case.objects.get(status="draft")
    new_question = "息子さんの介護負担を減らしつつ、本人の通院を続けるには"
    login(page, live_server, "cm")
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_text(draft.code)).to_be_visible()

    page.get_by_role("link", name=draft.code).click()
    page.wait_for_url(f"{live_server.url}/cases/{draft.pk}/")
    page.get_by_role("link", name="編集", exact=True).click()
    page.wait_for_url(f"{live_server.url}/cases/{draft.pk}/edit/")
    question = page.get_by_label("検討したい点")
    expect(question).to_have_value(draft.question)
    question.fill(new_question)
    page.get_by_role("button", name="保存").click()

    page.wait_for_url(f"{live_server.url}/cases/{draft.pk}/")
    expect(page.get_by_text(new_question)).to_be_visible()
    draft.refresh_from_db()
    assert draft.question == new_question
