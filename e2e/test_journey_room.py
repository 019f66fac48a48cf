"""A whole meeting run in 会議モード on a 10-inch tablet (768 px wide), as the center runs it:

the organiser signs, three attendees check in and each signs the pledge on the tablet, the
presenter screen opens in a second window and follows the room, two cases get advice from
the three attendees, a 支援方針 and 役割分担, the meeting is closed, and the 会議録 is read
back as PDF (pdftotext) and Word. The user actions (clicks and fills) of one case review are
counted: docs/features/meeting-room.md gives the figure.
"""

import datetime
import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from conftest import run_queued_tasks
from tsunagu.accounts.models import User
from tsunagu.cases import services as case_services
from tsunagu.cases.minutes import docx_text
from tsunagu.cases.models import Advice, Case, CaseReview
from tsunagu.meetings import services as meeting_services
from tsunagu.meetings.models import Attendance, Meeting, MeetingType
from tsunagu.organizations.models import Center, Person

from .checks import assert_accessible
from .conftest import assert_only_live_server, login

pytestmark = pytest.mark.browser

CENTER = "明第1地域包括支援センター"
TABLET = {"width": 768, "height": 1024}


class Counter:
    """Clicks and fills made by the user, counted per part of the journey."""

    def __init__(self):
        self.counts = {}
        self.part = "setup"

    def click(self, locator):
        self.counts[self.part] = self.counts.get(self.part, 0) + 1
        locator.click()

    def fill(self, locator, text):
        self.counts[self.part] = self.counts.get(self.part, 0) + 1
        locator.fill(text)

    def select(self, locator, **option):
        self.counts[self.part] = self.counts.get(self.part, 0) + 1
        locator.select_option(**option)

    def check(self, locator):
        self.counts[self.part] = self.counts.get(self.part, 0) + 1
        locator.check()


def prepared_meeting(by):
    """明第1's 地域個別ケア会議 today: three attendees (one not in the directory) and two cases
    ready on its agenda, as the preparing pages leave it."""
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
    for profession in ("dietitian", "physiotherapist"):
        person = Person.objects.filter(municipality=center.municipality, profession=profession)
        meeting_services.add_attendee(
            meeting=meeting,
            attendance=Attendance(person=person.order_by("id").first(), role="adviser"),
            by=by,
        )
    meeting_services.add_attendee(
        meeting=meeting,
        attendance=Attendance(name="飛入 薬子", profession="pharmacist", role="adviser"),
        by=by,
    )
    reviews = []
    for n, (question, household) in enumerate(
        [
            ("買い物に一人で行けるようになりたい。歩行の不安をどう減らすか", "alone"),
            ("食事量が落ちて体重が減っている。低栄養を防ぐ方法を検討したい", "elderly_only"),
        ],
        start=1,
    ):
        case = case_services.create_case(
            case=Case(
                municipality=center.municipality,
                center=center,
                status="ready",
                center_reference=f"明1-内部-{n}",
                case_type="independence",
                age_band="80",
                sex="female",
                care_level="support_2",
                household=household,
                question=question,
            ),
            by=by,
        )
        reviews.append(case_services.put_on_agenda(case=case, meeting=meeting, by=by))
    return meeting, reviews


TOUCH_TARGET = 44  # px: the smallest height a finger hits reliably (WCAG 2.5.5)


def control_heights(page) -> dict[str, float]:
    """The lowest height of each kind of visible control in the room (buttons, inputs,
    selects and text areas, by their name or text; tick boxes excepted: their label is the
    target)."""
    controls = page.locator(
        "main button, main select, main textarea, main a.button, "
        "main input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
    )
    heights: dict[str, float] = {}
    for index in range(controls.count()):
        control = controls.nth(index)
        box = control.bounding_box()
        if box is None or not control.is_visible():
            continue
        key = control.get_attribute("name") or control.inner_text().strip()[:20]
        heights[key] = min(box["height"], heights.get(key, box["height"]))
    return heights


def assert_touch_sized(page, *expected: str) -> None:
    heights = control_heights(page)
    assert set(expected) <= set(heights), (expected, heights)  # the main controls were measured
    small = {key: height for key, height in heights.items() if height < TOUCH_TARGET}
    assert not small, small


