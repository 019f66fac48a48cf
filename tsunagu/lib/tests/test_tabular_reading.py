"""Reading uploads with limits: hostile and broken files are refused with a message for staff."""

import io
import re

import pytest
from openpyxl import Workbook

from tsunagu.lib.tabular import Limits, Problems, TooLarge, UnreadableFile, read_table
from tsunagu.lib.tabular.problems import MAX_KEPT, MAX_SHOWN

from . import hostile

JAPANESE = re.compile(r"[ぁ-んァ-ヶ一-龥]")


@pytest.mark.parametrize("name", sorted(hostile.ALL))
def test_it_refuses_each_hostile_file_with_a_japanese_message(name):
    filename, data = hostile.ALL[name]()
    with pytest.raises(UnreadableFile) as refused:
        read_table(data, filename)
    assert JAPANESE.search(str(refused.value))


def test_it_never_reads_an_external_entity_into_a_cell():
    filename, data = hostile.external_entity()
    with pytest.raises(UnreadableFile) as refused:
        read_table(data, filename)
    assert "root" not in str(refused.value)


def test_it_refuses_the_zip_bomb_before_unpacking_it():
    filename, data = hostile.zip_bomb()
    with pytest.raises(TooLarge) as refused:
        read_table(data, filename)
    assert "展開後の大きさ" in str(refused.value)


def test_it_refuses_a_file_past_the_size_limit():
    with pytest.raises(TooLarge) as refused:
        read_table(b"a,b\n" * 100, "x.csv", Limits(max_bytes=100))
    assert "ファイルが大きすぎます" in str(refused.value)


def test_it_names_the_row_and_column_of_a_cell_that_is_too_long():
    data = "名称,種別\nサロン,通いの場\nサロン,{}\n".format("あ" * 51).encode()
    with pytest.raises(TooLarge) as refused:
        read_table(data, "x.csv", Limits(max_cell_chars=50))
    assert str(refused.value).startswith("3行目2列目の文字数が多すぎます（51文字）")


def test_it_counts_total_cells_and_characters():
    data = ("a,b,c\n" * 10).encode()
    with pytest.raises(TooLarge, match="入力された欄が20個まで"):
        read_table(data, "x.csv", Limits(max_cells=20))
    with pytest.raises(TooLarge, match="文字数の合計が25文字まで"):
        read_table(data, "x.csv", Limits(max_chars=25))


def test_it_refuses_too_many_columns_in_a_workbook():
    workbook = Workbook()
    workbook.active.append(["x"] * 30)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(TooLarge, match="1行目の列が多すぎます（30列）"):
        read_table(buffer.getvalue(), "wide.xlsx", Limits(max_columns=20))


def test_it_refuses_endless_blank_rows_in_a_workbook():
    workbook = Workbook()
    workbook.active.append(["名称"])
    workbook.active.cell(row=5000, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(TooLarge, match="空の行が多すぎます"):
        read_table(buffer.getvalue(), "gaps.xlsx", Limits(max_blank_rows=1000))


def test_it_reads_a_workbook_as_text_within_the_limits():
    assert read_table(hostile.workbook_bytes(), "ok.xlsx") == [
        ["名称", "種別"],
        ["サロン", "通いの場"],
    ]


def test_it_reads_shift_jis_and_a_path(tmp_path):
    path = tmp_path / "sjis.csv"
    path.write_bytes("名称,種別\nサロン,通いの場\n".encode("cp932"))
    assert read_table(path, path.name)[1] == ["サロン", "通いの場"]


def test_it_undoes_the_apostrophe_an_export_puts_before_formula_text():
    data = b"'=HYPERLINK(\"x\"),'-3,'plain,it's\n"
    assert read_table(data, "x.csv") == [['=HYPERLINK("x")', "-3", "'plain", "it's"]]


def test_it_drops_nul_characters():
    assert read_table(b"a\x00b,c\n", "x.csv") == [["ab", "c"]]


def test_it_refuses_an_old_xls_and_other_suffixes():
    with pytest.raises(UnreadableFile, match=r"\.xls"):
        read_table(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xlsx")
    with pytest.raises(UnreadableFile, match="ファイルを選んでください"):
        read_table(b"%PDF", "x.pdf")


def test_problems_keep_a_bounded_list_and_count_them_all():
    problems = Problems()
    for row in range(MAX_KEPT + 500):
        problems.add(row, "名称", "空欄です。")
    assert problems.total == MAX_KEPT + 500
    assert len(problems) == MAX_KEPT
    assert len(problems.shown) == MAX_SHOWN
    assert problems.not_shown == MAX_KEPT + 500 - MAX_SHOWN


def test_it_counts_the_cells_of_a_sheet_before_parsing_it():
    filename, data = hostile.repeated_rows(cells=200)
    with pytest.raises(TooLarge, match="展開後の大きさ"):
        read_table(data, filename, Limits(max_cells=100))
    assert len(read_table(data, filename, Limits(max_cells=200))) == 1
