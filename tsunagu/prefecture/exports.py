"""派遣実績 as an .xlsx workbook: one sheet per municipality and profession, one per adviser.

Every text cell that a spreadsheet would read as a formula or a control (= + - @, tab, CR)
is written as text (lib/tabular/writing.py): names come from users, and a cell like
=HYPERLINK(...) must never run on the prefecture's PC.
"""

from tsunagu.lib.fiscal import format_fiscal_year
from tsunagu.lib.tabular import XlsxBook

from .records import Row, column_totals, month_headings


def _sheet(book: XlsxBook, name: str, title: str, headings: list[str], rows: list[Row], fy: int):
    sheet = book.sheet(name)
    sheet.title(title)
    sheet.header([*headings, *month_headings(fy), "合計"])
    sheet.rows([*row.label, *row.months, row.total] for row in rows)
    totals = column_totals(rows)
    sheet.append(["合計", *[""] * (len(headings) - 1), *totals, sum(totals)])
    sheet.freeze("A3")


def to_xlsx(prefecture, fy: int, municipality_rows: list[Row], adviser_rows: list[Row]) -> bytes:
    book = XlsxBook()
    _sheet(
        book,
        "市町村・職種別",
        f"{prefecture} 専門職派遣実績（{format_fiscal_year(fy)}・市町村・職種別）",
        ["市町村", "職種"],
        municipality_rows,
        fy,
    )
    _sheet(
        book,
        "アドバイザー別",
        f"{prefecture} 専門職派遣実績（{format_fiscal_year(fy)}・アドバイザー別）",
        ["氏名", "職種", "所属団体"],
        adviser_rows,
        fy,
    )
    return book.to_bytes()
