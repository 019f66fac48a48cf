"""A case's way through the system, one role at a time, on the demo data:

the care manager prepares and submits it; the center schedules a meeting, invites the adviser
and puts the case on the agenda; the adviser signs the pledge and reads it inside the window
(and is refused outside it); the meeting's advice, actions and closing are recorded; the
事例提供シート is downloaded. Each test starts from the state the step before leaves, set up
through the services, so that each role's journey can fail (and be read) on its own.
"""

import datetime
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tsunagu.accounts.models import Membership, User
from tsunagu.cases import services as case_services
from tsunagu.cases.models import Case, CaseReview
from tsunagu.confidentiality.access import privacy_settings
from tsunagu.meetings import services as meeting_services
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, Pledge
from tsunagu.meetings.services import record_pledge
from tsunagu.organizations.models import Center

from .checks import assert_accessible
from .conftest import login

pytestmark = pytest.mark.browser

CENTER = "明第1地域包括支援センター"
QUESTION = "通院の付き添いが難しくなった。通院を続ける方法を検討したい"


def member(username):
    return Membership.objects.select_related("municipality", "person", "center").get(
        user__username=username, municipality__code="129909"
    )


def ready_case(by):
    """The demo's draft, submitted and made ready for a meeting (as the center would)."""
    case = Case.objects.get(municipality__code="129909", status="draft")
    case_services.move(case=case, to="submitted", by=by)
    return case_services.move(case=case, to="ready", by=by)


def meeting_today(by, *, adviser):
    """A 地域個別ケア会議 of 明第1 today, with the adviser invited."""
    center = Center.objects.get(municipality__code="129909", name=CENTER)
    meeting = meeting_services.save_meeting(
        meeting=Meeting(
            municipality=center.municipality,
            meeting_type=MeetingType.objects.get(
                municipality=center.municipality, name="地域個別ケア会議"
            ),
            center=center,
            date=timezone.localdate(),
            venue="明第1地区 地域会館",
        ),
        by=by,
    )
    meeting_services.add_attendee(
        meeting=meeting,
        attendance=Attendance(person=member(adviser).person, role="adviser"),
        by=by,
    )
    return meeting


def test_it_lets_the_care_manager_prepare_and_submit_a_case(page, live_server, meetings):
    login(page, live_server, "cm")
    page.get_by_role("link", name="事例", exact=True).click()
    page.get_by_role("link", name="事例を作成").click()
    expect(page.locator("h1")).to_have_text("事例の作成")

    page.get_by_label("担当センター").select_option(label=CENTER)
    page.get_by_label("事例の種類").select_option(label="自立支援・介護予防")
    page.get_by_label("年齢").select_option(label="80〜84歳")
    page.get_by_label("性別").select_option(label="男性")
    page.get_by_label("要介護度").select_option(label="要介護1")
    page.get_by_label("世帯").select_option(label="独居")
    # A name slipped into the text: the page offers the masked text before saving.
    page.get_by_label("検討したい点").fill("山田太郎さんの" + QUESTION)
    page.get_by_label("1行目のサービス").select_option(label="訪問介護（生活援助）")
    page.get_by_label("1行目の月の回数").fill("30")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", name=re.compile("個人を特定できる情報"))).to_be_visible()
    assert_accessible(page)  # the review step is a page of its own for a screen reader
    page.get_by_role("button", name="伏せ字にして保存").click()

    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert "山田" not in case.question and QUESTION in case.question
    assert case.care_manager_id == member("cm").person_id
    expect(page.locator(".status")).to_have_text("下書き")
    # 30 visits of 生活援助 a month is over the 要介護1 threshold: the page says so.
    expect(page.get_by_text("届出対象")).to_be_visible()

    page.get_by_role("button", name="「提出済」にする").click()
    expect(page.locator(".status")).to_have_text("提出済")
    case.refresh_from_db()
    assert case.status == "submitted"
    # The work list shows it under 提出済.
    page.goto(f"{live_server.url}/cases/?status=submitted")
    expect(page.locator("#results tbody tr", has_text=case.code)).to_have_count(1)


