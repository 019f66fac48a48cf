"""派遣実績 as an .xlsx workbook: one sheet per municipality and profession, one per adviser.

Every text cell that a spreadsheet would read as a formula or a control (= + - @, tab, CR)
is written as text with a leading quote: names come from users, and a cell like
=HYPERLINK(...) must never run on the prefecture's PC.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .records import Row, column_totals, month_headings

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def _sheet(sheet, title: str, headings: list[str], rows: list[Row], fy: int) -> None:
    sheet.append([safe(title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([*headings, *month_headings(fy), "合計"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([*(safe(text) for text in row.label), *row.months, row.total])
    totals = column_totals(rows)
    sheet.append(["合計", *[""] * (len(headings) - 1), *totals, sum(totals)])
    sheet.freeze_panes = "A3"


def to_xlsx(prefecture, fy: int, municipality_rows: list[Row], adviser_rows: list[Row]) -> bytes:
    workbook = Workbook()
    first = workbook.active
    first.title = "市町村・職種別"
    _sheet(
        first,
        f"{prefecture} 専門職派遣実績（{fy}年度・市町村・職種別）",
        ["市町村", "職種"],
        municipality_rows,
        fy,
    )
    _sheet(
        workbook.create_sheet("アドバイザー別"),
        f"{prefecture} 専門職派遣実績（{fy}年度・アドバイザー別）",
        ["氏名", "職種", "所属団体"],
        adviser_rows,
        fy,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
