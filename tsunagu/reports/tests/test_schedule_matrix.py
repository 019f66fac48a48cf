"""The schedule matrix (centers × meeting bodies with their dates) and its exports."""

import csv
import io
import re
import subprocess

from django.urls import reverse
from openpyxl import load_workbook

from conftest import logged_in, make_user, run_queued_tasks
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.lib.fiscal import fiscal_year_range
from tsunagu.meetings.choices import Status
from tsunagu.meetings.models import Meeting, PlanEntry

INDIVIDUAL, SELF_RELIANCE, PROMOTION = (
    "地域個別ケア会議",
    "自立支援型個別ケア会議",
    "地域包括ケア推進会議",
)
FY2021 = {"fy": 2021}


def page(client, params):
    response = client.get(reverse("reports:schedule_matrix"), params)
    assert response.status_code == 200
    return response.content.decode()


def totals(html):
    """The 合計 row, as numbers in the column order of the page."""
    foot = html.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    return [int(n) for n in re.findall(r'<td class="num">(\d+)回</td>', foot)]


def headers(html):
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return re.findall(r'<th scope="col">([^<]+)</th>', head)[1:]


def test_it_shows_the_dates_and_totals_of_the_fiscal_year(city_client, sample):
    html = page(city_client, FY2021)
    assert "令和3年4月1日〜令和4年3月31日" in html
    assert "7月27日" in html and "3月18日" in html
    assert "明第1地域包括支援センター" in html
    counts = dict(zip(headers(html), totals(html), strict=True))
    assert counts[INDIVIDUAL] == 61
    assert counts[SELF_RELIANCE] == 12
    assert counts[PROMOTION] == 29
    assert sum(counts.values()) == 102
    assert "実施4" in html


def test_it_shows_a_date_range(city_client, sample):
    html = page(city_client, {"start": "R3.6.1", "end": "R3.11.30"})
    assert "令和3年6月1日〜令和3年11月30日" in html
    assert "7月27日" in html
    assert "5月27日" not in html and "1月27日" not in html
    counts = dict(zip(headers(html), totals(html), strict=True))
    assert (counts[INDIVIDUAL], counts[SELF_RELIANCE], counts[PROMOTION]) == (31, 6, 17)
    assert "計画との比較は年度を選んだときに表示します" in html


def test_it_falls_back_to_this_year_on_a_reversed_range(city_client, sample):
    html = page(city_client, {"start": "R3.11.30", "end": "R3.6.1"})
    assert "期間の開始日が終了日より後になっています。" in html
    assert "7月27日" not in html


def test_it_highlights_a_shortfall_against_the_plan(city_client, sample, municipality):
    center, types = sample["center"], sample["types"]
    for name, planned in ((INDIVIDUAL, 10), (PROMOTION, 2)):
        PlanEntry.objects.create(
            municipality=municipality,
            fiscal_year=2021,
            meeting_type=types[name],
            center=center,
            planned_count=planned,
        )
    html = page(city_client, FY2021)
    assert html.count('class="shortfall"') == 1
    assert "実施4／計画10" in html and "実施2／計画2" in html
    ranged = page(city_client, {"start": "R3.4.1", "end": "R4.3.31"})
    assert 'class="shortfall"' not in ranged and "計画10" not in ranged


def test_it_leaves_cancelled_meetings_out(city_client, sample):
    meeting = Meeting.objects.get(date="2021-07-27")
    meeting.status = Status.CANCELLED
    meeting.save()
    html = page(city_client, FY2021)
    assert "7月27日" not in html
    counts = dict(zip(headers(html), totals(html), strict=True))
    assert counts[INDIVIDUAL] == 60


def export(client, kind, params=FY2021):
    response = client.get(reverse("reports:schedule_matrix"), {**params, "format": kind})
    assert response.status_code == 200
    return response


def assert_logged_export(municipality, kind):
    entry = AuditEntry.objects.get(action="report.exported")
    assert entry.municipality_id == municipality.pk
    assert entry.summary == f"開催状況（{kind}）"
    assert entry.data == {"report": "schedule_matrix", "start": "2021-04-01", "end": "2022-03-31"}