def test_a_whole_meeting_runs_on_a_tablet(browser, live_server, meetings):
    by = User.objects.get(username="center")
    meeting, reviews = prepared_meeting(by)
    attendances = list(meeting.attendances.all())
    context = browser.new_context(locale="ja-JP", viewport=TABLET, has_touch=True)
    context.set_default_timeout(8_000)
    seen = []
    context.on("request", lambda r: seen.append(r.url))
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    user = Counter()
    try:
        login(page, live_server, "center")
        room_url = f"{live_server.url}/meetings/{meeting.pk}/room/"

        # The organiser signs first (the room shows case content), then opens the room.
        user.part = "organiser"
        page.goto(room_url)
        user.click(page.locator(f"a[href='/meetings/{meeting.pk}/pledge/']"))
        user.check(page.get_by_label("個人情報基本方針を読み、上記の誓約書の内容に同意します。"))
        user.click(page.get_by_role("button", name="署名する"))
        page.goto(room_url)
        expect(page.locator("h1")).to_contain_text("会議モード")

        # Check-in: each attendee present, and each signs on the tablet as themselves.
        user.part = "check-in"
        assert_touch_sized(page, "出席にする", "run")  # run: 検討を開始 / 終了
        for attendance in attendances:
            row = page.locator(f"#attendee-{attendance.pk}")
            user.click(row.get_by_role("button", name="出席にする"))
            user.fill(row.get_by_label("氏名（ご本人が入力）"), attendance.name)
            if not attendance.affiliation:  # not in the directory: they write where from
                user.fill(row.get_by_label("所属・団体または住所"), "みどり薬局")
            user.check(row.get_by_label("個人情報基本方針を読み、上記の誓約書の内容に同意します。"))
            user.click(row.get_by_role("button", name="署名する"))
            expect(row).to_contain_text("署名済")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        # The presenter screen in a second window, for the shared display.
        user.part = "screen"
        with context.expect_page() as opened:
            user.click(page.get_by_role("link", name="大画面表示を開く"))
        screen = opened.value
        screen.wait_for_load_state()

        advice_texts = [
            [
                "たんぱく質を毎食とれるよう、配食と間食を組み合わせる",
                "手すりの位置を見直し、週2回の体操に",
                "服薬は朝1回にまとめられる",
            ],
            [
                "体重を月1回測り記録する",
                "買い物は押し車で近くの店から",
                "食欲を落とす薬がないか確認する",
            ],
        ]
        for index, review in enumerate(reviews):
            user.part = f"case {index + 1}"
            section = page.locator(f"#case-{review.pk}")
            user.click(section.get_by_role("button", name="検討を開始"))
            expect(screen.locator("h1")).to_contain_text(f"事例{index + 1}", timeout=10_000)
            expect(screen.locator(".screen-question")).to_contain_text(review.case.question[:10])
            for attendance, text in zip(attendances, advice_texts[index], strict=True):
                new = section.locator(f"#advice-new-{review.pk}")
                user.select(
                    new.get_by_label("助言者（出席者から選ぶ・職種は自動）"),
                    value=str(attendance.pk),
                )
                user.fill(new.get_by_label("助言", exact=True), text)
                user.click(new.get_by_role("button", name="助言を追加"))
                expect(section.locator(f"#advice-list-{review.pk}")).to_contain_text(text)
            user.fill(
                section.get_by_label("支援方針"), f"方針{index + 1}：{advice_texts[index][0]}"
            )
            expect(section.locator(f"#policy-status-{review.pk}")).to_contain_text("保存しました")
            new = section.locator(f"#action-new-{review.pk}")
            user.fill(new.get_by_label("担当（名簿外・機関名）"), "社会福祉協議会")
            user.fill(new.get_by_label("内容"), f"配食サービスの調整（事例{index + 1}）")
            user.fill(
                new.get_by_label("期限"),
                (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
            )
            user.click(new.get_by_role("button", name="役割分担を追加"))
            expect(section.locator(f"#action-list-{review.pk} li")).to_have_count(1)
            expect(
                section.locator(f"#action-list-{review.pk}").get_by_label("担当（名簿外・機関名）")
            ).to_have_value("社会福祉協議会")

        assert_accessible(page)
        assert_accessible(screen)
        # Fingers on a 10-inch tablet: every control of the room at least 44 px high.
        assert_touch_sized(
            page,
            "attendance",  # 助言者
            "text",  # 助言
            "助言を追加",
            "support_policy",
            "responsible",
            "responsible_label",
            "what",
            "due_on",
            "役割分担を追加",
            "summary",  # 開催結果の要約
            "会議を終了して記録を確定",
        )

        # A row already saved is changed in place and saved when the field is left.
        user.part = "edit"
        first_advice = Advice.objects.filter(review=reviews[0]).order_by("id").first()
        row = page.locator(f"#advice-{first_advice.pk}")
        with page.expect_response(lambda r: f"/room/advice/{first_advice.pk}/" in r.url):
            user.fill(row.get_by_label("助言", exact=True), advice_texts[0][0] + "（追記）")
            row.get_by_label("助言", exact=True).blur()
        first_advice.refresh_from_db()
        assert first_advice.text.endswith("（追記）")

        # An error next to its field keeps what was typed elsewhere on the page.
        user.part = "error"
        first = page.locator(f"#case-{reviews[0].pk}")
        first.locator(f"#advice-new-{reviews[0].pk}").get_by_label("助言", exact=True).fill(
            "途中まで"
        )
        second_new = page.locator(f"#action-new-{reviews[1].pk}")
        second_new.get_by_label("内容").fill("担当なしの役割")
        second_new.get_by_role("button", name="役割分担を追加").click()
        expect(second_new.locator(".field-error")).to_contain_text("担当者を名簿から選ぶか")
        expect(
            first.locator(f"#advice-new-{reviews[0].pk}").get_by_label("助言", exact=True)
        ).to_have_value("途中まで")
        expect(page.locator(f"#action-new-{reviews[1].pk}").get_by_label("内容")).to_have_value(
            "担当なしの役割"
        )

        # Close: 検討事例数 comes from the agenda.
        user.part = "close"
        page.goto(room_url + "#close")
        user.fill(
            page.get_by_label("開催結果の要約"),
            "2事例について助言を受け、支援方針と役割分担を決めた。",
        )
        user.click(page.get_by_role("button", name="会議を終了して記録を確定"))
        expect(page.get_by_text("会議を終了し、記録を確定しました。")).to_be_visible()
        meeting.refresh_from_db()
        assert meeting.is_closed and meeting.cases_reviewed == 2

        # The 会議録 PDF is made by a worker (run here, in the test's process): the page that
        # asks for it, the job's page polling until the download is offered, the download.
        page.get_by_role("link", name="会議録（PDF）").first.click()
        page.get_by_role("button", name="PDFを作成する").click()
        expect(page.get_by_role("heading", name="会議録（PDF）の作成")).to_be_visible()
        assert run_queued_tasks() == 1
        with page.expect_download() as pdf_download:
            page.get_by_role("link", name="PDFをダウンロード").click()
        pdf = Path(pdf_download.value.path()).read_bytes()
        # Asked again while the record is unchanged: the kept file at once, no worker.
        page.goto(room_url + "#close")
        with page.expect_download() as kept_download:
            page.get_by_role("link", name="会議録（PDF）").first.click()
        assert Path(kept_download.value.path()).read_bytes() == pdf
        with page.expect_download() as docx_download:
            page.get_by_role("link", name="会議録（Word）").first.click()
        docx = Path(docx_download.value.path()).read_bytes()

        # On a phone too: no sideways scroll.
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(room_url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
    assert_only_live_server(seen, live_server)

    text = (
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
        )
        .stdout.decode()
        .replace("\n", "")
    )
    assert zipfile.is_zipfile(io.BytesIO(docx))
    word = docx_text(docx).replace("\n", "")
    # Read by python-docx as well, the reader of the format itself, not only by this project's
    # own docx_text: paragraphs and table cells.
    read = Document(io.BytesIO(docx))
    cells = [cell.text for table in read.tables for row in table.rows for cell in row.cells]
    python_docx = "".join([p.text for p in read.paragraphs] + cells).replace("\n", "")
    assert "会議録" in python_docx and read.tables  # headings and the tables are there
    assert "社会福祉協議会" in python_docx
    for index in (1, 2):
        assert f"配食サービスの調整（事例{index}）" in python_docx
    for document in (text, word, python_docx):
        for review in reviews:
            assert review.case.code in document
        for texts in advice_texts:
            for advice in texts:
                assert advice in document
        assert "（追記）" in document
        assert "明1-内部" not in document  # the center's own number never appears
    assert Advice.objects.filter(review__meeting=meeting).count() == 6
    assert CaseReview.objects.filter(meeting=meeting, reviewed_at__isnull=False).count() == 2
    per_case = user.counts["case 1"]
    print(f"\n会議モードの操作数: {user.counts}（1事例あたり {per_case}）")
    # The figure docs/features/meeting-room.md and the README give: start (1), three advices
    # of attendee, text and add (9), the 支援方針 (1) and one 役割分担 of who, what, by when
    # and add (4). Every step is scripted, so the count is exact, not a measurement.
    assert per_case == user.counts["case 2"] == 15
