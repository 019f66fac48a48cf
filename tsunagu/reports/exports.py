"""The schedule matrix as CSV, XLSX and PDF. Each is built from the same rows of text."""

import csv
import io

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from tsunagu.lib.wareki import format_wareki
from tsunagu.meetings.choices import Status

from .meetings import CITY, Matrix, format_mark

SHORTFALL_FILL = PatternFill("solid", fgColor="FDECEA")
# As on the page: a date not yet held says so, in the spreadsheet too.
STATUS_MARK = {Status.PLANNED: "（予定）", Status.POSTPONED: "（延期）"}


def cell_text(cell) -> str:
    """The dates of one cell, one per line, month and day as the published tables write them."""
    if cell is None:
        return ""
    return "\n".join(
        f"{d.month}月{d.day}日{format_mark(fmt)}{STATUS_MARK.get(status, '')}"
        for d, fmt, status in cell.dates
    )


def count_text(cell) -> str:
    if cell is None:
        return ""
    done = f"実施{cell.held}・予定{cell.scheduled}"
    return f"{done}／計画{cell.planned}" if cell.planned is not None else done


def matrix_rows(matrix: Matrix) -> list[list[str]]:
    """Header + one row per organiser: the dates, then the counts, for each meeting body."""
    header = ["センター"]
    for meeting_type in matrix.meeting_types:
        header += [meeting_type.name, f"{meeting_type.name}（回数）"]
    rows = [header]
    for center, cells in matrix.rows():
        row = [center.name if center else CITY]
        for cell in cells:
            row += [cell_text(cell), count_text(cell)]
        rows.append(row)
    return rows


def title(matrix: Matrix) -> str:
    return f"地域ケア会議の開催状況（{format_wareki(matrix.start)}〜{format_wareki(matrix.end)}）"


def to_csv(matrix: Matrix) -> bytes:
    """UTF-8 with BOM, so that Excel on Japanese Windows opens it without garbling."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(matrix_rows(matrix))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(matrix: Matrix) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "開催状況"
    sheet.append([title(matrix)])
    sheet["A1"].font = Font(bold=True, size=14)
    rows = matrix_rows(matrix)
    for row in rows:
        sheet.append(row)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for excel_row, (_center, cells) in enumerate(matrix.rows(), start=3):
        for index, cell in enumerate(cells):
            count_cell = sheet.cell(row=excel_row, column=3 + index * 2)
            if cell is not None and cell.shortfall:
                count_cell.fill = SHORTFALL_FILL
        for column in range(1, len(rows[0]) + 1):
            sheet.cell(row=excel_row, column=column).alignment = wrap
    sheet.column_dimensions["A"].width = 28
    for column in sheet.iter_cols(min_col=2, max_col=len(rows[0]), min_row=2, max_row=2):
        sheet.column_dimensions[column[0].column_letter].width = 20
    sheet.freeze_panes = "B3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(matrix: Matrix, municipality) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only PDF requests need.
    from weasyprint import HTML

    html = render_to_string(
        "reports/schedule_matrix_pdf.html",
        {
            "matrix": matrix,
            "title": title(matrix),
            "municipality": municipality,
            "rows": list(matrix.rows()),
        },
    )
    return HTML(string=html).write_pdf()
