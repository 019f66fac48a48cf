import io
import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.audit.models import AuditEntry
from tsunagu.cases.models import Case

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "benefit_data_2021_10.csv"


def upload(client, month="令和3年10月", content=None):
    data = SAMPLE.read_bytes() if content is None else content
    return client.post(
        reverse("cases:screening"),
        {"file": SimpleUploadedFile("benefit.csv", data, content_type="text/csv"), "month": month},
    )


def test_it_lists_flagged_plans_and_offices(city_client):
    body = upload(city_client).content.decode()
    assert "届出対象のケアプラン（9件" in body and "U0013" in body and "U0015" not in body
    assert "対象の居宅介護支援事業所（1件" in body and "1270000011" in body
    assert AuditEntry.objects.filter(action="screening.run").exists()


def test_it_exports_the_result_as_xlsx(city_client):
    upload(city_client)
    response = city_client.get(reverse("cases:screening_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["届出対象のケアプラン", "対象の居宅介護支援事業所"]


def test_it_turns_a_flagged_plan_into_a_case(city_client, center):
    upload(city_client)
    response = city_client.post(
        reverse("cases:screening_to_case"),
        {
            "office_number": "1270000052",
            "user_number": "U0013",
            "center": center.pk,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.case_type == "life_support" and case.care_level == "care_1"
    assert case.center_reference == "1270000052/U0013"
    assert case.services.get().monthly_count == 28


def test_it_explains_bad_input_and_keeps_nothing(city_client):
    bad = SAMPLE.read_text(encoding="utf-8-sig").replace(",27,", ",-27,", 1).encode()
    body = upload(city_client, content=bad).content.decode()
    assert "件の問題があるため" in body and "行目" in body
    body = upload(city_client, month="十月").content.decode()
    assert "読めません" in body or "年月" in body


def test_only_city_staff_may_screen(viewer_client, staff_client):
    assert viewer_client.get(reverse("cases:screening")).status_code == 403


def test_a_big_upload_saves_no_rows_so_there_are_no_statistics_to_refresh(city_client):
    """Unlike the imports (tsunagu.lib.planner.after_import), screening keeps its result in
    the uploaded file staged for the session and saves nothing but the audit entry: however
    many rows it reads, the planner's statistics have nothing new to learn."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tsunagu.lib.planner import BIG_IMPORT

    header, first, *_ = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    rows = [first.replace("U0001", f"U{i:04d}") for i in range(1, BIG_IMPORT + 2)]
    content = "\n".join([header, *rows]).encode()
    with CaptureQueriesContext(connection) as queries:
        body = upload(city_client, content=content).content.decode()
    assert f"届出対象のケアプラン（{BIG_IMPORT + 1}件" in body
    written = {
        match.group(1)
        for q in queries.captured_queries
        if (match := re.match(r'(?:INSERT INTO|UPDATE|DELETE FROM) "?(\w+)', q["sql"]))
    }
    # The audit trail (entry and chain head) and the session pointing at the staged file.
    assert all(t.startswith("audit_") or t.endswith("session") for t in written), written
