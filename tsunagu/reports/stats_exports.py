"""会議の統計 as CSV and XLSX: the same figures as the page's tables, one block per table."""

from tsunagu.lib.tabular import XlsxBook, csv_bytes
from tsunagu.lib.wareki import format_wareki


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
    by_area = [["圏域", "回数", "検討事例数"]] + [
        [name, row["meetings"], row["cases"]] for name, row in stats.get("by_area", {}).items()
    ]
    outcome_header = ["会議体", "件数", *outcomes["outcome"], *outcomes["goal"]]
    outcome_rows = [outcome_header] + [
        [name, row["total"], *row["outcome"].values(), *row["goal"].values()]
        for name, row in outcomes["by_type"].items()
    ]
    return [
        ("会議体別", by_type),
        ("主催別", by_center),
        ("圏域別", by_area),
        ("モニタリングの結果", outcome_rows),
    ]


def to_csv(stats: dict, outcomes: dict, start, end) -> bytes:
    """UTF-8 with BOM (Excel on Japanese Windows), one block per table under a heading."""
    rows = [[title(start, end)]]
    for heading, block in blocks(stats, outcomes):
        rows += [[], [heading], *block]
    return csv_bytes(rows)


def to_xlsx(stats: dict, outcomes: dict, start, end) -> bytes:
    """One sheet per table, headed by the period, numbers as numbers."""
    book = XlsxBook()
    for heading, (header, *rows) in blocks(stats, outcomes):
        sheet = book.sheet(heading)
        sheet.title(title(start, end), size=13)
        sheet.header(header)
        sheet.rows(rows)
        sheet.widths([32])
        sheet.freeze("B3")
    return book.to_bytes()
