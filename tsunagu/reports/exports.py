"""The schedule matrix as CSV, XLSX and PDF. Each is built from the same rows of text."""

from django.template.loader import render_to_string
from openpyxl.styles import PatternFill

from tsunagu.lib import document_cache
from tsunagu.lib.tabular import XlsxBook, csv_bytes
from tsunagu.lib.tabular.writing import WRAP
from tsunagu.lib.wareki import format_wareki
from tsunagu.meetings.choices import Status

from .meetings import CITY, Matrix, format_mark
from .templatetags.matrix import print_cell_markup

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
    return csv_bytes(matrix_rows(matrix))


def to_xlsx(matrix: Matrix) -> bytes:
    book = XlsxBook()
    sheet = book.sheet("開催状況")
    sheet.title(title(matrix))
    header, *rows = matrix_rows(matrix)
    sheet.header(header)
    for values, (_center, cells) in zip(rows, matrix.rows(), strict=True):
        row = sheet.append(values)
        for cell in row:
            cell.alignment = WRAP
        for index, cell in enumerate(cells):
            if cell is not None and cell.shortfall:
                row[2 + index * 2].fill = SHORTFALL_FILL  # the count column of the body
    sheet.widths([28] + [20] * (len(header) - 1))
    sheet.freeze("B3")
    return book.to_bytes()


# The printed table's room for the bodies' columns: A4 landscape less its margins (12 mm a
# side) and the organiser's column (44 mm), as schedule_matrix_pdf.html sets them.
BODY_COLUMNS_MM = 297 - 2 * 12 - 44
NARROWEST_COLUMN_MM = 22  # "実施0／計画5" on one line at 8pt


def print_column_widths(rows: list, count: int) -> list[int]:
    """The width in mm of each body's printed column, in proportion to the text it holds.

    A body that met rarely (or not at all) in the period gets a narrow column and leaves the
    paper to the busy ones, whose dates then wrap over fewer lines: at 350 centers equal
    columns printed 55 pages and these 45. A column is never narrower than its counts."""
    text = [0] * count
    for _center, cells in rows:
        for index, cell in enumerate(cells):
            text[index] += len(print_cell_markup(cell))
    widths: dict[int, float] = {}
    room, wide = float(BODY_COLUMNS_MM), set(range(count))
    while wide:
        total = sum(text[index] for index in wide)
        narrow = {i for i in wide if not total or text[i] * room / total < NARROWEST_COLUMN_MM}
        if not narrow:
            widths.update((i, text[i] * room / total) for i in wide)
            return [round(widths[index]) for index in range(count)]
        widths.update((i, NARROWEST_COLUMN_MM) for i in narrow)
        room -= NARROWEST_COLUMN_MM * len(narrow)
        wide -= narrow
    # Every column is narrow (a quiet period, or a great many bodies): equal columns.
    return [BODY_COLUMNS_MM // count] * count if count else []


def pdf_html(matrix: Matrix, municipality) -> str:
    """What the PDF is laid out from (cheap); its digest says whether a kept PDF is current."""
    rows = list(matrix.rows())
    return render_to_string(
        "reports/schedule_matrix_pdf.html",
        {
            "matrix": matrix,
            "title": title(matrix),
            "municipality": municipality,
            "rows": rows,
            "column_widths": print_column_widths(rows, len(matrix.meeting_types)),
        },
    )


def pdf_name(matrix: Matrix) -> str:
    return f"schedule_{matrix.start:%Y%m%d}_{matrix.end:%Y%m%d}"


def to_pdf(matrix: Matrix, municipality) -> bytes:
    """The PDF, reused while its content is unchanged (tsunagu.lib.document_cache): laying
    out 350 centers takes seconds, building its HTML a fraction of one."""
    return document_cache.pdf_from_html(
        municipality.pk, pdf_name(matrix), pdf_html(matrix, municipality)
    )
