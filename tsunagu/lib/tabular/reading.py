"""Reading an uploaded table (.csv, .tsv, .xlsx) as rows of text, with limits.

Every limit is checked while reading, so that a file past one is refused as soon as it is
seen, before it costs time or memory: a small .xlsx can expand to hundreds of megabytes, and a
CSV line can hold fifty thousand columns. Files that are not what their name says (a renamed
PDF, a broken zip, XML with entity tricks) are refused with a message for staff, never a server
error. openpyxl parses with defusedxml when it is installed (it is a dependency), which refuses
entity expansion and external entities.
"""

import codecs
import contextlib
import csv
import io
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Generator, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import IO, BinaryIO

from .writing import TRIGGERS

logger = logging.getLogger(__name__)

Source = bytes | str | os.PathLike | BinaryIO


class UnreadableFile(ValueError):
    """The upload is not a table that can be read; the message is meant for staff."""


class TooLarge(UnreadableFile):
    """The upload is past one of the limits; the message says which."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    max_rows: int = 10_000  # rows with something in them
    max_blank_rows: int = 100_000  # empty rows (formatted but unused rows in Excel files)
    max_columns: int = 200
    max_cell_chars: int = 10_000
    max_cells: int = 200_000  # non-empty cells
    max_chars: int = 10_000_000  # all the text together
    # .xlsx is a zip: its parts together may expand to this much, and a large part may not
    # be compressed more than this ratio (real sheets reach about 20; zip bombs thousands).
    max_unzipped_bytes: int = 60 * 1024 * 1024
    max_ratio: int = 200

    @property
    def max_xml_elements(self) -> int:
        """Cell elements of a sheet (or shared strings) an .xlsx may hold before it is read,
        formatted empty cells included."""
        return self.max_cells

    @property
    def max_bytes_label(self) -> str:
        return f"{self.max_bytes // (1024 * 1024)}MB"


DEFAULT_LIMITS = Limits()

_FORMATS = "CSV（.csv）、タブ区切り（.tsv）、Excel（.xlsx）のファイルを選んでください。"
_NOT_XLSX = "Excel（.xlsx）のファイルとして読み取れません。壊れているか、別の形式のファイルです。"
_DIALECTS = {".csv": csv.excel, ".tsv": csv.excel_tab}
# The first bytes of a zip (and so of .xlsx), of the old .xls and of PDF.
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_PDF_MAGIC = b"%PDF"


def read_table(source: Source, filename: str, limits: Limits = DEFAULT_LIMITS) -> list[list[str]]:
    """The cells of a .csv, .tsv or .xlsx file as text, row by row.

    `source` is the file's bytes, a path, or a binary file object. Raises UnreadableFile
    (TooLarge past a limit) with a message for staff.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (".xlsx", *_DIALECTS):
        raise UnreadableFile(_FORMATS)
    with _open(source) as file:
        size = file.seek(0, io.SEEK_END)
        file.seek(0)
        if size > limits.max_bytes:
            raise TooLarge(f"ファイルが大きすぎます（{limits.max_bytes_label}まで）。")
        head = file.read(8)
        file.seek(0)
        if suffix == ".xlsx":
            rows = _xlsx_rows(file, head, limits)
        else:
            rows = _text_rows(file, head, _DIALECTS[suffix])
        try:
            return _Counter(limits).take(rows)
        finally:
            rows.close()  # A refused file leaves the reader mid-way: finish it while open.


def _open(source: Source) -> AbstractContextManager[BinaryIO]:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, str | os.PathLike):
        return Path(source).open("rb")
    return contextlib.nullcontext(source)  # the caller's file: left open


