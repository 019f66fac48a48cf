"""Hostile and broken upload files, made on the spot for the tests (nothing is committed).

Each maker returns (filename, bytes). The .xlsx ones start from a real workbook written by
openpyxl and replace or damage one of its parts, so that everything else about them is valid.
"""

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def workbook_bytes(rows=(("名称", "種別"), ("サロン", "通いの場"))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with(parts: dict[str, bytes]) -> bytes:
    """A real workbook with some parts replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename not in parts:
                out.writestr(info, source.read(info.filename))
        for name, content in parts.items():
            out.writestr(name, content)
    return buffer.getvalue()


def _sheet(rows_xml: str, prologue: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prologue}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows_xml}</sheetData></worksheet>"
    ).encode()


def zip_bomb():
    """One part that unpacks to 100 MB of cells from about 100 KB."""
    row = '<row r="1">' + '<c r="A1" t="inlineStr"><is><t>x</t></is></c>' * 10 + "</row>"
    body = _sheet(row * (100 * 1024 * 1024 // len(row)))
    return "bomb.xlsx", xlsx_with({SHEET: body})


def repeated_rows(cells=310_000):
    """Small and within every size limit, but the same row number again and again: openpyxl
    would parse every cell without handing one on, for minutes."""
    row = '<row r="1">' + '<c r="A1"><v>1</v></c>' * 10 + "</row>"
    return "repeated.xlsx", xlsx_with({SHEET: _sheet(row * (cells // 10))})


def billion_laughs():
    entities = '<!ENTITY lol "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    prologue = f"<!DOCTYPE worksheet [{entities}]>"
    cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return "laughs.xlsx", xlsx_with({SHEET: _sheet(cell, prologue)})


def external_entity():
    """XXE: a cell that would hold a file of the server."""
    prologue = '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row>'
    return "xxe.xlsx", xlsx_with({SHEET: _sheet(cell, prologue)})


def bad_xml():
    return "broken.xlsx", xlsx_with({SHEET: b"<worksheet><sheetData><row><c>"})


def truncated():
    data = workbook_bytes()
    return "truncated.xlsx", data[: len(data) // 2]


def corrupt_deflate():
    """Every part listed and sized as before, but the compressed bytes of the sheet damaged."""
    data = bytearray(workbook_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    # The local header is 30 bytes plus the name and extra field; the data follows.
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    for i in range(start + 2, start + info.compress_size - 2):
        data[i] ^= 0x5A
    return "corrupt.xlsx", bytes(data)


def renamed_pdf(suffix=".xlsx"):
    return f"scan{suffix}", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def huge_field():
    """A CSV whose second line holds one 128 KB field."""
    return "huge_field.csv", ("名称,種別\n" + "x" * (128 * 1024) + ",通いの場\n").encode()


def wide_csv(columns=50_000):
    return "wide.csv", (",".join(["名称"] * columns) + "\n").encode()


def too_many_rows(rows=20_001):
    return "long.csv", ("名称,種別\n" + "サロン,通いの場\n" * rows).encode()


ALL = {
    "zip_bomb": zip_bomb,
    "repeated_rows": repeated_rows,
    "billion_laughs": billion_laughs,
    "external_entity": external_entity,
    "bad_xml": bad_xml,
    "truncated": truncated,
    "corrupt_deflate": corrupt_deflate,
    "renamed_pdf": renamed_pdf,
    "renamed_pdf_csv": lambda: renamed_pdf(".csv"),
    "huge_field": huge_field,
    "wide_csv": wide_csv,
    "too_many_rows": too_many_rows,
}
