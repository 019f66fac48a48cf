"""会議の統計 as CSV and XLSX: the same figures as the page's tables, one block per table."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from tsunagu.lib.wareki import format_wareki

# A cell that starts like a formula is written as text, so a name cannot run in Excel.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def title(start, end) -> str:
    return f"地域ケア会議の統計（{format_wareki(start)}〜{format_wareki(end)}）"


def blocks(stats: dict, outcomes: dict) -> list[tuple[str, list[list]]]:
    """(heading, rows with a header row first) for each table of the page."""
    by_type = [["会議体", "回数", "検討事例数"]] + [
        [name, row["meetings"], row["cases"]] for name, row in stats["by_type"].items()
    ]
    by_center = [["主催", "回数", "検討事例数"]] + [
        [name, row["meetings"], row["cases"]] for name, row in stats["by_center"].items()
    ]
    outcome_header = ["会議体", "件数", *outcomes["outcome"], *outcomes["goal"]]
    outcome_rows = [outcome_header] + [
        [name, row["total"], *row["outcome"].values(), *row["goal"].values()]
        for name, row in outcomes["by_type"].items()
    ]
    return [
        ("会議体別", by_type),
        ("主催別", by_center),
        ("モニタリングの結果", outcome_rows),
    ]


def to_csv(stats: dict, outcomes: dict, start, end) -> bytes:
    """UTF-8 with BOM, so that Excel on Japanese Windows opens it without garbling."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title(start, end)])
    for heading, rows in blocks(stats, outcomes):
        writer.writerow([])
        writer.writerow([heading])
        writer.writerows([[_safe(value) for value in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(stats: dict, outcomes: dict, start, end) -> bytes:
    """One sheet per table, headed by the period, numbers as numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for heading, rows in blocks(stats, outcomes):
        sheet = workbook.create_sheet(heading)
        sheet.append([title(start, end)])
        sheet["A1"].font = Font(bold=True, size=13)
        for row in rows:
            sheet.append([_safe(value) for value in row])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 32
        sheet.freeze_panes = "B3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