class _Counter:
    """Applies the limits to rows as they come, and turns every cell into clean text."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.rows = self.blank_rows = self.cells = self.chars = 0

    def take(self, rows: Iterable[list[str]]) -> list[list[str]]:
        table = []
        for cells in rows:
            table.append(self.check(cells))
        # Trailing empty rows (formatted but unused) carry nothing.
        while table and not any(table[-1]):
            table.pop()
        return table

    def check(self, cells: list[str]) -> list[str]:
        limits = self.limits
        row = self.rows + self.blank_rows + 1  # as the spreadsheet numbers it
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > limits.max_columns:
            raise TooLarge(
                f"{row}行目の列が多すぎます（{len(cells):,}列）。"
                f"{limits.max_columns}列までのファイルにしてください。"
            )
        if not cells:
            self.blank_rows += 1
            if self.blank_rows > limits.max_blank_rows:
                raise TooLarge(
                    f"空の行が多すぎます（{limits.max_blank_rows:,}行まで）。"
                    "不要な行を削除してください。"
                )
            return cells
        self.rows += 1
        if self.rows > limits.max_rows:
            raise TooLarge(
                f"行が多すぎます（{limits.max_rows:,}行まで）。ファイルを分けてください。"
            )
        for index, text in enumerate(cells):
            if len(text) > limits.max_cell_chars:
                raise TooLarge(
                    f"{row}行目{index + 1}列目の文字数が多すぎます（{len(text):,}文字）。"
                    f"1つの欄は{limits.max_cell_chars:,}文字までです。"
                )
            if "\x00" in text:
                # NUL has no place in text, and PostgreSQL refuses to store it.
                text = cells[index] = text.replace("\x00", "")
            if text:
                self.cells += 1
                self.chars += len(text)
            # A cell an export wrote as '=… (so that no spreadsheet runs it) reads back as =….
            if text[:1] == "'" and text[1:2] and text[1:2] in TRIGGERS:
                cells[index] = text[1:]
        if self.cells > limits.max_cells:
            raise TooLarge(
                f"データが多すぎます（入力された欄が{limits.max_cells:,}個まで）。"
                "ファイルを分けてください。"
            )
        if self.chars > limits.max_chars:
            raise TooLarge(
                f"データが多すぎます（文字数の合計が{limits.max_chars:,}文字まで）。"
                "ファイルを分けてください。"
            )
        return cells


# --- CSV and TSV ---------------------------------------------------------------------------


def _text_rows(
    file: BinaryIO, head: bytes, dialect: type[csv.Dialect]
) -> Generator[list[str], None, None]:
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC, _PDF_MAGIC)):
        raise UnreadableFile(
            "CSVのファイルではありません（Excel や PDF のファイルの名前を変えたもののようです）。"
        )
    text = io.TextIOWrapper(file, encoding=_encoding(file), newline="")
    reader = csv.reader(text, dialect=dialect)
    try:
        yield from reader
    except csv.Error:
        # The csv module stops at a field over its own limit (128 KB).
        raise UnreadableFile(
            f"{reader.line_num}行目をCSVとして読み取れません。"
            "1つの欄が長すぎるか、CSVではないデータが含まれています。"
        ) from None
    except UnicodeDecodeError:
        raise UnreadableFile(
            "文字コードを読み取れません。UTF-8 または Shift_JIS で保存してください。"
        ) from None
    finally:
        text.detach()


def _encoding(file: BinaryIO) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as it, else Shift_JIS (cp932),
    which Excel on Japanese Windows writes. Decoded in pieces: never the whole file at once."""
    for encoding in ("utf-8-sig", "cp932"):
        decoder = codecs.getincrementaldecoder(encoding)()
        file.seek(0)
        try:
            while chunk := file.read(64 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            file.seek(0)
        return encoding
    raise UnreadableFile("文字コードを読み取れません。UTF-8 または Shift_JIS で保存してください。")


# --- XLSX ----------------------------------------------------------------------------------


def _xlsx_rows(file: BinaryIO, head: bytes, limits: Limits) -> Generator[list[str], None, None]:
    if head.startswith(_OLE_MAGIC):
        raise UnreadableFile(
            "古い Excel 形式（.xls）は読み取れません。.xlsx で保存し直してください。"
        )
    if not head.startswith(_ZIP_MAGIC):
        raise UnreadableFile(_NOT_XLSX)
    _check_zip(file, limits)
    # Imported here: openpyxl is large, and only spreadsheet uploads need it.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except TooLarge:
        raise
    except Exception as error:  # Anything a hostile or broken file makes openpyxl raise.
        logger.info("unreadable xlsx: %s", error.__class__.__name__)
        raise UnreadableFile(_NOT_XLSX) from None
    try:
        sheet = workbook.active
        if sheet is None or not hasattr(sheet, "iter_rows"):
            raise UnreadableFile("Excel ファイルに表のシートがありません。")
        # Some exporters write a wrong size into the file; read the cells actually there.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True):
            cells = list(values)
            while cells and cells[-1] is None:
                cells.pop()  # Formatted but empty cells to the right carry nothing.
            if len(cells) > limits.max_columns:
                yield cells  # _Counter refuses it by its length alone.
                return
            yield [_cell_text(value) for value in cells]
    except UnreadableFile:
        raise
    except Exception as error:
        logger.info("unreadable xlsx sheet: %s", error.__class__.__name__)
        raise UnreadableFile(_NOT_XLSX) from None
    finally:
        workbook.close()


def _check_zip(file: BinaryIO, limits: Limits) -> None:
    """Refuse a zip whose parts would expand, or whose sheets would take, past the limits,
    before openpyxl sees it.

    Python's zipfile never unpacks more than a part's declared size, so checking the declared
    sizes is enough: a part that lies about its size fails its checksum instead. openpyxl then
    parses every cell element of the sheet, even those it does not hand on (rows numbered
    backwards, formatted empty cells), at some 30,000 cells a second; so the cells and shared
    strings are counted first, by a scan of the unpacked text that is a hundred times faster.
    """
    too_large = TooLarge(
        "Excel ファイルの展開後の大きさが大きすぎます。"
        "不要な行や列、書式を削除するか、ファイルを分けてください。"
    )
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
            total = 0
            for part in parts:
                total += part.file_size
                ratio = part.file_size / max(part.compress_size, 1)
                if total > limits.max_unzipped_bytes or (
                    part.file_size > 1024 * 1024 and ratio > limits.max_ratio
                ):
                    raise too_large
            for part in parts:
                pattern = _ELEMENTS.get(_part_kind(part.filename))
                if pattern is not None:
                    with archive.open(part) as stream:
                        if (
                            _count(stream, pattern, limits.max_xml_elements)
                            > limits.max_xml_elements
                        ):
                            raise too_large
    except TooLarge:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, RuntimeError):
        raise UnreadableFile(_NOT_XLSX) from None
    finally:
        file.seek(0)


# Cell elements of a sheet (<c r="A1">, <x:c …>) and strings of the shared string table.
_ELEMENTS = {
    "sheet": re.compile(rb"<(?:\w+:)?c[\s>/]"),
    "strings": re.compile(rb"<(?:\w+:)?si[\s>/]"),
}


def _part_kind(name: str) -> str:
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return "sheet"
    if name == "xl/sharedStrings.xml":
        return "strings"
    return ""


def _count(stream: IO[bytes], pattern: re.Pattern, enough: int) -> int:
    """How many times `pattern` occurs in the stream, counting no further than past `enough`."""
    count, tail = 0, b""
    while count <= enough and (chunk := stream.read(1024 * 1024)):
        # A few bytes of the previous chunk, so that an element cut in two is still seen once.
        text = tail + chunk
        count += len(pattern.findall(text))
        tail = text[-8:]
        count -= len(pattern.findall(tail))
    return count


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float: 3 comes back as 3.0.
    return str(value)
