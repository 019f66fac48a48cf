"""会議の統計 as XLSX and CSV, and its charts drawn on the server (issue 16)."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.audit.models import AuditEntry
from tsunagu.reports import charts

from .test_stats import sample  # noqa: F401 - the 102 meetings of 令和3年度


def test_it_exports_the_same_figures_as_xlsx(city_client, sample):  # noqa: F811
    response = city_client.get(reverse("reports:meeting_stats"), {"fy": 2021, "format": "xlsx"})
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["会議体別", "主催別", "圏域別", "モニタリングの結果"]
    rows = list(workbook["会議体別"].iter_rows(min_row=2, values_only=True))
    assert rows[0] == ("会議体", "回数", "検討事例数")
    assert ("地域個別ケア会議", 61, 0) in rows
    assert AuditEntry.objects.filter(action="report.exported", summary="会議の統計（xlsx）")


def test_it_exports_csv_that_excel_opens(city_client, sample):  # noqa: F811
    response = city_client.get(reverse("reports:meeting_stats"), {"fy": 2021, "format": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff地域ケア会議の統計（令和3年4月1日〜令和4年3月31日）")
    assert "地域個別ケア会議,61,0" in text


def test_it_draws_the_charts_with_their_numbers_beside_a_table(city_client, sample):  # noqa: F811
    html = city_client.get(reverse("reports:meeting_stats"), {"fy": 2021}).content.decode()
    figure = html[html.index('<figure class="chart-figure">') :]
    svg = figure[: figure.index("</svg>")]
    # The count is written beside the bar, so the chart reads without colour.
    assert "<rect" in svg and ">61回</text>" in svg
    assert html.index("</figure>") < html.index('<td>地域個別ケア会議</td><td class="num">61</td>')
    assert "<title>会議の統計｜つなぐ</title>" in html


def test_it_escapes_names_in_charts_and_parts_differ_by_pattern():
    svg = charts.stacked_chart("結果", [("<b>会議</b>", {"改善": 2, "維持": 1, "悪化": 0})])
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert 'fill="url(#p-solid)"' in svg and 'fill="url(#p-hatch)"' in svg


def test_it_draws_nothing_for_an_empty_period():
    assert charts.bar_chart("回数", []) == "" and charts.bar_chart("回数", [("a", 0)]) == ""