def test_it_lets_the_center_schedule_a_meeting_and_put_the_case_on_it(page, live_server, meetings):
    case = Case.objects.get(municipality__code="129909", status="draft")
    case_services.move(case=case, to="submitted", by=User.objects.get(username="cm"))
    adviser = member("jogen").person
    day = timezone.localdate() + datetime.timedelta(days=3)

    login(page, live_server, "center")
    page.get_by_role("link", name="会議", exact=True).click()
    page.get_by_role("link", name="会議を登録").click()
    page.get_by_label("会議体").select_option(label="地域個別ケア会議")
    page.get_by_label("主催センター").select_option(label=CENTER)
    page.get_by_label("開催日").fill(day.isoformat())
    page.get_by_label("開始時刻").fill("14:00")
    page.get_by_label("会場").fill("明第1地区 地域会館")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert meeting.date == day and meeting.center.name == CENTER

    page.get_by_role("link", name="出席者").click()
    page.get_by_label("氏名・所属").fill(adviser.name)
    page.get_by_role("button", name="探す").click()
    # The list also follows the typing (htmx, after a pause): let it settle before ticking.
    expect(page.locator("#picker tbody tr")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    page.get_by_label(f"{adviser.name}さんを招待").check()
    page.get_by_label("招待する役割").select_option(label="助言者")
    page.get_by_role("button", name="選んだ人を招待").click()
    expect(page.get_by_text("1名を招待しました。")).to_be_visible()

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("button", name="「会議準備完了」にする").click()
    expect(page.locator(".status")).to_have_text("会議準備完了")
    agenda = page.get_by_label("会議の議題に載せる")
    agenda.select_option(value=str(meeting.pk))
    page.get_by_role("button", name="載せる").click()
    expect(page.get_by_text("の議題に載せました。")).to_be_visible()

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("link", name="議題の事例（追加・順番・予定時間）").click()
    expect(page.locator("main table tbody tr", has_text=case.code)).to_have_count(1)
    assert CaseReview.objects.filter(case=case, meeting=meeting).exists()
    assert Attendance.objects.get(meeting=meeting, person=adviser).role == "adviser"


def test_it_lets_the_adviser_read_the_case_only_with_a_pledge_and_inside_the_window(
    page, live_server, meetings
):
    center_user = User.objects.get(username="center")
    case = ready_case(center_user)
    meeting = meeting_today(center_user, adviser="jogen")
    case_services.put_on_agenda(case=case, meeting=meeting, by=center_user)

    login(page, live_server, "jogen")
    page.get_by_role("link", name="事例", exact=True).click()
    page.get_by_role("link", name=case.code).click()
    # In scope (the adviser attends the meeting), but no pledge yet: why, and where to sign.
    expect(page.get_by_text("誓約書への署名が必要です")).to_be_visible()
    expect(page.get_by_text(case.question)).to_have_count(0)

    page.get_by_role("link", name=re.compile("地域個別ケア会議.*の誓約書")).click()
    page.get_by_label("個人情報基本方針を読み、上記の誓約書の内容に同意します。").check()
    page.get_by_role("button", name="署名する").click()
    expect(page.get_by_text("誓約書に署名しました。")).to_be_visible()
    assert Pledge.objects.filter(meeting=meeting, user__username="jogen").exists()

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_text(case.question)).to_be_visible()  # the meeting is today

    # The day after the window closes (the server's clock cannot be moved: the meeting is).
    window = privacy_settings(meeting.municipality)
    Meeting.objects.filter(pk=meeting.pk).update(
        date=timezone.localdate() - datetime.timedelta(days=window.adviser_days_after + 1)
    )
    response = page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert response.status == 403
    expect(
        page.get_by_text(
            f"外部の助言者は、会議の{window.adviser_days_before}日前から"
            f"{window.adviser_days_after}日後まで"
        )
    ).to_be_visible()
    expect(page.get_by_text(case.question)).to_have_count(0)
    response = page.goto(f"{live_server.url}/cases/{case.pk}/sheet.pdf")
    assert response.status == 403  # nor through the printed sheet