def test_it_exports_csv_with_a_bom_and_a_header(city_client, sample, municipality):
    response = export(city_client, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="schedule_20210401_20220331.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[0] == "センター"
    assert header[1:3] == [INDIVIDUAL, f"{INDIVIDUAL}（回数）"]
    assert len(rows) == 1 + 15
    first = dict(zip(header, rows[1], strict=True))
    assert first["センター"] == "明第1地域包括支援センター"
    assert first[INDIVIDUAL].splitlines() == [
        "7月27日（一部オンライン）",
        "9月28日（一部オンライン）",
        "1月27日",
        "3月18日",
    ]
    assert first[f"{INDIVIDUAL}（回数）"] == "実施4・予定0"
    assert_logged_export(municipality, "csv")


def test_it_exports_xlsx_that_opens_again(city_client, sample, municipality):
    PlanEntry.objects.create(
        municipality=municipality,
        fiscal_year=2021,
        meeting_type=sample["types"][INDIVIDUAL],
        center=sample["center"],
        planned_count=6,
    )
    response = export(city_client, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "開催状況"
    assert sheet["A1"].value == "地域ケア会議の開催状況（令和3年4月1日〜令和4年3月31日）"
    assert (sheet["A2"].value, sheet["B2"].value) == ("センター", INDIVIDUAL)
    assert sheet["A3"].value == "明第1地域包括支援センター"
    assert sheet["B3"].value.startswith("7月27日（一部オンライン）\n")
    assert sheet["C3"].value == "実施4・予定0／計画6"
    assert sheet["C3"].fill.fgColor.rgb.endswith("FDECEA")
    assert sheet.max_row == 2 + 15
    assert_logged_export(municipality, "xlsx")


def make_pdf(client, params=FY2021):
    """Ask for the PDF (made by a worker), run the worker, download it."""
    asked = export(client, "pdf", params).content.decode()
    assert "PDFを作成する" in asked
    job = client.post(reverse("reports:schedule_pdf"), params)
    assert job.status_code == 302
    waiting = client.get(job.url).content.decode()
    assert "順番を待っています" in waiting and "hx-get" in waiting
    assert run_queued_tasks() == 1
    done = client.get(job.url).content.decode()
    assert "PDFをダウンロード" in done
    pk = job.url.rstrip("/").rsplit("/", 1)[-1]
    return client.get(reverse("reports:schedule_pdf_job_download", args=[pk]))


def test_it_exports_a_pdf(city_client, sample, municipality, tmp_path):
    # Made by a background task since the PDF of a large city runs to dozens of pages (the
    # download used to come straight from the page; issue 18 moves it to a worker).
    response = make_pdf(city_client)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Read it back as a person would see it: pdftotext (Debian's poppler-utils, installed by
    # scripts/setup test) extracts the embedded Japanese text.
    path = tmp_path / "schedule.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "地域ケア会議の開催状況" in text
    assert "7月27日" in text and "明第1地域包括支援センター" in text
    assert_logged_export(municipality, "pdf")


def test_it_logs_nothing_for_the_page_itself(city_client, sample):
    page(city_client, FY2021)
    assert not AuditEntry.objects.filter(action="report.exported").exists()


# The loop the table body was rendered with before it was built in Python in one pass.
TEMPLATE_BODY = (
    '{% load matrix %}{% for center, cells in rows %}<tr><th scope="row">'
    '{{ center.name|default:"市" }}</th>{% for cell in cells %}<td'
    '{% if cell.shortfall %} class="shortfall"{% endif %}>{{ cell|matrix_cell }}</td>'
    "{% endfor %}</tr>\n  {% endfor %}"
)


def test_the_table_body_is_the_same_html_the_template_loop_made(sample, city_admin):
    from django.template import Context, Template

    from tsunagu.reports.meetings import schedule_matrix
    from tsunagu.reports.templatetags.matrix import matrix_body

    center = sample["center"]
    center.name = "<明第1>&センター"  # escaped the same way
    center.save()
    Meeting.objects.filter(center=center).update(status=Status.PLANNED, format="online")
    PlanEntry.objects.create(
        municipality=center.municipality,
        fiscal_year=2021,
        meeting_type=sample["types"][INDIVIDUAL],
        center=center,
        planned_count=40,
    )
    member = city_admin.memberships.get()
    matrix = schedule_matrix(member, *fiscal_year_range(2021), fiscal_year=2021)
    rows = list(matrix.rows())
    assert any(cell is not None and cell.shortfall for _, cells in rows for cell in cells)
    expected = Template(TEMPLATE_BODY).render(Context({"rows": rows}))
    assert matrix_body(rows) == expected
    assert "&lt;明第1&gt;&amp;センター" in expected


def test_the_pdf_is_reused_until_what_it_shows_changes(city_client, sample, pdf_layouts):
    first = make_pdf(city_client).content
    again = export(city_client, "pdf")  # current: downloaded at once, no worker, no layout
    assert again["Content-Type"] == "application/pdf" and again.content == first
    assert len(pdf_layouts) == 1
    Meeting.objects.filter(center=sample["center"]).update(status=Status.CANCELLED)
    assert "PDFを作成する" in export(city_client, "pdf").content.decode()
    assert make_pdf(city_client).content != first
    assert len(pdf_layouts) == 2


def test_another_municipalitys_pdf_job_is_not_found(
    client, city_client, sample, other_municipality
):
    job = city_client.post(reverse("reports:schedule_pdf"), FY2021)
    run_queued_tasks()
    pk = job.url.rstrip("/").rsplit("/", 1)[-1]
    outsider = make_user("outsider-admin", (other_municipality, Role.CITY_ADMIN, None))
    client = logged_in(client, outsider)
    assert client.get(job.url).status_code == 404
    assert client.get(reverse("reports:schedule_pdf_job_download", args=[pk])).status_code == 404


def test_a_printed_column_is_as_wide_as_the_dates_it_holds():
    from tsunagu.meetings.choices import Format
    from tsunagu.reports.exports import (
        BODY_COLUMNS_MM,
        NARROWEST_COLUMN_MM,
        print_column_widths,
    )
    from tsunagu.reports.meetings import Cell

    day = fiscal_year_range(2024)[0]
    entry = (day, Format.IN_PERSON, Status.HELD)
    busy, some = Cell(dates=[entry] * 12, held=12), Cell(dates=[entry] * 4, held=4)
    widths = print_column_widths([(None, [busy, some, None]), (None, [busy, None, None])], 3)
    # The body that never met keeps room for its counts; the busiest gets the most paper.
    assert widths[2] == NARROWEST_COLUMN_MM
    assert widths[0] > widths[1] > NARROWEST_COLUMN_MM
    assert abs(sum(widths) - BODY_COLUMNS_MM) <= 1
    # A period with no meetings at all: equal columns, as many as there are bodies.
    assert print_column_widths([(None, [None, None])], 2) == [BODY_COLUMNS_MM // 2] * 2
    assert print_column_widths([], 0) == []
