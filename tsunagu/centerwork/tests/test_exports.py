"""The city-wide table as XLSX and PDF, read back."""

import io
import subprocess

from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.centerwork.models import Event
from tsunagu.organizations.models import Center

from .helpers import OCTOBER, consult
from .test_monthly_pdf_job import monthly_pdf_by_job


def test_the_xlsx_holds_the_counts_and_keeps_formulas_as_text(city_client, center):
    sly = Center.objects.create(municipality=center.municipality, name="=HYPERLINK(1)")
    consult(center, OCTOBER, "E-1", "認知症", "虐待(疑い)")
    consult(center, OCTOBER, "E-1", "医療")
    consult(sly, OCTOBER, "E-2", "医療")
    response = city_client.get(reverse("centerwork:monthly_xlsx") + "?month=2026-10")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[2:]}
    mine = by_name[center.name]
    assert (mine["相談 延べ件数"], mine["相談 実人数"]) == (2, 1)
    assert mine["区分 虐待(疑い)"] == 1 and mine["区分 医療"] == 1
    assert by_name["市全体"]["相談 延べ件数"] == 3
    # Kept as text, never run as a formula.
    assert "=HYPERLINK(1)" in by_name
    assert all(sheet.cell(row=r, column=1).data_type != "f" for r in range(1, sheet.max_row + 1))


def test_the_pdf_is_a4_with_the_table(city_client, center):
    Event.objects.create(
        municipality=center.municipality,
        center=center,
        kind="cafe",
        held_on=OCTOBER,
        title="オレンジカフェ",
        participants=17,
    )
    response = monthly_pdf_by_job(city_client)
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "月次事業実施状況" in text and "令和8年10月" in text
    assert center.name[:5] in text and "17" in text
    info = subprocess.run(
        ["pdfinfo", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "A4" in info


def test_the_report_pdf_shows_the_center_and_its_remarks(staff_client, center, center_staff):
    from tsunagu.centerwork import services

    report = services.open_submission(center=center, kind="monthly", day=OCTOBER, by=center_staff)
    services.save_remarks(submission=report, remarks="台風で講座を1回中止", by=center_staff)
    response = staff_client.get(reverse("centerwork:submission_pdf", args=[report.pk]))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "台風で講座を1回中止" in text and "月次事業実施状況報告" in text
