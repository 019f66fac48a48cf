"""The city-wide monthly table as rows of text: the screen, the XLSX and the PDF show the same."""

from django.template.loader import render_to_string
from openpyxl.styles import PatternFill

from tsunagu.lib import document_cache
from tsunagu.lib.downloads import render_pdf
from tsunagu.lib.tabular import XlsxBook
from tsunagu.lib.tabular.writing import WRAP

from .choices import Consulter, EventKind, Method, OutreachKind

OVERDUE_FILL = PatternFill("solid", fgColor="FDECEA")


def header(category_names: list[str]) -> list[str]:
    columns = ["センター", "提出状況", "相談 延べ件数", "相談 実人数"]
    columns += [f"方法 {label}" for label in Method.labels]
    columns += [f"相談者 {label}" for label in Consulter.labels]
    columns += [f"区分 {name}" for name in category_names]
    columns += [f"{label}（回）" for label in EventKind.labels]
    columns += ["講座等 参加者数"]
    columns += [f"{label} 訪問" for label in OutreachKind.labels]
    columns += ["地域ケア会議（回）", "ボランティア活動（件）", "ボランティアポイント"]
    return columns


def row(name: str, status: str, figures: dict, category_names: list[str]) -> list:
    c = figures["consultations"]
    cells = [name, status, c["total"], c["people"]]
    cells += [c["by_method"].get(label, 0) for label in Method.labels]
    cells += [c["by_consulter"].get(label, 0) for label in Consulter.labels]
    cells += [c["by_category"].get(n, 0) for n in category_names]
    cells += [figures["events"].get(label, {}).get("count", 0) for label in EventKind.labels]
    cells += [sum(e["participants"] for e in figures["events"].values())]
    cells += [figures["outreach"].get(label, 0) for label in OutreachKind.labels]
    cells += [
        sum(figures["meetings"].values()),
        figures["volunteers"]["activities"],
        figures["volunteers"]["points"],
    ]
    return cells


def city_table(figures: dict, statuses: dict, category_names: list[str]) -> list[list]:
    """Header, one row per center, and the city's total (when there is more than one)."""
    rows = [header(category_names)]
    for name, center in figures["centers"].items():
        rows.append(row(name, statuses.get(name, ""), center, category_names))
    if len(figures["centers"]) > 1:
        rows.append(row("市全体", "", figures["total"], category_names))
    return rows


def transposed(rows: list[list], per_page: int = 8) -> list[dict]:
    """The table turned for paper: items down, centers across, a few centers per page."""
    header, body = rows[0], rows[1:]
    pages = []
    for start in range(0, len(body), per_page):
        chunk = body[start : start + per_page]
        pages.append(
            {
                "names": [r[0] for r in chunk],
                "rows": [(label, [r[i] for r in chunk]) for i, label in enumerate(header) if i > 0],
            }
        )
    return pages


def to_xlsx(title: str, rows: list[list], overdue: set[str]) -> bytes:
    """The table under its title; text a spreadsheet would run stays text (lib/tabular)."""
    book = XlsxBook()
    sheet = book.sheet("月次報告")
    sheet.title(title)
    sheet.header(rows[0])
    for cell in sheet.ws[2]:
        cell.alignment = WRAP
    for cells in rows[1:]:
        appended = sheet.append(cells)
        if cells[0] in overdue:
            appended[1].fill = OVERDUE_FILL
    sheet.widths([30])
    sheet.freeze("C3")
    return book.to_bytes()


def monthly_pdf_name(first) -> str:
    return f"monthly-{first:%Y-%m}"


def monthly_pdf_html(title: str, rows: list[list], municipality) -> str:
    return render_to_string(
        "centerwork/monthly_pdf.html",
        {"title": title, "pages": transposed(rows), "municipality": municipality},
    )


def monthly_pdf(title: str, rows: list[list], municipality, first) -> bytes:
    """The city-wide month, kept while its figures are unchanged (tsunagu.lib.document_cache):
    about 0.2 s a page, 5 pages for 16 centers (docs/performance.md)."""
    return document_cache.pdf_from_html(
        municipality.pk, monthly_pdf_name(first), monthly_pdf_html(title, rows, municipality)
    )


def to_pdf(template: str, context: dict) -> bytes:
    return render_pdf(template, context)
