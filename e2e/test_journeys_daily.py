"""Daily journeys as municipal staff expect them (issue 16): the dashboard leads with one's own
work, numbers agree between pages, statistics print with charts, the city documents print on
their own pages, the monthly report PDF is made in the background, and the login pages speak
their own words."""

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import run_queued_tasks
from tsunagu.demo.issues import load_issues
from tsunagu.issues.models import CommunityIssue

from .conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def issues(meetings):
    load_issues()


def test_the_dashboard_leads_with_my_work_and_the_centers_pending_items(
    page, live_server, meetings
):
    login(page, live_server, "kikan")
    mine = page.locator("#mywork-heading")
    expect(mine).to_have_text("あなたの今日の仕事")
    counts = page.locator("#counts-heading")
    assert mine.bounding_box()["y"] < counts.bounding_box()["y"]
    pending = page.locator("section", has=page.locator("#centers-heading"))
    expect(pending).to_be_visible()
    # Every pending item is a link to where it is dealt with.
    items = pending.locator("li")
    assert items.count() > 0
    for index in range(min(items.count(), 5)):
        expect(items.nth(index).locator("a")).to_have_count(1)


def test_the_issue_register_and_the_issue_page_say_the_same_count(page, live_server, issues):
    issue = CommunityIssue.objects.filter(level="city").order_by("-case_count").first()
    login(page, live_server, "shi")
    page.goto(f"{live_server.url}/issues/?sort=evidence")
    # The issue's own row (lower issues link to it too, in their 提起先 column).
    own = page.locator(f'td:first-child a[href="/issues/{issue.pk}/"]')
    listed = page.locator("#results tbody tr", has=own).locator("td.num").inner_text()
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    expect(page.locator("main p", has_text="事例").locator("strong").first).to_have_text(listed)
    assert int(listed) > 0


def test_the_statistics_draw_charts_beside_their_tables_and_export(page, live_server, meetings):
    login(page, live_server, "shi")
    page.goto(f"{live_server.url}/reports/meetings/")
    chart = page.locator("figure.chart-figure svg").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= page.locator("main").bounding_box()["width"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_the_city_documents_print_each_sheet_on_its_own_page(page, live_server, issues):
    login(page, live_server, "shi")
    page.goto(f"{live_server.url}/issues/documents/")
    page.emulate_media(media="print")
    sheets = page.locator("section.print-sheet")
    expect(sheets).to_have_count(2)
    assert sheets.nth(1).evaluate("e => getComputedStyle(e).breakBefore") == "page"
    for control in page.locator("section.print-sheet details, section.print-sheet form").all():
        assert not control.is_visible()


def test_the_heat_map_keeps_its_row_names_on_one_line(page, live_server, issues):
    login(page, live_server, "shi")
    page.goto(f"{live_server.url}/issues/overview/")
    name = page.locator("table.heat tbody th[scope=row]").first
    line = name.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 20")
    assert name.bounding_box()["height"] < 2 * line + 16  # not one character per line


def test_a_wrong_password_is_said_once_in_the_pages_words(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill("shi")
    page.locator("#id_password").fill("wrong-password")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_text("ログインIDまたはパスワードが正しくありません。")).to_have_count(1)
    expect(page.get_by_text("入力内容に誤りがあります")).to_have_count(0)


def test_two_factor_set_up_shows_a_qr_code_beside_the_key(page, live_server):
    login(page, live_server, "center")
    page.goto(f"{live_server.url}/account/2fa/")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    expect(page.locator("#totp-secret")).to_be_visible()


def test_the_case_form_adds_and_removes_care_plan_rows_and_shows_progress(
    page, live_server, meetings
):
    login(page, live_server, "center")
    page.goto(f"{live_server.url}/cases/new/")
    steps = page.locator("nav.form-steps li")
    expect(steps).to_have_count(5)
    expect(steps.first).to_contain_text("基本情報")
    expect(page.locator("[data-formset-body=services] tr:visible")).to_have_count(1)
    page.get_by_role("button", name="サービスの行を追加").click()
    rows = page.locator("[data-formset-body=services] tr:visible")
    expect(rows).to_have_count(2)
    expect(page.locator('input[name="services-TOTAL_FORMS"]')).to_have_value("2")
    before = page.locator("[data-progress-for=part-care-plan]").inner_text()
    rows.nth(1).locator("input[name$=monthly_count]").fill("8")
    expect(page.locator("[data-progress-for=part-care-plan]")).not_to_have_text(before)
    rows.nth(1).get_by_role("button", name="この行を削除").click()
    expect(page.locator("[data-formset-body=services] tr:visible")).to_have_count(1)
    expect(page.locator('input[name="services-1-DELETE"]')).to_be_checked()
    expect(page.get_by_text("---------")).to_have_count(0)


def test_the_monthly_report_pdf_is_made_in_the_background_and_then_reused(page, live_server):
    """The city-wide monthly PDF grows with the centers, so a worker makes it (run here, in the
    test's process): ask, watch the job's page until the download is offered, download; asked
    again while the figures are unchanged, the kept file comes at once."""
    login(page, live_server, "shi")
    page.goto(f"{live_server.url}/business/monthly/?month=2026-10")
    page.get_by_role("link", name="PDF（A4）").click()
    page.get_by_role("button", name="PDFを作成する").click()
    expect(page.get_by_role("heading", name="月次報告（PDF）の作成")).to_be_visible()
    assert run_queued_tasks() == 1
    with page.expect_download() as made:
        page.get_by_role("link", name="PDFをダウンロード").click()
    pdf = Path(made.value.path()).read_bytes()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "月次事業実施状況" in text and "令和8年10月" in text
    page.goto(f"{live_server.url}/business/monthly/?month=2026-10")
    with page.expect_download() as kept:
        page.get_by_role("link", name="PDF（A4）").click()
    assert Path(kept.value.path()).read_bytes() == pdf