def test_it_records_advice_actions_and_closes_the_meeting_and_the_case(page, live_server, meetings):
    center_user = User.objects.get(username="center")
    case = ready_case(center_user)
    meeting = meeting_today(center_user, adviser="jogen")
    review = case_services.put_on_agenda(case=case, meeting=meeting, by=center_user)
    adviser = member("jogen").person

    login(page, live_server, "center")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("link", name="誓約書を読んで署名する").click()
    page.get_by_label("個人情報基本方針を読み、上記の誓約書の内容に同意します。").check()
    page.get_by_role("button", name="署名する").click()
    expect(page.get_by_text("誓約書に署名しました。")).to_be_visible()

    # At the meeting: the agenda, then the record of this case's review.
    page.get_by_role("link", name="議題の事例（追加・順番・予定時間）").click()
    page.get_by_role("link", name=case.code, exact=True).click()
    expect(page.locator("h1")).to_contain_text("事例検討")
    page.get_by_label("支援方針").fill(
        "金銭管理は日常生活自立支援事業につなぎ、買い物は配達を使う。"
    )
    page.get_by_role("button", name="支援方針を記録（検討済にする）").click()
    expect(page.locator(".policy-text")).to_contain_text("日常生活自立支援事業")

    page.get_by_label("助言者", exact=True).fill(adviser.name)
    page.get_by_label("職種").select_option(label="理学療法士")
    page.get_by_label("助言", exact=True).fill("歩行器を使えば近くの店まで歩ける。")
    page.get_by_role("button", name="助言を追加").click()
    expect(page.locator("main table").first).to_contain_text("歩行器を使えば")

    page.get_by_label("担当（名簿外・機関名）").fill("社会福祉協議会")
    page.get_by_label("内容").fill("日常生活自立支援事業の説明に同行する")
    due = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("期限").fill(due.isoformat())
    page.get_by_role("button", name="役割分担を追加").click()
    what = "日常生活自立支援事業の説明に同行する"
    expect(page.get_by_role("cell", name=what, exact=True)).to_be_visible()
    page.get_by_label(f"「{what}」の状況").select_option(label="対応中")
    page.get_by_role("button", name="更新").click()
    expect(page.get_by_label(f"「{what}」の状況")).to_have_value("in_progress")

    review.refresh_from_db()
    assert review.reviewed_at is not None
    assert review.advice.get().profession == "physiotherapist"
    assert (review.actions.get().due_on, review.actions.get().status) == (due, "in_progress")
    case.refresh_from_db()
    assert case.status == "reviewed"

    # After the meeting: who was there, then the closing summary.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/attendance/")
    page.get_by_label(f"{adviser.name}さんが出席").check()
    page.get_by_role("button", name="出席と役割を保存").click()
    expect(page.get_by_text("出席を記録しました。")).to_be_visible()
    # The adviser handed in the paper 誓約書: everyone present has signed, so it may close.
    record_pledge(
        pledge=Pledge(
            municipality=meeting.municipality,
            meeting=meeting,
            person=adviser,
            signer_name=adviser.name,
            affiliation="所属",
            method="paper",
        ),
        by=center_user,
    )
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/close/")
    page.get_by_label("開催結果の要約").fill(
        "認知症の方の金銭管理と買い物について支援方針を決めた。"
    )
    page.get_by_label("検討事例数").fill("1")
    page.get_by_role("button", name="記録して確定").click()
    expect(page.get_by_text("実施済として確定しました。")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.closed_at is not None

    # The case is followed up, then closed.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("button", name="「モニタリング中」にする").click()
    expect(page.locator(".status")).to_have_text("モニタリング中")
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    page.locator("main table", has_text="か月後").get_by_role("link", name="記録").first.click()
    page.get_by_label("結果").select_option(label="改善")
    page.get_by_role("button", name="記録", exact=True).click()
    expect(page.get_by_text("モニタリングの結果を記録しました。")).to_be_visible()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("button", name="「終結」にする").click()
    expect(page.locator(".status")).to_have_text("終結")
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on == timezone.localdate()


def test_it_downloads_the_case_sheet_as_pdf(page, live_server, meetings, tmp_path):
    case = Case.objects.get(municipality__code="129909", status="draft")
    login(page, live_server, "center")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="事例提供シート（PDF）").click()
    download = download_info.value
    assert download.suggested_filename == f"case_sheet_{case.code}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "事例提供シート" in text
    assert case.code in text
    assert case.question in text
