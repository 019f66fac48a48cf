"""CSV and XLSX out: the one place the system writes spreadsheets.

A text cell that begins with =, +, -, @, a tab or a carriage return is run as a formula by
Excel and LibreOffice (=HYPERLINK(...) in a resource's name would become a live link in the
file of whoever opens the export). Every text cell therefore goes through `neutralise`:

- in CSV, where there are no cell types, such text gets a leading apostrophe ('=HYPERLINK…),
  which the spreadsheet shows as text; the importers strip it again, so exports go back in;
- in XLSX, the cell is stored as a string with the quote-prefix style, which is how Excel
  itself keeps text typed after an apostrophe: the value stays exactly as written.

Real numbers (int, float, Decimal) and dates are cells of their own type and stay so; a
negative number is a number, not a formula.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so that Excel on Japanese Windows reads UTF-8 without garbling


def _dangerous(value: object) -> bool:
    return isinstance(value, str) and value[:1] in TRIGGERS and value != ""


def neutralise(value: Any) -> Any:
    """The value as a CSV cell: text a spreadsheet would run as a formula gets a leading '."""
    if _dangerous(value):
        return "'" + value
    return value


def _csv_value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None:
        return ""
    return neutralise(value)


class _Echo:
    """A file that hands back what is written, for streaming csv.writer rows."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence], *, bom: bool = True) -> Iterator[str]:
    """CSV text line by line, for a streamed response; the first piece is the BOM."""
    writer = csv.writer(_Echo())
    if bom:
        yield BOM
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    """A whole CSV file in UTF-8 with BOM; dates as ISO text, None as an empty cell."""
    return "".join(csv_lines(rows)).encode("utf-8")


# --- XLSX ----------------------------------------------------------------------------------

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


class XlsxSheet:
    """One sheet of an XlsxBook. `ws` is the openpyxl worksheet, for fills and formats."""

    def __init__(self, ws: Any) -> None:  # an openpyxl Worksheet (the library has no types)
        self.ws = ws

    def append(self, values: Sequence) -> tuple:
        """Add a row; return its cells. Text never becomes a formula (see the module)."""
        self.ws.append([_xlsx_value(value) for value in values])
        cells = self.ws[self.ws.max_row]
        for value, cell in zip(values, cells, strict=False):
            if _dangerous(value):
                cell.data_type = "s"  # what openpyxl took for a formula is text
                cell.quotePrefix = True
        return cells

    def title(self, text: str, *, size: int = 14) -> None:
        """A title line above the table."""
        self.append([text])
        self.ws.cell(self.ws.max_row, 1).font = Font(bold=True, size=size)

    def header(self, names: Sequence[str]) -> None:
        for cell in self.append(names):
            cell.font = BOLD

    def rows(self, rows: Iterable[Sequence], *, wrap: bool = False) -> None:
        for values in rows:
            cells = self.append(values)
            if wrap:
                for cell in cells:
                    cell.alignment = WRAP

    def widths(self, widths: Sequence[float]) -> None:
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width

    def freeze(self, cell: str) -> None:
        self.ws.freeze_panes = cell


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        # Control characters XML cannot hold (a pasted \x0b …) would make openpyxl fail.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class XlsxBook:
    """A workbook built sheet by sheet; `to_bytes` gives the .xlsx file."""

    def __init__(self) -> None:
        self.workbook = Workbook()
        self._fresh = True  # the workbook's first sheet is still unused

    def sheet(self, name: str) -> XlsxSheet:
        if self._fresh:
            ws = self.workbook.active
            ws.title = name
            self._fresh = False
        else:
            ws = self.workbook.create_sheet(name)
        return XlsxSheet(ws)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
