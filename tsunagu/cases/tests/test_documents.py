"""事例提供シート and 会議録 as PDF, the work list as XLSX: content read back, and the gate."""

import datetime
import io
import subprocess

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import logged_in
from tsunagu.audit.models import AuditEntry
from tsunagu.cases.models import (
    Action,
    Advice,
    AssessmentRow,
    CarePlanService,
    Case,
    CaseReview,
)
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.meetings.models import Meeting, MeetingType, Pledge

TODAY = timezone.localdate()


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_fonts(body: bytes) -> str:
    result = subprocess.run(["pdffonts", "-"], input=body, capture_output=True, check=False)
    return result.stdout.decode("utf-8", "replace")


def new_case(municipality, center, n=1, **fields):
    values = {
        "municipality": municipality,
        "code": f"T-{n:03d}",
        "center": center,
        "status": "ready",
        "case_type": "independence",
        "age_band": "80",
        "sex": "female",
        "care_level": "care_1",
        "household": "alone",
    }
    values.update(fields)
    return Case.objects.create(**values)


@pytest.fixture
def case(municipality, center):
    case = new_case(
        municipality,
        center,
        main_diseases="変形性膝関節症",
        medication_count=7,
        wishes="自分で買い物に行きたい",
        question="外出の機会を増やすには",
        exercise="週1回の体操",
        social="サロンに月2回",
    )
    CarePlanService.objects.create(case=case, service_type="home_help_life", monthly_count=12)
    CarePlanService.objects.create(case=case, service_type="day_service", monthly_count=8)
    AssessmentRow.objects.create(
        case=case, item="shopping", current="partial", factors="膝の痛み", prospect="improve"
    )
    return case


@pytest.fixture
def meeting(municipality, center):
    body = MeetingType.objects.create(
        municipality=municipality,
        name="地域個別ケア会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        reviews_cases=True,
    )
    return Meeting.objects.create(
        municipality=municipality, meeting_type=body, center=center, date=TODAY
    )


@pytest.fixture
def review(case, meeting):
    review = CaseReview.objects.create(
        case=case, meeting=meeting, support_policy="通いの場への参加を目標にする"
    )
    Advice.objects.create(
        review=review, adviser_name="青木 修", profession="physiotherapist", text="立ち上がり練習を"
    )
    Action.objects.create(
        review=review,
        responsible_label="地域包括支援センター",
        what="サロンの情報を届ける",
        due_on=datetime.date(2026, 12, 1),
    )
    return review


def pledge(user, meeting):
    Pledge.objects.create(
        municipality=meeting.municipality,
        meeting=meeting,
        user=user,
        signer_name="署名",
        affiliation="所属",
        method="online",
        policy_version=policy_for_signing(meeting.municipality),
    )


def test_the_case_sheet_holds_the_case_content(staff_client, case):
    response = staff_client.get(reverse("cases:case_sheet_pdf", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "事例提供シート",
        case.code,
        "80〜84歳",
        "要介護1",
        "自立支援・介護予防",
        "変形性膝関節症",
        "外出の機会を増やすには",
        "自分で買い物に行きたい",
        "訪問介護（生活援助）",
        "通所介護",
        "買物",
        "一部介助",
        "膝の痛み",
        "週1回の体操",
    ]:
        assert expected in text, expected
    assert "IPAex" in pdf_fonts(response.content)  # embedded Japanese font
    entry = AuditEntry.objects.get(action="case.printed")
    assert entry.target_id == str(case.pk) and entry.data["document"] == "case_sheet"


def test_the_meeting_record_holds_the_review(client, center_staff, review, meeting):
    pledge(center_staff, meeting)
    response = logged_in(client, center_staff).get(
        reverse("cases:meeting_record_pdf", args=[review.pk])
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    for expected in [
        "会議録",
        "地域個別ケア会議",
        "令和",
        "明第1地域包括支援センター",
        "80〜84歳 女性 要介護1 独居",
        "通いの場への参加を目標にする",
        "青木 修",
        "理学療法士",
        "立ち上がり練習を",
        "サロンの情報を届ける",
        "令和8年12月1日",
        "未着手",
    ]:
        assert expected in text, expected
    assert AuditEntry.objects.filter(
        action="case.printed", data__document="meeting_record"
    ).exists()


def test_the_gate(case, review, meeting, outsider, viewer, center_staff, municipality, center):
    sheet = reverse("cases:case_sheet_pdf", args=[case.pk])
    record = reverse("cases:meeting_record_pdf", args=[review.pk])
    export = reverse("cases:case_list_xlsx")
    for url in (sheet, record, export):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url
    outsider_client = logged_in(Client(), outsider)
    assert outsider_client.get(sheet).status_code == 404
    assert outsider_client.get(record).status_code == 404
    # On an agenda: anyone but the case's custodians needs the meeting's pledge.
    viewer_client = logged_in(Client(), viewer)
    assert viewer_client.get(sheet).status_code == 403
    assert viewer_client.get(record).status_code == 403
    assert not AuditEntry.objects.filter(action="case.printed", target_id=str(case.pk)).exists()
    # Its custodians (the center's staff, its care manager) print it without one: changed by
    # the confidentiality issue, which lets custodians read what concerns their own case.
    staff = logged_in(Client(), center_staff)
    assert staff.get(sheet).status_code == 200
    assert staff.get(record).status_code == 200
    # Not yet on an agenda: only those who prepare it may print it.
    draft = new_case(municipality, center, n=2, question="まだ準備中")
    assert viewer_client.get(reverse("cases:case_sheet_pdf", args=[draft.pk])).status_code == 403
    assert staff.get(reverse("cases:case_sheet_pdf", args=[draft.pk])).status_code == 200


def read_xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_work_list_export(staff_client, case, municipality, center, other_municipality):
    new_case(municipality, center, n=2, status="draft", question="秘密の検討点")
    rows = read_xlsx(staff_client.get(reverse("cases:case_list_xlsx")))
    assert rows[0] == ["事例番号", "状態", "センター", "事例の種類", "更新日"]
    assert {row[0] for row in rows[1:]} == {"T-001", "T-002"}
    first = next(row for row in rows if row[0] == "T-001")
    assert first[1:4] == ["会議準備完了", "明第1地域包括支援センター", "自立支援・介護予防"]
    assert first[4].date() == timezone.localdate()
    text = repr(rows)
    assert "秘密の検討点" not in text and "自分で買い物に行きたい" not in text
    assert "要介護1" not in text and "80〜84歳" not in text
    filtered = read_xlsx(staff_client.get(reverse("cases:case_list_xlsx"), {"status": "draft"}))
    assert [row[0] for row in filtered[1:]] == ["T-002"]
    searched = read_xlsx(staff_client.get(reverse("cases:case_list_xlsx"), {"q": "T-001"}))
    assert [row[0] for row in searched[1:]] == ["T-001"]
    assert (
        AuditEntry.objects.filter(action="report.exported", data__report="case_list").count() == 3
    )


def test_the_export_shows_no_other_municipality_cases(outsider_client, case):
    rows = read_xlsx(outsider_client.get(reverse("cases:case_list_xlsx")))
    assert rows[1:] == []


def test_the_export_query_count_does_not_grow_with_cases(staff_client, municipality, center):
    def count(n):
        for i in range(Case.objects.count(), n):
            new_case(municipality, center, n=i + 1)
        with CaptureQueriesContext(connection) as queries:
            rows = read_xlsx(staff_client.get(reverse("cases:case_list_xlsx")))
        assert len(rows) == n + 1
        return len(queries)

    assert count(3) == count(20)
