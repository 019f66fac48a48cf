"""The city-wide monthly table as rows of text: the screen, the XLSX and the PDF show the same."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from tsunagu.lib.downloads import render_pdf

from .choices import Consulter, EventKind, Method, OutreachKind

OVERDUE_FILL = PatternFill("solid", fgColor="FDECEA")
# Text that Excel would run as a formula is kept as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "月次報告"
    sheet.append([neutralise(title)])
    sheet["A1"].font = Font(bold=True, size=14)
    for cells in rows:
        sheet.append([neutralise(value) for value in cells])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for excel_row in range(3, sheet.max_row + 1):
        if sheet.cell(row=excel_row, column=1).value in overdue:
            sheet.cell(row=excel_row, column=2).fill = OVERDUE_FILL
    sheet.column_dimensions["A"].width = 30
    sheet.freeze_panes = "C3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(template: str, context: dict) -> bytes:
    return render_pdf(template, context)
