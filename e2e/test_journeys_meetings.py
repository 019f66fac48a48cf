"""Journeys through meetings, the 開催状況 report and cases, on the full demo data."""

import csv
import datetime
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tsunagu.accounts.models import User
from tsunagu.cases.models import Case
from tsunagu.demo.meetings import SAMPLE
from tsunagu.meetings.models import Meeting
from tsunagu.meetings.presets import load_preset
from tsunagu.organizations.models import Municipality

from .checks import assert_accessible
from .conftest import login

pytestmark = pytest.mark.browser

MINUTES_TEXT = "A氏 80代 女性"


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


def test_it_imports_a_schedule_and_exports_the_matrix_as_excel(page, live_server, demo, tmp_path):
    shi = User.objects.get(username="shi")
    matsukaze = Municipality.objects.get(code="129909")
    load_preset(municipality=matsukaze, key="matsudo", by=shi)
    login(page, live_server, "shi")
    page.get_by_role("link", name="会議", exact=True).click()
    page.get_by_role("link", name="取り込み").click()
    expect(page.locator("h1")).to_have_text("会議の取り込み")

    # A file with one unknown center: every problem is listed, nothing is imported.
    lines = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    broken = tmp_path / "schedule.csv"
    broken.write_text("\n".join([*lines, "架空センター,5月1日"]) + "\n", encoding="utf-8")
    page.get_by_label("ファイル（.csv / .xlsx / .tsv）").set_input_files(broken)
    page.get_by_label("年度").select_option("令和4年度")
    page.get_by_role("button", name="内容を確認する").click()
    expect(page.get_by_role("alert")).to_contain_text("架空センター")
    assert_accessible(page)
    assert not Meeting.objects.filter(municipality=matsukaze).exists()
    # The file and the year are kept: the page names the file, the year stays chosen.
    expect(page.get_by_text("選んだファイル「schedule.csv」を使います。")).to_be_visible()
    expect(page.get_by_label("年度")).to_have_value("令和4年度")
    # The template files are offered.
    with page.expect_download() as template_info:
        page.get_by_role("link", name="Excel（.xlsx）").first.click()
    template = tmp_path / template_info.value.suggested_filename
    template_info.value.save_as(template)
    assert load_workbook(template).active["A1"].value == "センター"

    page.get_by_label("ファイル（.csv / .xlsx / .tsv）").set_input_files(SAMPLE)
    page.get_by_role("button", name="内容を確認する").click()
    preview = page.get_by_role("status").filter(has_text="件の会議を取り込めます")
    expect(preview).to_be_visible()
    assert_accessible(page)  # the preview: a summary, a confirm button and a long table
    count = int(re.search(r"(\d+)件", preview.inner_text()).group(1))
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_text(f"{count}件の会議を取り込みました。")).to_be_visible()
    start, end = datetime.date(2022, 4, 1), datetime.date(2023, 3, 31)
    assert Meeting.objects.filter(municipality=matsukaze, date__range=(start, end)).count() == count

    page.get_by_role("link", name="開催状況").click()
    page.get_by_label("年度").fill("2022")
    page.get_by_role("button", name="表示").click()
    expect(page.locator("h1")).to_contain_text("開催状況")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    # The exported table says what the imported file said: each center's dates per body.
    sheet = load_workbook(path).active
    exported = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    header = exported[1]
    source = list(csv.reader(lines))
    bodies = [(index, name) for index, name in enumerate(source[0]) if name and index > 0]
    for row in source[1:]:
        # The file names a center by its 圏域 (as Matsudo's table does); the export in full.
        center = next(r for r in exported[2:] if r[0] == f"{row[0]}地域包括支援センター")
        for index, body in bodies:
            end_index = next((i for i, _ in bodies if i > index), len(row))
            dates = [re.match(r"\d+月\d+日", d).group(0) for d in row[index:end_index] if d]
            cell = center[header.index(body)]
            assert [re.match(r"\d+月\d+日", d).group(0) for d in cell.splitlines()] == dates, (
                row[0],
                body,
            )


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
