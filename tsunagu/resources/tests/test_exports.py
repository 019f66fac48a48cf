"""CSV, XLSX and the area's PDF list, each opened back as a person would."""

import csv
import datetime
import io
import subprocess

from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.audit.models import AuditEntry
from tsunagu.resources.exports import COLUMNS

from .conftest import TODAY, make_resource


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", "-", "-"],
        input=body,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def test_csv_opens_back_with_the_import_columns(staff_client, resource):
    response = staff_client.get(reverse("resources:resource_export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="resources.csv"'
    assert response.content.startswith("\ufeff".encode())  # BOM for Excel
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    record = dict(zip(COLUMNS, rows[1], strict=True))
    assert record["名称"] == "いきいきサロン明" and record["種別"] == "サロン"
    assert record["対象圏域"] == "明第1" and record["会場名"] == "明第1町会会館"
    assert record["日時"] == "第2・第4火曜 10:00〜12:00" and record["定員"] == "20"
    assert record["最終確認日"] == resource.last_confirmed_on.isoformat()
    assert AuditEntry.objects.get(action="report.exported").data["format"] == "csv"


def test_the_export_follows_the_lists_filters(staff_client, municipality, resource):
    make_resource(municipality, "市全域の配食", kind="meals", schedule_text="平日 11:00〜13:00")
    rows = list(
        csv.reader(
            io.StringIO(
                staff_client.get(
                    reverse("resources:resource_export_csv"), {"kind": "meals"}
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert [r[0] for r in rows[1:]] == ["市全域の配食"]


def test_xlsx_opens_back(staff_client, municipality, resource):
    make_resource(municipality, "市全域の配食", kind="meals", schedule_text="")
    response = staff_client.get(reverse("resources:resource_export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    by_name = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]}
    assert by_name["いきいきサロン明"]["定員"] == 20
    assert by_name["いきいきサロン明"]["最終確認日"].date() == resource.last_confirmed_on
    assert by_name["市全域の配食"]["対象圏域"] == "市全域"


def test_the_area_list_pdf_reads_back(staff_client, municipality, area, second_area, resource):
    make_resource(
        municipality, "市全域の配食サービス", kind="meals", schedule_text="平日 11:00〜13:00"
    )
    make_resource(municipality, "西のサロン", areas=[second_area])
    make_resource(municipality, "二圏域の体操", kind="gathering", areas=[second_area, area])
    make_resource(municipality, "休止中の体操教室", kind="gathering", areas=[area], status="paused")
    response = staff_client.get(reverse("resources:resource_area_pdf", args=[area.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "明第1圏域の社会資源一覧" in text
    assert "いきいきサロン明" in text and "明第1町会会館" in text and "1回100円" in text
    assert "第2・第4火曜 10:00〜12:00" in text and "047-000-1111" in text
    assert "市全域の配食サービス" in text  # the whole municipality's too
    assert text.count("二圏域の体操") == 1  # a resource of several areas, once
    assert "西のサロン" not in text  # another area's
    assert "休止中の体操教室" not in text  # not running: not handed to residents
    assert text.index("サロン") < text.index("配食")  # grouped by kind, in the kinds' order


def test_the_area_list_of_another_municipality_is_not_found(outsider_client, area):
    assert (
        outsider_client.get(reverse("resources:resource_area_pdf", args=[area.pk])).status_code
        == 404
    )


def test_stale_resources_are_listed_with_their_date(staff_client, municipality):
    make_resource(
        municipality, "古い情報のサロン", last_confirmed_on=TODAY - datetime.timedelta(days=800)
    )
    body = staff_client.get(reverse("resources:resource_list")).content.decode()
    assert "要確認" in body
